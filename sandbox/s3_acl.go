package sandbox

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/policy"
)

const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

func (c *call) getBucketACL(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:GetBucketAcl", false); err != nil {
		return err
	}
	c.writeACL(c.sb.bucketACL(t.bucket))
	return nil
}

func (c *call) getObjectACL(t *s3Target) *apiError {
	obj := t.bucket.Objects[t.key]
	if obj == nil {
		if err := c.authorizeS3(t, "s3:GetObjectAcl", t.key, nil, nil, nil); err != nil {
			return err
		}
		return errf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	}
	if err := c.authorizeS3(t, "s3:GetObjectAcl", t.key, obj, nil, nil); err != nil {
		return err
	}
	c.writeACL(c.sb.objectACL(t.bucket, obj))
	return nil
}

func (c *call) writeACL(acl *policy.ACL) {
	out := accessControlPolicy{Xmlns: s3NS, Owner: xmlOwner{ID: acl.Owner}}
	for _, g := range acl.Grants {
		xg := xmlGrant{Permission: g.Permission, Grantee: xmlGrantee{XSI: xsiNS, Type: g.Type, ID: g.ID, URI: g.URI}}
		out.Grants = append(out.Grants, xg)
	}
	writeXML(c.w, out)
}

// putBucketACL replaces the bucket's ACL from a canned ACL, x-amz-grant-*
// headers or an AccessControlPolicy body. With ACLs disabled
// (BucketOwnerEnforced) it fails as S3 does.
func (c *call) putBucketACL(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutBucketAcl", false); err != nil {
		return err
	}
	if t.bucket.Ownership == policy.OwnershipBucketOwnerEnforced {
		return errf(http.StatusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs")
	}
	owner := c.sb.st.Accounts[t.bucket.Owner]
	acl, err := c.aclFromRequest(owner)
	if err != nil {
		return err
	}
	if len(acl.Grants) > policy.MaxACLGrants {
		return errf(http.StatusBadRequest, "MalformedACLError", "an ACL holds at most %d grants", policy.MaxACLGrants)
	}
	for _, g := range acl.Grants {
		everyone := g.URI == policy.GroupAllUsers || g.URI == policy.GroupAuthenticatedUsers
		public := g.Type == policy.GranteeGroup && everyone
		if public && c.effectiveBlockPublicAcls(t.bucket) {
			return errf(http.StatusForbidden, "AccessDenied",
				"Access Denied: Block Public Access BlockPublicAcls refuses a public ACL")
		}
		if g.Type == policy.GranteeCanonicalUser && !c.sb.canonicalExists(g.ID) {
			return errf(http.StatusBadRequest, "InvalidArgument",
				"Invalid id: %s is not the canonical user ID of any account", g.ID)
		}
	}
	t.bucket.ACL = acl
	c.dirty = true
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (sb *Sandbox) canonicalExists(id string) bool {
	for _, a := range sb.st.Accounts {
		if a.CanonicalID == id {
			return true
		}
	}
	return false
}

var grantHeaderItem = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$`)
})

func (c *call) aclFromRequest(owner *Account) (*policy.ACL, *apiError) {
	acl := &policy.ACL{Owner: owner.CanonicalID}
	ownerGrant := policy.Grant{
		Type: policy.GranteeCanonicalUser, ID: owner.CanonicalID, Permission: policy.PermFullControl,
	}
	groupRead := func(uri string) policy.Grant {
		return policy.Grant{Type: policy.GranteeGroup, URI: uri, Permission: policy.PermRead}
	}
	if canned := c.r.Header.Get("X-Amz-Acl"); canned != "" {
		acl.Grants = []policy.Grant{ownerGrant}
		switch canned {
		case "private":
		case "public-read":
			acl.Grants = append(acl.Grants, groupRead(policy.GroupAllUsers))
		case "authenticated-read":
			acl.Grants = append(acl.Grants, groupRead(policy.GroupAuthenticatedUsers))
		default:
			return nil, notImplemented("S3", "PutBucketAcl with the canned ACL "+canned)
		}
		return acl, nil
	}
	headers := map[string]string{
		"X-Amz-Grant-Full-Control": policy.PermFullControl,
		"X-Amz-Grant-Read":         policy.PermRead,
		"X-Amz-Grant-Write":        policy.PermWrite,
		"X-Amz-Grant-Read-Acp":     policy.PermReadACP,
		"X-Amz-Grant-Write-Acp":    policy.PermWriteACP,
	}
	for _, h := range sortedKeys(headers) {
		for _, item := range strings.Split(c.r.Header.Get(h), ",") {
			if strings.TrimSpace(item) == "" {
				continue
			}
			m := grantHeaderItem().FindStringSubmatch(item)
			if m == nil || m[1] == "emailAddress" {
				return nil, errf(http.StatusBadRequest, "InvalidArgument",
					`%s: grantees are id="CANONICAL_ID" or uri="GROUP_URI" (email grantees are no longer supported)`, h)
			}
			g := policy.Grant{Type: policy.GranteeCanonicalUser, ID: m[2], Permission: headers[h]}
			if m[1] == "uri" {
				g = policy.Grant{Type: policy.GranteeGroup, URI: m[2], Permission: headers[h]}
			}
			acl.Grants = append(acl.Grants, g)
		}
	}
	if len(acl.Grants) > 0 {
		return acl, nil
	}
	return c.aclFromBody(owner)
}

func (c *call) aclFromBody(owner *Account) (*policy.ACL, *apiError) {
	var in aclIn
	if err := xml.Unmarshal(c.body, &in); err != nil {
		return nil, errf(http.StatusBadRequest, "MalformedACLError", malformedXML)
	}
	if in.Owner.ID != "" && in.Owner.ID != owner.CanonicalID {
		return nil, errf(http.StatusBadRequest, "InvalidArgument",
			"the ACL's Owner ID must be the bucket owner's canonical ID")
	}
	acl := &policy.ACL{Owner: owner.CanonicalID}
	for _, g := range in.Grants {
		typ := ""
		for _, a := range g.Grantee.Attrs {
			if a.Name.Local == "type" {
				typ = a.Value
			}
		}
		switch {
		case typ == policy.GranteeCanonicalUser || (typ == "" && g.Grantee.ID != ""):
			grant := policy.Grant{Type: policy.GranteeCanonicalUser, ID: g.Grantee.ID, Permission: g.Permission}
			acl.Grants = append(acl.Grants, grant)
		case typ == policy.GranteeGroup || (typ == "" && g.Grantee.URI != ""):
			grant := policy.Grant{Type: policy.GranteeGroup, URI: g.Grantee.URI, Permission: g.Permission}
			acl.Grants = append(acl.Grants, grant)
		default:
			return nil, errf(http.StatusBadRequest, "UnresolvableGrantByEmailAddress",
				"email grantees are no longer supported: grant to a canonical user ID")
		}
		switch g.Permission {
		case policy.PermFullControl, policy.PermRead, policy.PermWrite, policy.PermReadACP, policy.PermWriteACP:
		default:
			return nil, errf(http.StatusBadRequest, "MalformedACLError", "unknown permission %q", g.Permission)
		}
	}
	return acl, nil
}
