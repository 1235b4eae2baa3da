package policy

import "github.com/s3grant/s3grant/arn"

// PreparedS3 is an S3Setup compiled once to decide many S3 requests as
// AuthorizeS3 does (access point, bucket and key stages, ACLs, Block Public
// Access), the decision without the reasons: the identity policies are
// compiled once for every stage, and each stage's context defaults are
// looked up beside the request's context instead of copied into a clone.
// Explain gives the reasons through AuthorizeS3. Read-only once prepared,
// and safe for concurrent use; the setup must not change after PrepareS3.
type PreparedS3 struct {
	set             S3Setup
	pg              program
	identity        span
	ap, bucket, key span
	apPublic        bool // the access point policy is public (RestrictPublicBuckets)
	bucketPublic    bool
	keyAccount      string
	keyVia          string // kms:ViaService for the key's region
	keyViaOK        bool
	keyAlias        bool // the key ARN is an alias: AuthorizeS3 decides
	keyAWSManaged   bool
}

// PrepareS3 compiles the documents of set.
func PrepareS3(set S3Setup) *PreparedS3 {
	p := &PreparedS3{
		set:          set,
		apPublic:     IsPublicPolicy(set.AccessPointPolicy),
		bucketPublic: IsPublicPolicy(set.BucketPolicy),
	}
	docs := []*Policy{set.AccessPointPolicy, set.BucketPolicy}
	if set.Key != nil {
		docs = append(docs, set.Key.Policy)
	}
	for _, d := range set.Identity {
		docs = append(docs, d.Policy)
	}
	p.pg.reserve(nil, docs...)
	p.identity.lo = int32(len(p.pg.stmts))
	for _, d := range set.Identity {
		p.pg.addDoc(d.Policy)
	}
	p.identity.hi = int32(len(p.pg.stmts))
	p.ap = p.pg.addDoc(set.AccessPointPolicy)
	p.bucket = p.pg.addDoc(set.BucketPolicy)
	if k := set.Key; k != nil {
		p.keyAccount = ParsePrincipal(k.ARN).Account
		if a, ok := arn.Parse(k.ARN); ok {
			p.keyVia, p.keyViaOK = "s3."+a.Region+".amazonaws.com", true
		}
		p.keyAlias = IsKMSAlias(k.ARN) && !k.AWSManaged
		p.keyAWSManaged = k.AWSManaged
		p.key = p.pg.addDoc(k.Policy)
	}
	p.pg.pack()
	return p
}

// Explain decides req with its reasons: AuthorizeS3.
func (p *PreparedS3) Explain(req S3Request) Result { return AuthorizeS3(req, p.set) }

// Decide returns what AuthorizeS3 would decide for req, without the
// reasons. TestPreparedS3MatchesAuthorizeS3 holds the two together.
func (p *PreparedS3) Decide(req S3Request) Decision {
	d, _ := p.DecideNear(req)
	return d
}

// DecideNear is Decide, and for an implicit deny whether AuthorizeS3's
// reasons would name a near miss (Result.NearMiss): the stages in
// AuthorizeS3's order, combined as Combine does (an implicit deny shows
// the reasons of every stage that denied implicitly).
func (p *PreparedS3) DecideNear(req S3Request) (Decision, bool) {
	if p.keyAlias && kmsActionFor(req.Action) != "" {
		r := p.Explain(req)
		return r.Decision, r.NearMiss()
	}
	caller := ParsePrincipal(req.Principal)
	out, near := Allowed, false
	add := func(d Decision, n bool) bool {
		if d == ImplicitlyDenied {
			out, near = ImplicitlyDenied, near || n
		}
		return d == ExplicitlyDenied
	}
	apAccount := ""
	if req.AccessPoint != "" {
		apAccount = ParsePrincipal(req.AccessPoint).Account
		if add(p.accessPointStage(req, caller, apAccount)) {
			return ExplicitlyDenied, false
		}
	}
	if add(p.bucketStage(req, caller, apAccount)) || add(p.keyStage(req, caller, apAccount)) {
		return ExplicitlyDenied, false
	}
	return out, near
}

// view is a stage's request with AuthorizeS3's context defaults.
func (p *PreparedS3) view(req S3Request, r Request, caller PrincipalInfo, apAccount string) reqView {
	r.Principal, r.Context = req.Principal, req.Context
	v := newReqView(r, caller)
	v.setDefault(ikS3ResAcct, req.BucketAccount)
	if req.AccessPoint != "" {
		v.setDefault(ikDAPArn, req.AccessPoint)
		v.setDefault(ikDAPAcct, apAccount)
		v.setDefault(ikAPOrigin, "Internet")
	}
	return v
}

func (p *PreparedS3) accessPointStage(req S3Request, caller PrincipalInfo, apAccount string) (Decision, bool) {
	if p.set.BPA.RestrictPublicBuckets && p.apPublic && restricted(caller, apAccount) {
		return ImplicitlyDenied, false
	}
	r := Request{Action: req.Action, Resource: req.AccessPointResourceARN(), ResourceAccount: apAccount}
	v := p.view(req, r, caller, apAccount)
	in := compiledInput{identity: p.identity, resource: p.ap}
	return p.pg.decide(&in, &v, tally{})
}

func (p *PreparedS3) bucketStage(req S3Request, caller PrincipalInfo, apAccount string) (Decision, bool) {
	if p.set.BPA.RestrictPublicBuckets && p.bucketPublic && restricted(caller, req.BucketAccount) {
		return ImplicitlyDenied, false
	}
	r := Request{Action: req.Action, Resource: req.S3ResourceARN(), ResourceAccount: req.BucketAccount}
	in := compiledInput{identity: p.identity, resource: p.bucket, identityDecided: req.AccessPoint != ""}
	if owner := p.set.ObjectOwner(req.BucketAccount); req.Key != "" &&
		owner != req.BucketAccount && readsExistingObject(req.Action) {
		in.denyOnly, r.ResourceAccount = true, owner // as bucketStage (eval_s3.go)
	}
	v := p.view(req, r, caller, apAccount)
	return p.pg.decide(&in, &v, aclGrantTally(req, p.set, caller))
}

// keyStage is keyStage (eval_s3.go); Allowed when no key is involved.
func (p *PreparedS3) keyStage(req S3Request, caller PrincipalInfo, apAccount string) (Decision, bool) {
	action := kmsActionFor(req.Action)
	if p.set.Key == nil || action == "" {
		return Allowed, false
	}
	if p.keyAWSManaged {
		if caller.Anonymous || caller.Account != p.keyAccount {
			return ImplicitlyDenied, false
		}
		return Allowed, false
	}
	v := p.view(req, Request{Action: action, Resource: p.set.Key.ARN, ResourceAccount: p.keyAccount}, caller, apAccount)
	if p.keyViaOK {
		v.setDefault(ikKMSVia, p.keyVia)
	}
	v.setDefault(ikKMSCaller, caller.Account)
	in := compiledInput{identity: p.identity, resource: p.key, mustAllow: true}
	return p.pg.decide(&in, &v, tally{})
}

// restricted is restrictPublic's test (eval_s3.go): with a public policy
// and RestrictPublicBuckets, only services and the resource's own account
// get in.
func restricted(c PrincipalInfo, account string) bool {
	return !(c.Service != "" || (!c.Anonymous && c.Account == account))
}
