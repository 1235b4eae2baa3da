package check

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// decide evaluates one request: through the role (assume, then call as
// its session), or directly or through an access point as the caller.
func (u *universe) decide(
	a policy.S3Action,
	req proofReq,
	wi int,
	w who,
	pa path,
	ci int,
	ctx policy.Context,
) policy.Result {
	principal, identity := w.arn, w.identity
	var stages []policy.Result
	switch {
	case pa.viaRole && u.holder:
		principal, identity = w.arn, u.roleDocs
	case pa.viaRole:
		assumed := u.assume(wi, w, ci, ctx)
		if !assumed.Allowed() {
			return assumed
		}
		stages = append(stages, assumed)
		principal, identity = policy.RoleSession(u.s.RoleARN(), checkSession), u.roleDocs
	}
	switch req.kind {
	case policy.S3ResAccessPoint:
		stages = append(stages, policy.Evaluate(policy.Input{
			Request: policy.Request{
				Principal: principal, Action: a.IAMName(),
				Resource: req.arn, ResourceAccount: u.s.OwnerAccount, Context: ctx,
			},
			Identity: identity,
			Resource: &policy.Doc{
				Name: "access point policy " + req.arn,
				Kind: policy.KindAccessPointPolicy, Policy: u.apPolicies[req.arn],
			},
			Stage: "access point",
		}))
	case "other":
		account := u.s.OwnerAccount
		// S3 sets s3:ResourceAccount on every request to S3 (jobs and
		// Storage Lens too: the reference lists the key for their actions).
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
		octx := ctx.Clone().Default("s3:ResourceAccount", account)
		stages = append(stages, policy.Evaluate(policy.Input{
			Request: policy.Request{
				Principal: principal, Action: a.IAMName(),
				Resource: req.arn, ResourceAccount: account, Context: octx,
			},
			Identity: identity, Stage: "owner account",
		}))
	default:
		s3req := u.s3Request(a, req, w, pa, principal, ctx)
		stages = append(stages, policy.AuthorizeS3(s3req, u.s3Setup(req, pa, identity)))
	}
	return policy.Combine(stages...)
}

// assume evaluates sts:AssumeRole on the plan's role for caller class wi
// under context combination ci (cached: every action asks it again).
func (u *universe) assume(wi int, w who, ci int, ctx policy.Context) policy.Result {
	if r, ok := u.assumed[[2]int{wi, ci}]; ok && wi >= 0 {
		return r
	}
	role := u.s.RoleARN()
	r := policy.Evaluate(policy.Input{
		Request: policy.Request{
			Principal: w.arn, Action: templates.ActAssumeRole,
			Resource: role, ResourceAccount: u.s.OwnerAccount, Context: ctx,
		},
		Identity: w.identity,
		Resource: &policy.Doc{Name: "trust policy " + role, Kind: policy.KindTrustPolicy, Policy: u.w.trust[role]},
		Stage:    "assume role",
	})
	if wi >= 0 {
		u.assumed[[2]int{wi, ci}] = r
	}
	return r
}

func (u *universe) s3Request(
	a policy.S3Action,
	req proofReq,
	w who,
	pa path,
	principal string,
	ctx policy.Context,
) policy.S3Request {
	canonical := u.w.canonical[w.account]
	if pa.viaRole {
		canonical = ""
	}
	return policy.S3Request{
		Principal: principal, CanonicalID: canonical, Action: a.IAMName(), Bucket: req.bucket, Key: req.key,
		BucketAccount: u.s.OwnerAccount, AccessPoint: pa.ap, Partition: u.s.Partition(), Context: ctx,
	}
}

// s3Setup is the owner's side of an S3 request: the plan's bucket policy,
// ACL and key on the plan's bucket (another bucket of the owner has none
// the plan knows), and the path's access point policy.
func (u *universe) s3Setup(req proofReq, pa path, identity []policy.Doc) policy.S3Setup {
	set := policy.S3Setup{Identity: identity, AccessPointPolicy: pa.apDoc, ObjectOwnership: u.w.ownership}
	if req.bucket == u.s.Bucket {
		set.BucketPolicy, set.BucketACL, set.Key = u.w.bucketPolicy, u.w.acl, u.w.key
	}
	return set
}

func (u *universe) resourceARN(req proofReq, pa path) string {
	r := policy.S3Request{Bucket: req.bucket, Key: req.key, AccessPoint: pa.ap, Partition: u.s.Partition()}
	if pa.ap != "" {
		return r.AccessPointResourceARN()
	}
	return r.S3ResourceARN()
}

