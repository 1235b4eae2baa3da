package check

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// Names the matrix invents for the requests that must be denied.
const (
	checkSession  = "s3grant-check"
	checkKeyName  = "s3grant-check.txt"
	outsidePrefix = "s3grant-outside-prefix/"
	otherOrgID    = "o-s3grantother0"
)

// outsiderAccount invents an account that is neither the owner nor a
// consumer, for the "another account" requests.
func outsiderAccount(s spec.Spec) string {
	taken := map[string]bool{s.OwnerAccount: true}
	for _, c := range s.ConsumerAccounts {
		taken[c] = true
	}
	for n := 999988887777; ; n-- {
		if id := fmt.Sprintf("%012d", n); !taken[id] {
			return id
		}
	}
}

// world is the plan's documents as the evaluator needs them: who has which
// identity policies, and each resource's policy.
type world struct {
	s            spec.Spec
	bucketPolicy *policy.Policy
	apPolicies   map[string]*policy.Policy // by access point ARN
	keyPolicy    *policy.Policy
	trust        map[string]*policy.Policy // by role ARN
	identity     map[string][]policy.Doc   // by principal ARN
	managed      map[string][]policy.Doc   // managed policies, by account
	acl          *policy.ACL
	ownership    string
	canonical    map[string]string // consumer account -> canonical user ID
	key          *policy.KeySetup  // the objects' SSE-KMS key, when known
}

func newWorld(p *plan.Plan, facts plan.Facts) *world {
	w := &world{
		s: p.Spec, apPolicies: map[string]*policy.Policy{}, trust: map[string]*policy.Policy{},
		identity: map[string][]policy.Doc{}, managed: map[string][]policy.Doc{}, canonical: map[string]string{},
	}
	for _, d := range p.Documents {
		name := fmt.Sprintf("%s %s", d.Kind, d.Target)
		if d.Name != "" {
			name = fmt.Sprintf("%s %s on %s", d.Kind, d.Name, d.Target)
		}
		switch d.Kind {
		case policy.KindBucketPolicy:
			w.bucketPolicy = d.Policy
		case policy.KindAccessPointPolicy:
			w.apPolicies[d.Target] = d.Policy
		case policy.KindKeyPolicy:
			w.keyPolicy = d.Policy
		case policy.KindTrustPolicy:
			w.trust[d.Target] = d.Policy
		case policy.KindIdentityPolicy:
			doc := policy.Doc{Name: name, Kind: policy.KindIdentityPolicy, Policy: d.Policy}
			if d.Managed {
				w.managed[d.AccountID] = append(w.managed[d.AccountID], doc)
			} else {
				w.identity[d.Target] = append(w.identity[d.Target], doc)
			}
		case policy.KindBucketACL:
			w.acl = d.ACL
		default: // no special case
		}
	}
	// The ACL method enables ACLs on apply; every other method keeps (or
	// expects) BucketOwnerEnforced.
	w.ownership = policy.OwnershipBucketOwnerEnforced
	if p.Spec.Method == spec.MethodACL {
		w.ownership = policy.OwnershipBucketOwnerPreferred
	}
	if facts.Read && p.Spec.Method != spec.MethodACL {
		w.ownership = facts.ObjectOwnership
		if w.ownership == "" { // not set: an old bucket with ACLs on
			w.ownership = policy.OwnershipObjectWriter
		}
	}
	w.key = objectKey(p, w.keyPolicy, facts)
	for i, acct := range p.Spec.ConsumerAccounts {
		if i < len(p.Spec.CanonicalIDs) {
			w.canonical[acct] = p.Spec.CanonicalIDs[i]
		}
	}
	return w
}

// caller is a principal the matrix makes requests as, with the identity
// policies it holds.
type caller struct {
	arn      string // the ARN requests are made with (a role session for roles)
	label    string
	account  string
	identity []policy.Doc
}

// consumers are the principals that must get in: each named principal (a
// role acts through a session), or, in an account where none was named, a
// role holding the managed policy the plan creates there.
func (w *world) consumers() []caller {
	var out []caller
	for _, acct := range w.s.ConsumerAccounts {
		named := w.s.PrincipalsIn(acct)
		if len(named) == 0 {
			out = append(out, caller{
				arn: arn.AssumedRole(w.s.Partition(), acct, checkSession, checkSession), account: acct,
				label: "a role in " + acct + " holding the managed policy", identity: w.managed[acct],
			})
			continue
		}
		for _, p := range named {
			c := caller{arn: p, label: p, account: acct, identity: w.identity[p]}
			if strings.Contains(p, ":role/") {
				c.arn = policy.RoleSession(p, checkSession)
			}
			out = append(out, c)
		}
	}
	return out
}

// admin is a principal whose own account lets it do anything: only the
// resource side can keep it out.
func admin(arn, account, label string) caller {
	all := &policy.Policy{Version: policy.Version2012, Statement: []policy.Statement{
		{Effect: policy.Allow, Action: policy.One("*"), Resource: policy.One("*")},
	}}
	return caller{
		arn: arn, account: account, label: label,
		identity: []policy.Doc{{
			Name: "identity policy allowing everything (its own admin)",
			Kind: policy.KindIdentityPolicy, Policy: all,
		}},
	}
}

func (w *world) roleARN() string { return w.s.RoleARN() }

// accessPointARN is the access point requests go through, or "".
func (w *world) accessPointARN() string {
	if w.s.Method != spec.MethodAccessPoint {
		return ""
	}
	acct := w.s.OwnerAccount
	if w.s.APOwnerIsConsumer() {
		acct = w.s.ConsumerAccounts[0]
	}
	return w.s.AccessPointARN(acct)
}

