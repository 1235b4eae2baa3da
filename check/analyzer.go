package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// Names of the checks modelled on IAM Access Analyzer's custom policy
// checks (CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess),
// decided offline over the same classes as the proof.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html
const (
	CheckNoNewAccess      = "no-new-access"
	CheckAccessNotGranted = "access-not-granted"
	CheckNoPublicAccess   = "no-public-access"
)

// AnalyzerResult is the outcome of one check: whether it passes, and the
// requests that prove it does not.
type AnalyzerResult struct {
	Check    string        `json:"check"`
	Pass     bool          `json:"pass"`
	Subject  string        `json:"subject"`
	Requests []ExtraAccess `json:"requests"`
	Coverage *Proof        `json:"coverage"`
}

// Target is what a check looks at: a plan (its merged documents, the
// consumer allowing everything on its side) or one policy document.
type Target struct {
	Name   string
	Plan   *plan.Plan
	Policy *policy.Policy
}

func (t Target) universe() *universe {
	if t.Plan != nil {
		return newUniverse(t.Plan, plan.Facts{})
	}
	return policyUniverse(t.Policy)
}

// AccessNotGranted checks that no principal (the plan's consumers at their
// worst included) may perform any of actions (S3 actions of the catalogue)
// on any resource.
func AccessNotGranted(t Target, actions []string) *AnalyzerResult {
	u := t.universe()
	r := &AnalyzerResult{Check: CheckAccessNotGranted, Subject: t.Name, Coverage: &Proof{}}
	u.enumerate(r.Coverage, func(
		cls actionClass,
		req proofReq,
		w who,
		pa path,
		ctx policy.Context,
		res func() policy.Result,
	) bool {
		var hit []policy.S3Action
		for _, m := range cls.members {
			if slices.ContainsFunc(actions, func(a string) bool { return strings.EqualFold(a, m.IAMName()) }) {
				hit = append(hit, m)
			}
		}
		if len(hit) == 0 {
			return true
		}
		why := "the check requires that " + strings.Join(actions, ", ") + " is granted to no one"
		u.recordTo(&r.Requests, hit, req, w, pa, ctx, res(), why)
		return true
	})
	r.Pass = len(r.Requests) == 0
	return r
}

// NoPublicAccess checks that neither anonymous callers nor an account no
// document names get any access.
func NoPublicAccess(t Target) *AnalyzerResult {
	u := t.universe()
	r := &AnalyzerResult{Check: CheckNoPublicAccess, Subject: t.Name, Coverage: &Proof{}}
	u.enumerate(r.Coverage, func(
		cls actionClass,
		req proofReq,
		w who,
		pa path,
		ctx policy.Context,
		res func() policy.Result,
	) bool {
		if !w.outsider || restrictedTo(ctx) != "" {
			return !w.outsider
		}
		u.recordTo(&r.Requests, cls.members, req, w, pa, ctx, res(), w.label+" is anyone: access to it is public")
		return true
	})
	r.Pass = len(r.Requests) == 0
	return r
}

// NoNewAccess checks that the new policy allows nothing the existing one
// does not, over the classes both documents' constants define.
func NoNewAccess(existing, updated *policy.Policy) *AnalyzerResult {
	u := policyUniverse(updated, existing)
	r := &AnalyzerResult{Check: CheckNoNewAccess, Subject: "the new policy", Coverage: &Proof{}}
	u.enumerate(r.Coverage, func(
		cls actionClass,
		req proofReq,
		w who,
		pa path,
		ctx policy.Context,
		res func() policy.Result,
	) bool {
		if u.decideWith(existing, cls.rep, req, w, pa, ctx).Allowed() {
			return false
		}
		const why = "the new policy allows it and the existing one does not"
		u.recordTo(&r.Requests, cls.members, req, w, pa, ctx, res(), why)
		return true
	})
	r.Pass = len(r.Requests) == 0
	return r
}

// decideWith decides a request with doc in place of the policy under test.
func (u *universe) decideWith(
	doc *policy.Policy,
	a policy.S3Action,
	req proofReq,
	w who,
	pa path,
	ctx policy.Context,
) policy.Result {
	saved, savedRole := u.w.bucketPolicy, u.roleDocs
	defer func() { u.w.bucketPolicy, u.roleDocs = saved, savedRole }()
	if u.holder {
		u.roleDocs = []policy.Doc{{Name: "the existing policy", Kind: policy.KindIdentityPolicy, Policy: doc}}
	} else {
		u.w.bucketPolicy = doc
	}
	return u.decide(a, req, -1, w, pa, -1, ctx)
}

// recordTo appends one request per action.
func (u *universe) recordTo(
	list *[]ExtraAccess,
	members []policy.S3Action,
	req proofReq,
	w who,
	pa path,
	ctx policy.Context,
	res policy.Result,
	why string,
) {
	pr := &Proof{}
	u.record(pr, members, req, w, pa, ctx, res, why)
	*list = append(*list, pr.Extra...)
	*list = append(*list, pr.Foreign...)
}

// Summary says in one line how the check came out.
func (r *AnalyzerResult) Summary() string {
	if r.Pass {
		return fmt.Sprintf("%s: PASS for %s (%d requests over %d S3 actions)",
			r.Check, r.Subject, r.Coverage.Requests, r.Coverage.Actions)
	}
	return fmt.Sprintf("%s: FAIL for %s: %d requests prove it", r.Check, r.Subject, len(r.Requests))
}

// restrictingKeys are the keys whose fixed values Access Analyzer and S3
// take as a boundary that is not public: a caller whose value is one the
// documents name is inside that boundary, not "anyone".
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
var restrictingKeys = []string{
	"aws:PrincipalOrgID", "aws:SourceAccount", "aws:SourceArn",
	"aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:SourceOwner",
}

// restrictedTo returns the restricting key whose value in ctx is one the
// documents name, or "".
func restrictedTo(ctx policy.Context) string {
	for _, k := range restrictingKeys {
		if v, ok := ctx.Get(k); ok && len(v) > 0 && v[0] != otherValue && v[0] != "192.0.2.1" && v[0] != "2001:db8::1" {
			return k
		}
	}
	return ""
}