// unexpected returns why an allowed request is not what the spec asks for,
// or "" when it is: a grantee, along the method's path, doing an action of
// the access level, on the bucket or a key under a prefix (listing within
// them), with the context the method requires.
func (u *universe) unexpected(a policy.S3Action, req proofReq, w who, pa path, ctx policy.Context) string {
	s := u.s
	var why []string
	if !w.grantee {
		why = append(why, w.label+" is not a grantee of the spec")
	}
	if !u.methodPath(pa) {
		why = append(why, "the "+string(s.Method)+" grant does not go "+pa.label)
	}
	granted := false
	for _, g := range allowedActions(s) {
		granted = granted || strings.EqualFold(g, a.IAMName())
	}
	if !granted {
		why = append(why, fmt.Sprintf("%s is beyond %s access", a.IAMName(), s.Access))
	}
	why = append(why, u.outOfScope(a, req)...)
	why = append(why, u.missingContext(a, w, pa, ctx)...)
	if len(why) == 0 {
		return ""
	}
	out := strings.Join(why, "; ")
	switch {
	case pa.consumerAP && !w.grantee:
		acct := policy.ParsePrincipal(pa.ap).Account
		out = "relies on the consumer's restraint: access point " + pa.ap + " belongs to account " + acct +
			", whose administrator writes its policy, and the bucket policy lets through whatever it admits; " + out
	case w.consumer && !w.grantee:
		out = "relies on the consumer's restraint: only account " + w.account +
			"'s own IAM would keep " + w.label + " out; " + out
	}
	return out
}

// outOfScope says why a resource is outside the grant.
func (u *universe) outOfScope(a policy.S3Action, req proofReq) []string {
	s := u.s
	switch {
	case req.kind == "other" || req.kind == policy.S3ResAccessPoint:
		return []string{"the grant is about the bucket, not " + req.arn}
	case req.bucket != s.Bucket:
		return []string{"another bucket of the owner (" + req.bucket + ")"}
	case req.kind == policy.S3ResObject:
		for _, p := range s.PrefixList() {
			if strings.HasPrefix(req.key, p) {
				return nil
			}
		}
		return []string{"key " + req.key + " is outside the granted prefixes"}
	case req.prefix == absent && !s.WholeBucket() && a.Supports("s3:prefix"):
		return []string{"listing without an s3:prefix lists every key, beyond the granted prefixes"}
	case req.prefix != absent && !s.WholeBucket():
		for _, p := range s.PrefixList() {
			if strings.HasPrefix(req.prefix, p) {
				return nil
			}
		}
		return []string{fmt.Sprintf("listing with s3:prefix %q, outside the granted prefixes", req.prefix)}
	}
	return nil
}

// missingContext says which condition the method requires the request
// lacks: TLS, the organization, the ExternalId, the owner's full control
// on ACL uploads.
func (u *universe) missingContext(a policy.S3Action, w who, pa path, ctx policy.Context) []string {
	s := u.s
	var why []string
	if v, _ := ctx.Get("aws:SecureTransport"); s.RequireTLS() && len(v) > 0 && v[0] == "false" {
		why = append(why, "plain HTTP (the spec requires TLS)")
	}
	if v, _ := ctx.Get("aws:PrincipalOrgID"); s.OrgID != "" && s.Method != spec.MethodACL &&
		(len(v) == 0 || v[0] != s.OrgID) {
		why = append(why, "a caller outside organization "+s.OrgID)
	}
	if v, _ := ctx.Get("sts:ExternalId"); pa.viaRole && s.ExternalID != "" && (len(v) == 0 || v[0] != s.ExternalID) {
		why = append(why, "assuming the role without the right ExternalId")
	}
	if v, _ := ctx.Get("s3:x-amz-acl"); s.Method == spec.MethodACL &&
		strings.EqualFold(a.IAMName(), templates.ActPutObject) &&
		(len(v) == 0 || v[0] != "bucket-owner-full-control") && !multipartStep(ctx, v) {
		why = append(why, "an upload without the bucket-owner-full-control ACL")
	}
	return why
}

// assumptions lists what the proof takes as given, in words.
func (u *universe) assumptions() []string {
	out := []string{
		"every consumer account's administrator (and any other account's) allows its own principals everything: " +
			"only the owner's documents hold a line",
		"principals of the owner account hold no identity policy beyond the plan's role: " +
			"the owner's own IAM is not the grant's",
		"Object Ownership is " + u.w.ownership + "; " +
			"SCPs, RCPs, session policies, permission boundaries and VPC endpoint policies are not modelled " +
			"(they can only narrow access)",
	}
	if u.s.Method == spec.MethodACL {
		out = append(out, "a bucket ACL grants to the consumer account as a whole (it cannot name principals): "+
			"which of its principals use it is the consumer's IAM to say")
	}
	if u.s.APOwnerIsConsumer() {
		out = append(out, "a consumer-owned access point grants to its account as a whole: "+
			"which of its principals get in is the consumer's access point policy to say")
	}
	return out
}

// multipartStep reports an s3:PutObject request that creates no object and
// carries no ACL: UploadPart, UploadPartCopy, or CreateMultipartUpload
// without an ACL header (s3:ObjectCreationOperation false). The object is
// created by CompleteMultipartUpload, which is held to the ACL rule.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
func multipartStep(ctx policy.Context, acl []string) bool {
	op, _ := ctx.Get("s3:ObjectCreationOperation")
	return len(acl) == 0 && len(op) > 0 && op[0] == "false"
}
