package policy

import "strings"

// Prepared is a set of documents compiled once to decide many requests:
// actions lower-cased, resource ARNs split into segments, condition
// operators read and their keys lower-cased, so a decision reads the
// documents without parsing, sorting or allocating. Decide gives the
// decision only; Explain builds the reasons (through Evaluate) when they are
// to be shown. A Prepared is read-only and safe for concurrent use; the
// documents must not change after Prepare.
type Prepared struct {
	in       Input
	identity []compiledDoc
	resource *compiledDoc
}

// Prepare compiles the documents of in (its Request is ignored).
func Prepare(in Input) *Prepared {
	p := &Prepared{in: in}
	p.in.Request = Request{}
	for _, d := range in.Identity {
		p.identity = append(p.identity, compileDoc(d))
	}
	if in.Resource != nil && in.Resource.Policy != nil {
		c := compileDoc(*in.Resource)
		p.resource = &c
	}
	return p
}

// Explain decides req with its reasons, exactly as Evaluate does.
func (p *Prepared) Explain(req Request) Result {
	in := p.in
	in.Request = req
	return Evaluate(in)
}

// Decide returns what Evaluate would decide for req, without the reasons.
func (p *Prepared) Decide(req Request) Decision {
	if p.in.Resource != nil && p.in.Resource.Kind == KindKeyPolicy && IsKMSAlias(req.Resource) {
		return p.Explain(req).Decision // aliases are decided by IAM policies alone (eval_alias.go)
	}
	v := newReqView(req)
	var id, rp tally
	if !p.in.IdentityDecided {
		for i := range p.identity {
			id.add(p.identity[i].eval(&v, false))
		}
	}
	if p.resource != nil {
		rp = p.resource.eval(&v, true)
	}
	if id.denies+rp.denies > 0 {
		return ExplicitlyDenied
	}
	return verdict(p.in, &v, id, rp)
}

// tally counts the statements of one side that applied, by the lists
// docOutcome keeps (evalDoc in eval_stmt.go); Decide needs only the counts.
type tally struct{ denies, allows, direct, account int }

func (t *tally) add(x tally) {
	t.denies += x.denies
	t.allows += x.allows
	t.direct += x.direct
	t.account += x.account
}

// verdict is decideAllow (eval_decide.go) without the reasons: the same
// cases in the same order. TestPreparedMatchesEvaluate holds the two
// together.
func verdict(in Input, v *reqView, id, rp tally) Decision {
	caller := &v.caller
	identityAllows := id.allows > 0 || in.IdentityDecided
	resourceAllows := rp.direct > 0 || rp.account > 0
	same := caller.Account != "" && caller.Account == v.req.ResourceAccount
	var ok bool
	switch {
	case caller.Anonymous:
		ok = rp.direct > 0
	case caller.Service != "": // decideAllow's service(): the resource policy alone
		ok = rp.direct > 0
	case in.IdentityDecided:
		ok = same || resourceAllows
	case same && in.resourceMustAllow():
		ok = rp.direct > 0 || rp.account > 0 && identityAllows
	case same:
		ok = identityAllows || rp.direct > 0
	default:
		ok = identityAllows && resourceAllows
	}
	if ok {
		return Allowed
	}
	return ImplicitlyDenied
}

// compiledDoc is one document ready for Decide.
type compiledDoc struct {
	vars  bool // policy variables are substituted (Version 2012-10-17)
	stmts []compiledStmt
}

type compiledStmt struct {
	src       *Statement
	deny      bool
	notAction bool
	actions   []string // lower-cased patterns
	resMode   int      // resAny, resList or resNot
	resources []arnPattern
	conds     []compiledCond // every operator and key, all must hold
}

const (
	resAny  = iota // neither Resource nor NotResource: the attached resource
	resList        // Resource
	resNot         // NotResource
)

type compiledCond struct {
	op   condOp
	key  string // lower-cased, as Context stores keys
	vals []string
	vars bool // a value holds a policy variable
}

func compileDoc(d Doc) compiledDoc {
	out := compiledDoc{}
	if d.Policy == nil {
		return out
	}
	out.vars = d.Policy.Version == Version2012
	for i := range d.Policy.Statement {
		out.stmts = append(out.stmts, compileStmt(&d.Policy.Statement[i], out.vars))
	}
	return out
}

func compileStmt(s *Statement, vars bool) compiledStmt {
	c := compiledStmt{src: s, deny: s.Effect == Deny}
	acts := s.Action.Values
	if !s.NotAction.Empty() {
		c.notAction, acts = true, s.NotAction.Values
	}
	for _, a := range acts {
		c.actions = append(c.actions, strings.ToLower(a))
	}
	res := s.Resource.Values
	switch {
	case !s.NotResource.Empty():
		c.resMode, res = resNot, s.NotResource.Values
	case !s.Resource.Empty():
		c.resMode = resList
	default:
		res = nil
	}
	for _, r := range res {
		c.resources = append(c.resources, compileARN(r, vars))
	}
	for _, op := range sortedKeys(s.Condition) {
		o := parseCondOp(op)
		for _, k := range sortedKeys(s.Condition[op]) {
			vals := s.Condition[op][k].Strings()
			c.conds = append(c.conds, compiledCond{op: o, key: strings.ToLower(k), vals: vals, vars: vars && hasAnyVariable(vals)})
		}
	}
	return c
}

func hasAnyVariable(vals []string) bool {
	for _, v := range vals {
		if hasVariable(v) {
			return true
		}
	}
	return false
}
