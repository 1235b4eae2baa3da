package policy

import (
	"fmt"
	"strings"
)

// Decision is the outcome of evaluating a request, named as AWS's policy
// evaluation logic names them.
type Decision string

// The three decisions.
const (
	Allowed          Decision = "Allowed"
	ExplicitlyDenied Decision = "ExplicitlyDenied"
	ImplicitlyDenied Decision = "ImplicitlyDenied"
)

// ParseDecision reads a decision name, case-insensitively.
func ParseDecision(s string) (Decision, bool) {
	for _, d := range []Decision{Allowed, ExplicitlyDenied, ImplicitlyDenied} {
		if strings.EqualFold(s, string(d)) {
			return d, true
		}
	}
	return "", false
}

// Reason says why a decision came out the way it did: which statement of
// which document allowed or denied, or which side had no allow.
type Reason struct {
	Stage     string `json:"stage,omitempty"`     // "access point", "bucket", "key", "trust", ...
	Document  string `json:"document"`            // e.g. "bucket policy arn:aws:s3:::b"
	Statement string `json:"statement,omitempty"` // the Sid, or Statement[i] when it has none
	Effect    string `json:"effect,omitempty"`    // Allow or Deny when a statement matched
	Message   string `json:"message"`
}

// String renders the reason on one line.
func (r Reason) String() string {
	var b strings.Builder
	if r.Stage != "" {
		b.WriteString("[" + r.Stage + "] ")
	}
	b.WriteString(r.Document)
	if r.Statement != "" {
		fmt.Fprintf(&b, ", statement %s", r.Statement)
	}
	if r.Effect != "" {
		fmt.Fprintf(&b, " (%s)", r.Effect)
	}
	b.WriteString(": " + r.Message)
	return b.String()
}

// Result is a decision with its reasons.
type Result struct {
	Decision Decision `json:"decision"`
	Reasons  []Reason `json:"reasons"`
}

// Allowed reports whether the request is allowed.
func (r Result) Allowed() bool { return r.Decision == Allowed }

// Request is one API call as the evaluator sees it.
type Request struct {
	// Principal is the caller's ARN (a role, a role session
	// arn:aws:sts::A:assumed-role/R/S, a user, an account root), a service
	// principal such as s3.amazonaws.com, or "" for an anonymous request.
	Principal string
	Action    string // e.g. s3:GetObject
	Resource  string // the resource ARN
	// ResourceAccount owns the resource: same- or cross-account evaluation
	// is decided by comparing it with the principal's account.
	ResourceAccount string
	Context         Context
}

// Doc is a policy document with the name the reasons use for it.
type Doc struct {
	Name   string
	Kind   Kind
	Policy *Policy
}

// Input is a request and the documents that decide it: the caller's
// identity-based policies and at most one resource-based policy.
type Input struct {
	Request  Request
	Identity []Doc
	Resource *Doc // nil: the resource has no resource-based policy
	// Stage labels the reasons (e.g. "bucket").
	Stage string
	// IdentityDecided means the identity side was already decided elsewhere
	// (the bucket half of an access point request): a caller from another
	// account then needs the resource policy to allow; one from the
	// resource's own account is allowed unless a statement denies.
	IdentityDecided bool

	// grants are resource-side allows from outside the resource policy
	// (ACL grants); denyOnly drops the resource policy's allows (a bucket
	// policy cannot grant on objects another account owns).
	grants   docOutcome
	denyOnly bool
}

// resourceMustAllow reports whether the resource policy has to allow even
// within one account: role trust policies and KMS key policies.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
func (in Input) resourceMustAllow() bool {
	return in.Resource != nil && (in.Resource.Kind == KindTrustPolicy || in.Resource.Kind == KindKeyPolicy)
}

// Evaluate decides one request with AWS's policy evaluation logic:
// an explicit Deny in any document wins; within one account an allow from
// the identity side or from a resource policy that names the principal
// itself is enough (naming only the account delegates to IAM, so the
// identity side must allow); across accounts both sides must allow; role
// trust and key policies must allow explicitly even within one account.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
func Evaluate(in Input) Result {
	req := in.Request
	req.Context = req.Context.withImplied(req)
	if in.Resource != nil && in.Resource.Kind == KindKeyPolicy && IsKMSAlias(req.Resource) {
		return evaluateAlias(in, req)
	}
	var id, rp docOutcome
	if !in.IdentityDecided {
		for _, d := range in.Identity {
			id.add(evalDoc(d, req, false))
		}
	}
	if in.Resource != nil && in.Resource.Policy != nil {
		rp = evalDoc(*in.Resource, req, true)
	}
	if in.denyOnly {
		rp = docOutcome{denies: rp.denies}
	}
	rp.add(in.grants)
	if denies := append(id.denies, rp.denies...); len(denies) > 0 {
		return Result{Decision: ExplicitlyDenied, Reasons: stage(in.Stage, denies)}
	}
	return stageResult(in.Stage, decideAllow(in, req, id, rp))
}

// implicit builds an implicit deny: the missing side(s) first, then the
// statements that came close (matched all but their conditions).
func implicit(near docOutcome, why ...Reason) Result {
	return Result{Decision: ImplicitlyDenied, Reasons: append(why, near.near...)}
}

func mergeNear(a, b docOutcome) docOutcome {
	return docOutcome{near: append(append([]Reason(nil), a.near...), b.near...)}
}

func stage(name string, rs []Reason) []Reason {
	out := make([]Reason, len(rs))
	for i, r := range rs {
		if r.Stage == "" {
			r.Stage = name
		}
		out[i] = r
	}
	return out
}

func stageResult(name string, r Result) Result {
	r.Reasons = stage(name, r.Reasons)
	return r
}

// Combine joins the results of the stages one request must pass (access
// point, bucket, key): an explicit deny in any wins, then any implicit deny;
// the request is allowed only when every stage allows.
func Combine(rs ...Result) Result {
	out := Result{Decision: Allowed}
	for _, r := range rs {
		switch {
		case r.Decision == ExplicitlyDenied && out.Decision != ExplicitlyDenied:
			out.Decision = ExplicitlyDenied
		case r.Decision == ImplicitlyDenied && out.Decision == Allowed:
			out.Decision = ImplicitlyDenied
		}
	}
	for _, r := range rs {
		if out.Decision == Allowed || r.Decision == out.Decision {
			out.Reasons = append(out.Reasons, r.Reasons...)
		}
	}
	return out
}
