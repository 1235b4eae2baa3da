package policy

import awsarn "github.com/s3grant/s3grant/arn"

// Prepared is a set of documents compiled once to decide many requests:
// action and resource patterns compiled to matchers (a literal, a prefix,
// a suffix: no glob for the common shapes), principals parsed, condition
// operators read, their keys lower-cased and their values parsed, all in a
// few flat arrays, so a decision reads the documents without parsing,
// hashing or allocating. Decide gives the decision only; Explain builds the
// reasons (through Evaluate) when they are to be shown. A Prepared is
// read-only and safe for concurrent use; the documents must not change
// after Prepare.
type Prepared struct {
	// What a decision reads comes first, so that a cold Prepared costs
	// as few cache lines as it can.
	cp    compiledInput
	pg    program
	store programStore // pg's arrays when they fit
	in    Input
}

// compiledInput is an Input's documents as spans of a program, with the
// flags verdict reads.
type compiledInput struct {
	identity        span
	resource        span
	identityDecided bool
	mustAllow       bool // trust and key policies (Input.resourceMustAllow)
	denyOnly        bool // the resource policy's allows do not count (Input.denyOnly)
	keyPolicy       bool // KMS aliases are decided by Evaluate (eval_alias.go)
}

// Prepare compiles the documents of in (its Request is ignored).
func Prepare(in Input) *Prepared {
	p := &Prepared{in: in}
	p.in.Request = Request{}
	p.cp = p.pg.compileInput(in, &p.store)
	p.pg.pack()
	return p
}

func (pg *program) compileInput(in Input, store *programStore) compiledInput {
	docs := make([]*Policy, 0, len(in.Identity)+1)
	for _, d := range in.Identity {
		docs = append(docs, d.Policy)
	}
	if in.Resource != nil {
		docs = append(docs, in.Resource.Policy)
	}
	pg.reserve(store, docs...)
	c := compiledInput{identityDecided: in.IdentityDecided, mustAllow: in.resourceMustAllow()}
	c.identity.lo = int32(len(pg.stmts))
	for _, d := range in.Identity {
		pg.addDoc(d.Policy)
	}
	c.identity.hi = int32(len(pg.stmts))
	c.resource = span{c.identity.hi, c.identity.hi}
	if in.Resource != nil {
		c.keyPolicy = in.Resource.Kind == KindKeyPolicy
		c.resource = pg.addDoc(in.Resource.Policy)
	}
	return c
}

// Explain decides req with its reasons, exactly as Evaluate does.
func (p *Prepared) Explain(req Request) Result {
	in := p.in
	in.Request = req
	return Evaluate(in)
}

// Decide returns what Evaluate would decide for req, without the reasons.
func (p *Prepared) Decide(req Request) Decision {
	d, _ := p.DecideNear(req)
	return d
}

// DecideNear is Decide, and for an implicit deny whether Evaluate's
// reasons would name a near miss (Result.NearMiss): an Allow that matched
// all but its conditions, so other condition values might allow.
func (p *Prepared) DecideNear(req Request) (Decision, bool) {
	v := newReqView(req, PrincipalInfo{})
	v.warmRequest() // before the first read of p: the two wait side by side
	if p.cp.keyPolicy && IsKMSAlias(req.Resource) {
		r := p.Explain(req) // aliases are decided by IAM policies alone (eval_alias.go)
		return r.Decision, r.NearMiss()
	}
	p.pg.warm(&v)
	v.caller = ParsePrincipal(req.Principal)
	return p.pg.decide(&p.cp, &v, tally{})
}

// NearMiss reports whether the reasons name a statement (or an ignored ACL
// grant) that matched all but its conditions: other condition values might
// change an implicit deny.
func (r Result) NearMiss() bool {
	for _, x := range r.Reasons {
		if x.Statement != "" && x.Effect == "" {
			return true
		}
	}
	return false
}

// decide is Evaluate's decision on compiled documents; grants are the
// resource-side allows from outside the resource policy (ACL grants).
func (pg *program) decide(c *compiledInput, v *reqView, grants tally) (Decision, bool) {
	var id, rp tally
	if !c.identityDecided && pg.tally(c.identity, v, false, &id) {
		return ExplicitlyDenied, false
	}
	if pg.tally(c.resource, v, true, &rp) {
		return ExplicitlyDenied, false
	}
	if c.denyOnly {
		rp = tally{}
	}
	rp.direct = rp.direct || grants.direct
	rp.account = rp.account || grants.account
	rp.near = rp.near || grants.near
	return verdict(c, v, id, rp)
}

