package check

import (
	"github.com/s3grant/s3grant/policy"
)

// The proof decides every request class under every combination of
// condition values: the same few documents, thousands of requests. So its
// loop decides with documents compiled once (policy.Prepare, PrepareS3)
// and takes the decision alone; the reasons (decide, through Evaluate and
// AuthorizeS3) are built only for the requests it records.

// setupKey names a compiled S3 setup by its documents' identities: a
// document swapped in (the analyzer's decideWith) compiles anew.
type setupKey struct {
	identity *policy.Doc
	n        int
	ap       *policy.Policy
	bucket   *policy.Policy
	acl      *policy.ACL
	key      *policy.KeySetup
}

// inputKey names a compiled Input the same way.
type inputKey struct {
	identity *policy.Doc
	n        int
	resource *policy.Policy
	kind     policy.Kind
}

func docsKey(d []policy.Doc) (*policy.Doc, int) {
	if len(d) == 0 {
		return nil, 0
	}
	return &d[0], len(d)
}

// compiled holds the universe's compiled documents.
type compiled struct {
	s3     map[setupKey]*policy.PreparedS3
	inputs map[inputKey]*policy.Prepared
}

func (u *universe) preparedS3(set policy.S3Setup) *policy.PreparedS3 {
	id, n := docsKey(set.Identity)
	k := setupKey{id, n, set.AccessPointPolicy, set.BucketPolicy, set.BucketACL, set.Key}
	if p, ok := u.compiled.s3[k]; ok {
		return p
	}
	if u.compiled.s3 == nil {
		u.compiled.s3 = map[setupKey]*policy.PreparedS3{}
	}
	p := policy.PrepareS3(set)
	u.compiled.s3[k] = p
	return p
}

func (u *universe) prepared(in policy.Input) *policy.Prepared {
	id, n := docsKey(in.Identity)
	k := inputKey{identity: id, n: n}
	if in.Resource != nil {
		k.resource, k.kind = in.Resource.Policy, in.Resource.Kind
	}
	if p, ok := u.compiled.inputs[k]; ok {
		return p
	}
	if u.compiled.inputs == nil {
		u.compiled.inputs = map[inputKey]*policy.Prepared{}
	}
	p := policy.Prepare(in)
	u.compiled.inputs[k] = p
	return p
}

// decideFast is decide's decision, and for an implicit deny whether its
// reasons would name a near miss (policy.Result.NearMiss), on compiled
// documents. TestDecideFastMatchesDecide holds the two together.
func (u *universe) decideFast(
	a policy.S3Action,
	req proofReq,
	wi int,
	w who,
	pa path,
	ci int,
	ctx policy.Context,
) (policy.Decision, bool) {
	principal, identity := w.arn, w.identity
	switch {
	case pa.viaRole && u.holder:
		principal, identity = w.arn, u.roleDocs
	case pa.viaRole:
		// Assuming the role is decided once per caller and combination
		// (assume caches it), with its reasons.
		if assumed := u.assume(wi, w, ci, ctx); !assumed.Allowed() {
			return assumed.Decision, assumed.NearMiss()
		}
		principal, identity = policy.RoleSession(u.s.RoleARN(), checkSession), u.roleDocs
	}
	// An allowed assume stage adds no reasons to a denial (Combine), so
	// the decision is the last stage's.
	switch req.kind {
	case policy.S3ResAccessPoint:
		apPolicy := &policy.Doc{Kind: policy.KindAccessPointPolicy, Policy: u.apPolicies[req.arn]}
		p := u.prepared(policy.Input{Identity: identity, Resource: apPolicy})
		return p.DecideNear(policy.Request{
			Principal: principal, Action: a.IAMName(),
			Resource: req.arn, ResourceAccount: u.s.OwnerAccount, Context: ctx,
		})
	case "other":
		account := u.s.OwnerAccount
		octx := ctx.Clone().Default("s3:ResourceAccount", account) // as decide
		return u.prepared(policy.Input{Identity: identity}).DecideNear(policy.Request{
			Principal: principal, Action: a.IAMName(),
			Resource: req.arn, ResourceAccount: account, Context: octx,
		})
	}
	return u.preparedS3(u.s3Setup(req, pa, identity)).DecideNear(u.s3Request(a, req, w, pa, principal, ctx))
}
