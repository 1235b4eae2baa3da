package audit

import (
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
)

// sampleKeyPart stands in for the "*" of a key pattern in sample requests.
const sampleKeyPart = "s3grant-audit-sample"

// auditS3Actions are the S3 actions the audit tries, object-level first.
func auditS3Actions() []string {
	return []string{
		"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl", "s3:PutObjectAcl",
		"s3:ListBucket", "s3:GetBucketLocation",
		"s3:GetBucketAcl", "s3:PutBucketAcl", "s3:GetBucketPolicy", "s3:PutBucketPolicy",
	}
}

// auditKMSActions are the key actions the audit tries.
func auditKMSActions() []string {
	return []string{"kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:DescribeKey", "kms:PutKeyPolicy"}
}

// assumedIdentity stands for the other side's identity policies, which the
// owner cannot see: the audit shows the most the owner's documents let in.
func assumedIdentity() []policy.Doc {
	p := &policy.Policy{Version: policy.Version2012, Statement: []policy.Statement{
		{Effect: policy.Allow, Action: policy.One("*"), Resource: policy.One("*")},
	}}
	return []policy.Doc{{
		Name: "the caller's own identity policies (not visible to the owner; assumed to allow)",
		Kind: policy.KindIdentityPolicy, Policy: p,
	}}
}

func (a *auditor) evaluate(g *ExternalGrant, d policyDoc, s policy.Statement) {
	caller, as, why, ok := evalPrincipal(*g, s, a.partition(), a.outsiderAccount())
	if !ok {
		g.NotEvaluated = why
		return
	}
	if d.kind == policy.KindKeyPolicy {
		g.Access = a.evalKey(caller, d, s)
	} else {
		for _, r := range a.sampleRequests(d, s) {
			r.Principal = caller
			g.Access = append(g.Access, a.decidePaths(r, d, s, caller)...)
		}
	}
	for i := range g.Access {
		g.Access[i].As = as
	}
}

// decideS3 decides one sample request under every class of condition
// values.
func (a *auditor) decideS3(r policy.S3Request, set policy.S3Setup) AccessCheck {
	c := AccessCheck{Action: r.Action, Resource: r.S3ResourceARN(), Via: r.AccessPoint}
	if r.AccessPoint != "" {
		c.Resource = r.AccessPointResourceARN()
	}
	sp := a.space()
	keys := sp.keysFor(r.Action, r.Key == "", r.Principal != "")
	c.Decision, c.Why, c.When, c.WhenAnyOf = sp.decide(keys, func(ctx policy.Context) policy.Result {
		req := r
		req.Context = ctx
		return policy.AuthorizeS3(req, set)
	})
	return c
}

// s3Setup is the bucket as the evaluator sees it, from the owner's side.
func (a *auditor) s3Setup(d policyDoc, caller string) policy.S3Setup {
	set := policy.S3Setup{
		BucketPolicy:    a.st.BucketPolicy,
		ObjectOwnership: a.evalOwnership(), BPA: a.effectiveBPA(d.ap),
	}
	if caller != "" {
		set.Identity = assumedIdentity()
	}
	if set.ACLsEnabled() {
		set.BucketACL = a.st.BucketACL
	}
	if d.ap != nil {
		set.AccessPointPolicy = d.ap.Policy
	}
	if e := a.st.Encryption; strings.HasPrefix(e.Algorithm, "aws:kms") && e.KeyARN != "" {
		set.Key = &policy.KeySetup{ARN: e.KeyARN, AWSManaged: e.AWSManaged, Policy: e.KeyPolicy}
	}
	return set
}

// evalOwnership maps the bucket's setting to the evaluator's, where "" means
// BucketOwnerEnforced; a bucket with no setting has ACLs on, as ObjectWriter.
func (a *auditor) evalOwnership() string {
	if a.st.ObjectOwnership == "" {
		return policy.OwnershipObjectWriter
	}
	return a.st.ObjectOwnership
}

// effectiveBPA combines the account's, the bucket's and (for requests through
// it) the access point's Block Public Access: any of them turns a switch on.
func (a *auditor) effectiveBPA(ap *AccessPointState) policy.BlockPublicAccess {
	var out policy.BlockPublicAccess
	levels := []plan.PublicAccessBlock{a.st.AccountBPA, a.st.BucketBPA}
	if ap != nil {
		levels = append(levels, ap.BPA)
	}
	for _, b := range levels {
		out.RestrictPublicBuckets = out.RestrictPublicBuckets || b.RestrictPublicBuckets
		out.IgnorePublicAcls = out.IgnorePublicAcls || b.IgnorePublicAcls
	}
	return out
}