// tally records which kinds of statements of one side applied, as evalDoc
// (eval_stmt.go) lists them; a decision needs only whether any did. It
// reports true at the first statement that denies: nothing outweighs it.
// near: an Allow matched all but its conditions (evalDoc's near list).
type tally struct{ allows, direct, account, near bool }

// verdict is decideAllow (eval_decide.go) without the reasons: the same
// cases in the same order. TestPreparedMatchesEvaluate holds the two
// together.
// The near misses an implicit deny shows are those of the side(s)
// decideAllow passes to implicit.
func verdict(c *compiledInput, v *reqView, id, rp tally) (Decision, bool) {
	caller := &v.caller
	identityAllows := id.allows || c.identityDecided
	resourceAllows := rp.direct || rp.account
	same := caller.Account != "" && caller.Account == v.req.ResourceAccount
	ok, near := false, id.near || rp.near
	switch {
	case caller.Anonymous:
		ok, near = rp.direct, rp.near
	case caller.Service != "": // decideAllow's service(): the resource policy alone
		ok, near = rp.direct, rp.near
	case c.identityDecided:
		ok, near = same || resourceAllows, rp.near
	case same && c.mustAllow:
		ok, near = rp.direct || rp.account && identityAllows, rp.near
		if rp.account {
			near = id.near // mustAllow(): the identity side is what is missing
		}
	case same:
		ok = identityAllows || rp.direct
	default:
		ok = identityAllows && resourceAllows
	}
	if ok {
		return Allowed, false
	}
	return ImplicitlyDenied, near
}

// tally is evalDoc counting instead of explaining, over a span of
// statements; it stops at the first that denies and reports it.
func (pg *program) tally(sp span, v *reqView, resource bool, t *tally) (denied bool) {
	for i := sp.lo; i < sp.hi; i++ {
		s := &pg.stmts[i]
		// Action and resource first: they are the cheapest tests and rule
		// out most statements; all four must hold, in any order.
		if !pg.actionMatches(s, v.req.Action) || !pg.resourceMatches(s, v) {
			continue
		}
		match := principalExact
		if resource {
			if match = pg.principal(s, &v.caller); match == principalNone {
				continue
			}
		}
		if !pg.conditionsHold(s, v) {
			t.near = t.near || s.allow
			continue
		}
		switch {
		case s.deny:
			return true
		case !resource:
			t.allows = true
		case match == principalAccount:
			t.account = true
		default:
			t.direct = true
		}
	}
	return false
}

func (pg *program) actionMatches(s *compiledStmt, action string) bool {
	for i := s.acts.lo; i < s.acts.hi; i++ {
		if pg.acts[i].matchFold(action) {
			return !s.notAction
		}
	}
	return s.notAction
}

// resourceMatches is resourceMatches (eval_stmt.go) on compiled patterns.
func (pg *program) resourceMatches(s *compiledStmt, v *reqView) bool {
	if s.resMode == resAny {
		return true
	}
	resolved := true
	var buf [192]byte // a pattern with variables substituted, on the stack
	for i := s.arns.lo; i < s.arns.hi; i++ {
		p := &pg.arns[i]
		var hit bool
		if p.vars {
			sub, ok := appendSubstituted(buf[:0], p.raw, keyLookup{view: v}, true)
			resolved = resolved && ok
			hit = ok && arnMatches(sub, v.req.Resource)
		} else {
			hit = p.matches(v.resource())
		}
		if hit {
			return s.resMode == resList
		}
	}
	return s.resMode == resNot && resolved
}

func (pg *program) conditionsHold(s *compiledStmt, v *reqView) bool {
	for i := s.conds.lo; i < s.conds.hi; i++ {
		if !pg.conds[i].holds(v) {
			return false
		}
	}
	return true
}

// parseNamed is ParsePrincipal for a principal a policy names, where only
// its kind, account and name are compared: a bare account ID is its root
// without building the root's ARN.
func parseNamed(v string) PrincipalInfo {
	if IsAccountID(v) {
		return PrincipalInfo{Partition: awsarn.AWS, Account: v, Kind: "root"}
	}
	return ParsePrincipal(v)
}
