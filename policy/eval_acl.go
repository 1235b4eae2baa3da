package policy

import (
	"fmt"
	"strings"
)

// bucketACLActions maps bucket ACL permissions to the actions they allow. A
// bucket READ only lists: it cannot grant s3:GetObject. WRITE lets the
// grantee create, overwrite and delete objects (and so abort the uploads it
// starts).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
var bucketACLActions = map[string][]string{
	PermRead:     {"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"},
	PermWrite:    {"s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"},
	PermReadACP:  {"s3:GetBucketAcl"},
	PermWriteACP: {"s3:PutBucketAcl"},
}

// objectACLActions maps object ACL permissions to the actions they allow.
var objectACLActions = map[string][]string{
	PermRead:     {"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent"},
	PermReadACP:  {"s3:GetObjectAcl", "s3:GetObjectVersionAcl"},
	PermWriteACP: {"s3:PutObjectAcl", "s3:PutObjectVersionAcl"},
}

// ACLAllows reports whether an ACL permission covers an action, using the
// bucket or the object table.
func ACLAllows(perm, action string, object bool) bool {
	table := bucketACLActions
	if object {
		table = objectACLActions
	}
	perms := []string{perm}
	if perm == PermFullControl {
		perms = []string{PermRead, PermWrite, PermReadACP, PermWriteACP}
	}
	for _, p := range perms {
		for _, a := range table[p] {
			if strings.EqualFold(a, action) {
				return true
			}
		}
	}
	return false
}

// aclGrants returns the resource-side allows the ACLs give a request: none
// when ACLs are disabled (BucketOwnerEnforced). A grant to the caller's
// canonical ID (or to AuthenticatedUsers) grants to its account, so the
// account's identity policy must allow too; a grant to AllUsers admits
// anyone. IgnorePublicAcls drops the two group grants.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func aclGrants(req S3Request, set S3Setup) docOutcome {
	var out docOutcome
	acl, object := aclFor(req, set)
	if acl == nil {
		return out
	}
	name := "bucket ACL of " + req.Bucket
	if object {
		name = "object ACL of " + req.Bucket + "/" + req.Key
	}
	caller := ParsePrincipal(req.Principal)
	for i, g := range acl.Grants {
		r := Reason{Document: name, Statement: fmt.Sprintf("Grant[%d]", i), Effect: Allow}
		switch grantFor(g, req, set, caller, object) {
		case grantIgnored:
			r.Effect = ""
			r.Message = fmt.Sprintf("grants %s to %s, ignored because Block Public Access IgnorePublicAcls is on",
				g.Permission, g.URI)
			out.near = append(out.near, r)
		case grantEveryone:
			r.Message = fmt.Sprintf("grants %s to everyone (AllUsers), which allows %s", g.Permission, req.Action)
			out.direct = append(out.direct, r)
		case grantAuthenticated:
			r.Message = fmt.Sprintf("grants %s to every AWS account (AuthenticatedUsers), which allows %s",
				g.Permission, req.Action)
			out.account = append(out.account, r)
		case grantAccount:
			r.Message = fmt.Sprintf("grants %s to the canonical user of account %s, which allows %s",
				g.Permission, caller.Account, req.Action)
			out.account = append(out.account, r)
		default: // grants the caller nothing for this action
		}
	}
	return out
}

// aclGrantTally is aclGrants for a decision: whether any grant admits the
// caller itself (direct) or its account, or was ignored (a near miss).
func aclGrantTally(req S3Request, set S3Setup, caller PrincipalInfo) tally {
	var t tally
	acl, object := aclFor(req, set)
	if acl == nil {
		return t
	}
	for _, g := range acl.Grants {
		switch grantFor(g, req, set, caller, object) {
		case grantIgnored:
			t.near = true
		case grantEveryone:
			t.direct = true
		case grantAuthenticated, grantAccount:
			t.account = true
		default: // no allow
		}
	}
	return t
}

// aclFor returns the ACL that decides a request (nil: none, or ACLs are
// disabled): the object's for reading an existing object, else the
// bucket's.
func aclFor(req S3Request, set S3Setup) (acl *ACL, object bool) {
	if !set.ACLsEnabled() {
		return nil, false
	}
	if req.Key != "" && readsExistingObject(req.Action) {
		return set.ObjectACL, true
	}
	return set.BucketACL, false
}

type grantKind int

const (
	grantNone          grantKind = iota
	grantIgnored                 // a public grant IgnorePublicAcls drops
	grantEveryone                // AllUsers: anyone, directly
	grantAuthenticated           // AuthenticatedUsers: the caller's account
	grantAccount                 // the caller's canonical user: its account
)

// grantFor sorts one grant for a request.
func grantFor(g Grant, req S3Request, set S3Setup, caller PrincipalInfo, object bool) grantKind {
	if !ACLAllows(g.Permission, req.Action, object) {
		return grantNone
	}
	public := g.Type == GranteeGroup && (g.URI == GroupAllUsers || g.URI == GroupAuthenticatedUsers)
	switch {
	case public && set.BPA.IgnorePublicAcls:
		return grantIgnored
	case g.Type == GranteeGroup && g.URI == GroupAllUsers:
		return grantEveryone
	case g.Type == GranteeGroup && g.URI == GroupAuthenticatedUsers && !caller.Anonymous:
		return grantAuthenticated
	case g.Type == GranteeCanonicalUser && g.ID != "" && g.ID == req.CanonicalID && !caller.Anonymous:
		return grantAccount
	}
	return grantNone
}
