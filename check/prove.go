package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// Proof is the check over every request rather than a sample: every S3
// action of the Service Authorization Reference, asked by every class of
// principal (the consumer's administrator allowing everything on its own
// side), on every class of resource, along every path, with every class of
// condition value the owner's documents distinguish. Access that the spec
// does not ask for is Extra when s3grant's own statements grant it, and
// Foreign (a finding) when only statements s3grant does not own do.
type Proof struct {
	OK            bool                `json:"ok"`
	Actions       int                 `json:"actions"`
	ActionClasses int                 `json:"action_classes"`
	Principals    []string            `json:"principals"`
	Paths         []string            `json:"paths"`
	Keys          []string            `json:"keys"`
	ListPrefixes  []string            `json:"list_prefixes"`
	Context       map[string][]string `json:"context"`
	Requests      int                 `json:"requests"`
	Evaluations   int                 `json:"evaluations"`
	Extra         []ExtraAccess       `json:"extra"`
	Foreign       []ExtraAccess       `json:"foreign"`
	Assumptions   []string            `json:"assumptions"`
}

// ExtraAccess is one request the documents allow that the spec does not
// ask for, with the statements that allow it and why it is extra.
type ExtraAccess struct {
	Who         string              `json:"who"`
	Principal   string              `json:"principal"`
	Action      string              `json:"action"`
	Resource    string              `json:"resource"`
	Path        string              `json:"path"`
	Context     map[string][]string `json:"context,omitempty"`
	Statements  []string            `json:"statements"`
	Why         string              `json:"why"`
	ownedByPlan bool
}

// Prove runs the proof on a plan's documents (facts: the bucket settings
// read from AWS, when known).
func Prove(p *plan.Plan, facts plan.Facts) *Proof {
	u := newUniverse(p, facts)
	return u.prove()
}

// request is one resource class of one action.
type proofReq struct {
	kind   string // object, bucket, accesspoint, other
	bucket string
	key    string
	prefix string // s3:prefix for listing; absent when not listing
	arn    string // the resource of accesspoint and other requests
}

func (u *universe) prove() *Proof {
	pr := &Proof{Assumptions: u.assumptions()}
	u.enumerate(pr, func(
		cls actionClass,
		req proofReq,
		w who,
		pa path,
		ctx policy.Context,
		res func() policy.Result,
	) bool {
		if why := u.unexpected(cls.rep, req, w, pa, ctx); why != "" {
			u.record(pr, cls.members, req, w, pa, ctx, res(), why)
			return true // one witness per request class is enough
		}
		return false
	})
	u.assumed = map[[2]int]policy.Result{} // the key's context combinations differ
	u.proveKey(pr)
	pr.OK = len(pr.Extra) == 0
	return pr
}

// visitor sees each allowed request; it returns true to stop trying other
// condition values for that request class. res builds the decision's
// reasons, for the requests a visitor records.
type visitor func(cls actionClass, req proofReq, w who, pa path, ctx policy.Context, res func() policy.Result) bool

// enumerate decides every request class (each action class, resource
// class, principal class and path) under every combination of condition
// values, and shows each allowed one to visit. It fills pr's coverage.
func (u *universe) enumerate(pr *Proof, visit visitor) {
	whos, paths := u.principals(), u.paths()
	keys, prefixes := u.objectKeys(), u.listPrefixes()
	freeKeys, classes := u.freeKeys()
	combos := policy.Combinations(freeKeys, classes)
	pr.Context = map[string][]string{}
	for _, w := range whos {
		pr.Principals = append(pr.Principals, w.label)
	}
	for _, p := range paths {
		pr.Paths = append(pr.Paths, p.label)
	}
	pr.Keys, pr.ListPrefixes = keys, displayValues(prefixes)
	for _, k := range freeKeys {
		pr.Context[u.keyName(k)] = displayValues(classes[k])
	}
	actionClasses := u.actionClasses()
	pr.ActionClasses = len(actionClasses)
	u.assumed = map[[2]int]policy.Result{}
	for _, cls := range actionClasses {
		pr.Actions += len(cls.members)
		for _, req := range u.requestsFor(cls.rep, keys, prefixes) {
			for wi, w := range whos {
				for _, pa := range paths {
					if !u.applies(cls.rep, req, w, pa) {
						continue
					}
					pr.Requests++
					u.decideAll(pr, cls, req, wi, w, pa, combos, visit)
				}
			}
		}
	}
}