// baseContext is what every consumer request carries: the organization,
// when the plan requires one.
func (w *world) baseContext() policy.Context {
	ctx := policy.Context{}
	if w.s.OrgID != "" {
		ctx.Set("aws:PrincipalOrgID", w.s.OrgID)
	}
	return ctx
}

// s3Call is one S3 request of the matrix.
type s3Call struct {
	who    caller
	action string
	key    string // "" for bucket-level actions
	prefix string // s3:prefix for ListBucket
	ctx    policy.Context
	direct bool // iam-role: call the bucket without assuming the role
}

// evaluate decides an S3 request with the plan's documents. For iam-role the
// caller first assumes the role (trust policy AND its own identity policy,
// with the ExternalId), then the role session makes the request.
func (w *world) evaluate(c s3Call) (policy.Result, string, string) {
	ctx := w.baseContext()
	for _, k := range c.ctx.Keys() {
		v, _ := c.ctx.Get(k)
		ctx.Set(k, v...)
	}
	if c.prefix != "" {
		ctx.Set("s3:prefix", c.prefix)
	}
	if strings.EqualFold(c.action, templates.ActPutObject) {
		// The matrix's uploads are single PutObject requests, which create
		// the object (multipart steps are exempted by this key).
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
		ctx.Default("s3:ObjectCreationOperation", "true")
	}
	req := policy.S3Request{
		Principal: c.who.arn, CanonicalID: w.canonical[c.who.account], Action: c.action,
		Bucket: w.s.Bucket, Key: c.key, BucketAccount: w.s.OwnerAccount,
		AccessPoint: w.accessPointARN(), Partition: w.s.Partition(), Context: ctx,
	}
	set := policy.S3Setup{
		Identity: c.who.identity, BucketPolicy: w.bucketPolicy, AccessPointPolicy: w.apPolicies[req.AccessPoint],
		BucketACL: w.acl, ObjectOwnership: w.ownership,
	}
	set.Key = w.key
	resource := req.S3ResourceARN()
	if req.AccessPoint != "" {
		resource = req.AccessPointResourceARN()
	}
	if w.s.Method != spec.MethodIAMRole || c.direct || c.who.arn == "" {
		return policy.AuthorizeS3(req, set), resource, req.AccessPoint
	}
	assumed := w.assume(c.who, ctx)
	// The role's session is the owner's principal: whether the owner is in
	// the consumer's organization is not known, so the session carries none.
	req.Context = withoutOrg(ctx)
	req.Principal = policy.RoleSession(w.roleARN(), checkSession)
	set.Identity = w.identity[w.roleARN()]
	return policy.Combine(assumed, policy.AuthorizeS3(req, set)), resource, ""
}

// assume evaluates sts:AssumeRole on the plan's role.
func (w *world) assume(who caller, ctx policy.Context) policy.Result {
	role := w.roleARN()
	return policy.Evaluate(policy.Input{
		Request: policy.Request{
			Principal: who.arn, Action: templates.ActAssumeRole,
			Resource: role, ResourceAccount: w.s.OwnerAccount, Context: ctx,
		},
		Identity: who.identity,
		Resource: &policy.Doc{Name: "trust policy " + role, Kind: policy.KindTrustPolicy, Policy: w.trust[role]},
		Stage:    "assume role",
	})
}

// keyCall evaluates a KMS action on the plan's key as S3 would make it for
// the caller (through S3, so kms:ViaService is set).
func (w *world) keyCall(who caller, action string) policy.Result {
	principal, identity := who.arn, who.identity
	key, _ := arn.Parse(w.s.KMSKey)
	ctx := w.baseContext().Set("kms:ViaService", "s3."+key.Region+".amazonaws.com")
	if w.s.Method == spec.MethodIAMRole {
		principal, identity = policy.RoleSession(w.roleARN(), checkSession), w.identity[w.roleARN()]
		ctx = withoutOrg(ctx)
	}
	return policy.Evaluate(policy.Input{
		Request: policy.Request{
			Principal: principal, Action: action,
			Resource: w.s.KMSKey, ResourceAccount: w.s.OwnerAccount, Context: ctx,
		},
		Identity: identity,
		Resource: &policy.Doc{Name: "key policy " + w.s.KMSKey, Kind: policy.KindKeyPolicy, Policy: w.keyPolicy},
		Stage:    "key",
	})
}

// objectKey is the key the objects are encrypted with: the one the spec
// names (with the plan's key policy), else what the bucket's default
// encryption says: the AWS-managed aws/s3 key, or a customer managed key
// whose policy the plan does not hold (so the consumer cannot be shown to
// get in).
func objectKey(p *plan.Plan, keyPolicy *policy.Policy, facts plan.Facts) *policy.KeySetup {
	switch {
	case p.Spec.KMSKey != "":
		return &policy.KeySetup{ARN: p.Spec.KMSKey, Policy: keyPolicy}
	case facts.Read && facts.SSEAWSManagedKey:
		key := facts.SSEKeyARN
		if key == "" {
			key = arn.Alias(p.Spec.Partition(), p.Spec.Region, p.Spec.OwnerAccount, "aws/s3")
		}
		return &policy.KeySetup{ARN: key, AWSManaged: true}
	case facts.Read && facts.SSEKeyARN != "":
		return &policy.KeySetup{ARN: facts.SSEKeyARN}
	}
	return nil
}

// withoutOrg returns ctx without aws:PrincipalOrgID.
func withoutOrg(ctx policy.Context) policy.Context {
	out := ctx.Clone()
	delete(out, "aws:principalorgid")
	return out
}