// sampleRequests turns a statement's actions and resources into concrete
// requests: each audited action the statement covers, on a sample key under
// each object pattern, or on the bucket.
func (a *auditor) sampleRequests(d policyDoc, s policy.Statement) []policy.S3Request {
	type target struct{ key, ap string }
	var targets []target
	resources := s.Resource.Values
	if len(resources) == 0 || !s.NotResource.Empty() {
		resources = []string{"*"}
	}
	for _, r := range resources {
		switch {
		case r == "*" && d.ap != nil:
			targets = append(targets, target{ap: d.ap.ARN}, target{key: sampleKeyPart, ap: d.ap.ARN})
		case r == "*":
			targets = append(targets, target{}, target{key: sampleKeyPart})
		case r == a.bucketARN():
			targets = append(targets, target{})
		case strings.HasPrefix(r, a.bucketARN()+"/"):
			targets = append(targets, target{key: sampleKey(strings.TrimPrefix(r, a.bucketARN()+"/"))})
		case d.ap != nil && r == d.ap.ARN:
			targets = append(targets, target{ap: d.ap.ARN})
		case d.ap != nil && strings.HasPrefix(r, d.ap.ARN+"/object/"):
			targets = append(targets, target{key: sampleKey(strings.TrimPrefix(r, d.ap.ARN+"/object/")), ap: d.ap.ARN})
		}
	}
	var out []policy.S3Request
	seen := map[string]bool{}
	for _, t := range targets {
		for _, act := range auditS3Actions() {
			if isBucketAction(act) != (t.key == "") || !coversAction(s, act) {
				continue
			}
			id := act + "|" + t.key + "|" + t.ap
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, policy.S3Request{
				Action: act, Bucket: a.st.Bucket, Key: t.key, BucketAccount: a.st.OwnerAccount,
				AccessPoint: t.ap, Partition: a.partition(),
			})
		}
	}
	return out
}

func (a *auditor) evalKey(caller string, d policyDoc, s policy.Statement) []AccessCheck {
	var out []AccessCheck
	key, _ := arn.Parse(d.target)
	sp := a.space()
	for _, act := range auditKMSActions() {
		if !coversAction(s, act) {
			continue
		}
		c := AccessCheck{Action: act, Resource: d.target}
		keys := sp.keysFor(act, false, caller != "")
		c.Decision, c.Why, c.When, c.WhenAnyOf = sp.decide(keys, func(ctx policy.Context) policy.Result {
			// S3 calls the key for the bucket's objects: kms:ViaService is
			// S3 in the key's region, kms:CallerAccount the caller's.
			ctx = ctx.Set("kms:ViaService", "s3."+key.Region+".amazonaws.com")
			if acct := policy.ParsePrincipal(caller).Account; acct != "" {
				ctx = ctx.Set("kms:CallerAccount", acct)
			}
			in := policy.Input{
				Request: policy.Request{
					Principal: caller, Action: act, Resource: d.target,
					ResourceAccount: a.st.OwnerAccount, Context: ctx,
				},
				Resource: &policy.Doc{Name: d.name, Kind: policy.KindKeyPolicy, Policy: d.p}, Stage: "key",
			}
			if caller != "" {
				in.Identity = assumedIdentity()
			}
			return policy.Evaluate(in)
		})
		out = append(out, c)
	}
	return out
}

// sampleKey fills a key pattern's wildcards with sample text.
func sampleKey(pattern string) string {
	return strings.NewReplacer("*", sampleKeyPart, "?", "x").Replace(pattern)
}

// isBucketAction reports whether an S3 action works on the bucket rather
// than on an object.
func isBucketAction(action string) bool { return strings.Contains(action, "Bucket") }

// coversAction reports whether the statement's Action (or NotAction) covers
// an action, with IAM's case-insensitive wildcards.
func coversAction(s policy.Statement, action string) bool {
	if !s.NotAction.Empty() {
		return !anyActionMatch(s.NotAction.Values, action)
	}
	return anyActionMatch(s.Action.Values, action)
}

func anyActionMatch(patterns []string, action string) bool {
	for _, p := range patterns {
		if wildcardMatch(strings.ToLower(p), strings.ToLower(action)) {
			return true
		}
	}
	return false
}

// wildcardMatch matches IAM's * (any run) and ? (one character).
func wildcardMatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if wildcardMatch(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
		}
		p, s = p[1:], s[1:]
	}
	return s == ""
}