// decideAll decides one request class under every combination of condition
// values, shows the allowed ones to visit, and stops early when no
// combination can change an implicit deny.
func (u *universe) decideAll(
	pr *Proof,
	cls actionClass,
	req proofReq,
	wi int,
	w who,
	pa path,
	combos []policy.ContextSet,
	visit visitor,
) {
	for ci, combo := range combos {
		ctx := u.context(cls.rep, req, w, combo)
		d, near := u.decideFast(cls.rep, req, wi, w, pa, ci, ctx)
		pr.Evaluations++
		if d == policy.Allowed {
			res := func() policy.Result { return u.decide(cls.rep, req, wi, w, pa, ci, ctx) }
			if visit(cls, req, w, pa, ctx, res) {
				return
			}
			continue
		}
		// Without a near miss (an Allow that matched all but its
		// conditions) no other condition value can allow it.
		if d == policy.ImplicitlyDenied && !near {
			return
		}
	}
}

// context builds the request context of one combination: the free keys the
// action can carry, s3:prefix when listing, no organization for callers
// outside any (anonymous, services).
func (u *universe) context(a policy.S3Action, req proofReq, w who, combo policy.ContextSet) policy.Context {
	ctx := combo.Apply(policy.Context{}, func(k string) bool {
		if strings.HasPrefix(k, "s3:") {
			return a.Supports(k)
		}
		if k == "aws:principalorgid" {
			return w.account != ""
		}
		return true
	})
	if req.kind == policy.S3ResBucket && req.prefix != absent {
		ctx.Set("s3:prefix", req.prefix)
	}
	return ctx
}

// record adds one extra access for every action of members.
func (u *universe) record(
	pr *Proof,
	members []policy.S3Action,
	req proofReq,
	w who,
	pa path,
	ctx policy.Context,
	res policy.Result,
	why string,
) {
	stmts, owned := u.grantingStatements(res, pa)
	resource := req.arn
	if resource == "" {
		resource = u.resourceARN(req, pa)
	}
	shown := map[string][]string{}
	for _, k := range ctx.Keys() {
		shown[u.keyName(k)], _ = ctx.Get(k)
	}
	for _, m := range members {
		e := ExtraAccess{
			Who: w.label, Principal: principalOrAnonymous(w.arn), Action: m.IAMName(), Resource: resource,
			Path: pa.label, Context: shown, Statements: stmts, Why: why, ownedByPlan: owned,
		}
		if owned {
			pr.Extra = append(pr.Extra, e)
		} else {
			pr.Foreign = append(pr.Foreign, e)
		}
	}
}

// grantingStatements names the owner's statements (and ACL grants) that
// allowed the request, and whether any of them is s3grant's own.
func (u *universe) grantingStatements(res policy.Result, pa path) ([]string, bool) {
	var out []string
	owned, found := false, false
	for _, r := range res.Reasons {
		consumerAP := pa.consumerAP && r.Document == "access point policy "+pa.ap
		if r.Effect != policy.Allow || r.Document == adversaryDoc || consumerAP {
			continue
		}
		found = true
		out = append(out, r.Document+", statement "+r.Statement)
		if u.ownedStatement(r) {
			owned = true
		}
	}
	if !found {
		// Nothing of the owner's allowed it by name (the same-account
		// rules did): the grant is answerable.
		return []string{"(no single statement: " + firstMessage(res) + ")"}, true
	}
	return out, owned
}

func firstMessage(res policy.Result) string {
	if len(res.Reasons) == 0 {
		return string(res.Decision)
	}
	return res.Reasons[0].String()
}

// ownedStatement reports whether a granting statement is s3grant's: a Sid
// with the plan's prefix, or an ACL grant the plan adds.
func (u *universe) ownedStatement(r policy.Reason) bool {
	if strings.HasPrefix(r.Document, "bucket ACL of ") {
		var i int
		if _, err := fmt.Sscanf(r.Statement, "Grant[%d]", &i); err != nil ||
			u.w.acl == nil || i < 0 || i >= len(u.w.acl.Grants) {
			return true
		}
		return slices.Contains(u.aclGrants, u.w.acl.Grants[i])
	}
	return u.sidPrefix != "" && strings.HasPrefix(r.Statement, u.sidPrefix)
}

// keyName gives a lower-cased context key its spelling in the documents.
func (u *universe) keyName(k string) string {
	if kc := u.consts[k]; kc != nil {
		return kc.Name
	}
	return displayKey(k)
}

func displayValues(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		switch v {
		case absent:
			out[i] = "(absent)"
		case "":
			out[i] = `""`
		default:
			out[i] = v
		}
	}
	return out
}

// methodPath reports whether a path is one the method grants along: the
// role for iam-role; an access point for access-point and otherwise
// directly or through any access point (a grantee's access through an
// access point it controls is the same access: the principal classes and
// the resource classes judge who and what, the path adds nothing).
func (u *universe) methodPath(pa path) bool {
	switch u.s.Method {
	case spec.MethodIAMRole:
		return pa.viaRole
	case spec.MethodAccessPoint:
		return pa.ap != ""
	default: // no special case
	}
	return !pa.viaRole
}
