package check

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// What an expectation wants.
const (
	WantAllow = "allow"
	WantDeny  = "deny"
)

// Expectation is one request the plan must allow or must deny, with what
// the evaluator decided and why.
type Expectation struct {
	Want        string              `json:"want"` // allow or deny
	Why         string              `json:"why"`  // what the request proves
	Principal   string              `json:"principal"`
	Action      string              `json:"action"`
	Resource    string              `json:"resource"`
	AccessPoint string              `json:"access_point,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
	Decision    policy.Decision     `json:"decision"`
	Pass        bool                `json:"pass"`
	Reasons     []policy.Reason     `json:"reasons"`
}

// Matrix is the access check of a plan: every expectation and the lint
// findings on its documents.
type Matrix struct {
	GrantID      string        `json:"grant_id"`
	OK           bool          `json:"ok"`
	Passed       int           `json:"passed"`
	Failed       int           `json:"failed"`
	Expectations []Expectation `json:"expectations"`
	// Proof is the check over every request: no access beyond the spec.
	Proof    *Proof           `json:"proof"`
	Findings []policy.Finding `json:"findings"`
}

// Plan builds the plan's access matrix and evaluates it against the
// plan's merged documents: each consumer principal must be able to do each
// action of the access level under each prefix (through the access point,
// or after assuming the role, as the method says), and another account,
// another prefix, an action beyond the level, plain HTTP, an unnamed
// principal and anonymous requests must be denied.
func Plan(p *plan.Plan) *Matrix { return PlanWithFacts(p, plan.Facts{}) }

// PlanWithFacts is Plan with the bucket settings read from AWS: its
// Object Ownership and its default encryption key (the AWS-managed aws/s3
// key never admits another account).
func PlanWithFacts(p *plan.Plan, facts plan.Facts) *Matrix { return planWith(p, facts, nil) }

// planWith is PlanWithFacts whose proof leaves out the principals that the
// owner's documents name in the skip accounts (see universe.skip).
func planWith(p *plan.Plan, facts plan.Facts, skip map[string]bool) *Matrix {
	w := newWorld(p, facts)
	m := &Matrix{GrantID: p.GrantID}
	for _, r := range w.requests() {
		m.check(w, r)
	}
	m.Findings = LintPlan(p)
	u := newUniverse(p, facts)
	u.skip = skip
	m.Proof = u.prove()
	for _, e := range m.Expectations {
		if e.Pass {
			m.Passed++
		} else {
			m.Failed++
		}
	}
	m.OK = m.Failed == 0 && m.Proof.OK
	return m
}

// request is one expectation before it is evaluated: an S3 call, or (with
// keyAction) a KMS call S3 makes for call.who.
type request struct {
	want, why string
	call      s3Call
	keyAction string
}

// requestList collects the matrix's requests.
type requestList []request

// requests lists every request of the matrix: what each consumer must be
// able to do, then what must be denied.
func (w *world) requests() []request {
	var l requestList
	consumers := w.consumers()
	for _, c := range consumers {
		l.mustAllow(w, c)
	}
	if len(consumers) > 0 {
		l.mustDeny(w, consumers[0])
	}
	return l
}

// allowedActions are the actions the plan grants, as the method can grant
// them: access points take no GetBucketLocation, and a bucket ACL cannot
// grant it.
func allowedActions(s spec.Spec) []string {
	var out []string
	for _, a := range templates.AllowedActions(s.Access) {
		if a == templates.ActGetBucketLocation && (s.Method == spec.MethodAccessPoint || s.Method == spec.MethodACL) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// consumerContext is what a legitimate consumer request carries beyond the
// defaults: the ExternalId when assuming the role, the canned ACL the ACL
// method requires on uploads.
func consumerContext(s spec.Spec, action string) policy.Context {
	ctx := policy.Context{}
	if s.Method == spec.MethodIAMRole && s.ExternalID != "" {
		ctx.Set("sts:ExternalId", s.ExternalID)
	}
	if s.Method == spec.MethodACL && action == templates.ActPutObject {
		ctx.Set("s3:x-amz-acl", "bucket-owner-full-control")
	}
	return ctx
}

func (l *requestList) mustAllow(w *world, c caller) {
	s := w.s
	for _, a := range allowedActions(s) {
		switch a {
		case templates.ActGetBucketLocation:
			call := s3Call{who: c, action: a, ctx: consumerContext(s, a)}
			l.add(w, WantAllow, "the consumer finds the bucket's region", call)
		case templates.ActListBucket:
			for _, p := range s.PrefixList() {
				call := s3Call{who: c, action: a, prefix: p, ctx: consumerContext(s, a)}
				l.add(w, WantAllow, "the consumer lists "+prefixLabel(p), call)
			}
		default:
			for _, p := range s.PrefixList() {
				call := s3Call{who: c, action: a, key: p + checkKeyName, ctx: consumerContext(s, a)}
				l.add(w, WantAllow, fmt.Sprintf("the consumer can %s under %s", a, prefixLabel(p)), call)
			}
		}
	}
	if s.KMSKey == "" {
		return
	}
	for _, a := range templates.KMSActions(s.Access) {
		l.addKey(w, WantAllow, "the consumer can use the bucket's key through S3", c, a)
	}
}

func prefixLabel(p string) string {
	if p == "" {
		return "the whole bucket"
	}
	return p
}

// sample is a request the plan allows the consumer, to vary one thing at a
// time in the requests that must be denied.
func sample(w *world, who caller) s3Call {
	s := w.s
	p := s.PrefixList()[0]
	if acts := templates.ObjectActions(s.Access); len(acts) > 0 {
		return s3Call{who: who, action: acts[0], key: p + checkKeyName, ctx: consumerContext(s, acts[0])}
	}
	list := templates.ActListBucket
	return s3Call{who: who, action: list, prefix: p, ctx: consumerContext(s, list)}
}

func (l *requestList) addVaried(w *world, why string, call s3Call) { l.add(w, WantDeny, why, call) }

func (l *requestList) add(_ *world, want, why string, call s3Call) {
	*l = append(*l, request{want: want, why: why, call: call})
}

func (l *requestList) addKey(_ *world, want, why string, who caller, action string) {
	*l = append(*l, request{want: want, why: why, call: s3Call{who: who}, keyAction: action})
}

// check evaluates one request and records it.
func (m *Matrix) check(w *world, r request) {
	if r.keyAction != "" {
		e := Expectation{
			Want: r.want, Why: r.why,
			Principal: principalOrAnonymous(r.call.who.arn), Action: r.keyAction, Resource: w.s.KMSKey,
		}
		m.record(e, w.keyCall(r.call.who, r.keyAction))
		return
	}
	call := r.call
	res, resource, ap := w.evaluate(call)
	ctx := map[string][]string{}
	for _, k := range call.ctx.Keys() {
		ctx[displayKey(k)], _ = call.ctx.Get(k)
	}
	if call.prefix != "" {
		ctx["s3:prefix"] = []string{call.prefix}
	}
	if len(ctx) == 0 {
		ctx = nil
	}
	m.record(Expectation{
		Want: r.want, Why: r.why, Principal: principalOrAnonymous(call.who.arn), Action: call.action,
		Resource: resource, AccessPoint: ap, Context: ctx,
	}, res)
}

func (m *Matrix) record(e Expectation, res policy.Result) {
	e.Decision, e.Reasons = res.Decision, res.Reasons
	e.Pass = (e.Want == WantAllow) == res.Allowed()
	m.Expectations = append(m.Expectations, e)
}

func principalOrAnonymous(arn string) string {
	if arn == "" {
		return "anonymous"
	}
	return arn
}

// displayKey gives the condition keys the matrix sets their documented
// spelling (a Context keeps keys lower-cased: they are case-insensitive).
func displayKey(k string) string {
	spellings := []string{
		"aws:SecureTransport", "aws:PrincipalOrgID", "sts:ExternalId",
		"s3:x-amz-acl", "s3:prefix", "kms:ViaService", "kms:CallerAccount",
	}
	for _, name := range spellings {
		if strings.EqualFold(k, name) {
			return name
		}
	}
	return k
}
