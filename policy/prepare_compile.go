package policy

// program holds the statements of every document a Prepared decides with,
// and their parts, in flat slices: a decision walks a few contiguous
// arrays instead of chasing a pointer per statement, map and string.
type program struct {
	stmts []compiledStmt
	acts  []matcher
	arns  []arnPattern
	prins []compiledPrincipal
	conds []compiledCond
	vals  []condVal // the conditions' values, each condition's a window
}

// programStore holds the arrays of a small program (three quarters of the
// generated benchmark's documents fit; bigger ones allocate their own).
type programStore struct {
	stmts [6]compiledStmt
	acts  [8]matcher
	arns  [8]arnPattern
	prins [4]compiledPrincipal
	conds [6]compiledCond
	vals  [6]condVal
}

// span is a range of one of program's slices.
type span struct{ lo, hi int32 }

type compiledStmt struct {
	deny      bool
	allow     bool // Effect is Allow (only such a statement is a near miss)
	notAction bool
	vars      bool  // the document substitutes policy variables (2012-10-17)
	resMode   uint8 // resAny, resList or resNot
	prinMode  uint8 // how Principal or NotPrincipal applies (statementPrincipal)
	prinWild  bool  // the element is the bare "*"
	acts      span
	arns      span
	prins     span
	conds     span
}

const (
	resAny  = iota // neither Resource nor NotResource: the attached resource
	resList        // Resource
	resNot         // NotResource
)

const (
	pmNone      = iota // no Principal nor NotPrincipal: applies to no one
	pmPrincipal        // Principal
	pmNotDeny          // NotPrincipal in a Deny
	pmNotAllow         // NotPrincipal in an Allow
)

// compiledPrincipal is one value of a Principal element with the parts
// matchOne (eval_principal.go) compares, parsed once.
type compiledPrincipal struct {
	v         string
	account   string
	name      string
	kind      uint8 // pkAWS, pkService or pkOther (Federated, CanonicalUser)
	star      bool  // v is "*"
	namedRoot bool  // v names an account root (a bare ID or its ARN)
	namedRole bool
	rootish   bool // excludes counts it as naming the account too
}

const (
	pkAWS = iota
	pkService
	pkOther
)

// reserve sizes the program's slices for the documents about to be added,
// so compiling allocates each once (a batch compiles every line's
// documents for one decision, where growing by appends showed).
// A program that fits store takes its arrays there: in its Prepared, one
// allocation (Prepare allocates once for all of them, and a decision on a
// cold Prepared finds the arrays in a few neighbouring cache lines and
// pages, where six allocations scatter them).
func (pg *program) reserve(store *programStore, docs ...*Policy) {
	var stmts, acts, arns, prins, conds, vals int
	for _, p := range docs {
		if p == nil {
			continue
		}
		for i := range p.Statement {
			s := &p.Statement[i]
			stmts++
			acts += len(s.Action.Values) + len(s.NotAction.Values)
			arns += len(s.Resource.Values) + len(s.NotResource.Values)
			for _, e := range []*Principal{s.Principal, s.NotPrincipal} {
				if e != nil {
					for _, v := range e.Types {
						prins += len(v.Values)
					}
				}
			}
			for _, keys := range s.Condition {
				conds += len(keys)
				for _, v := range keys {
					vals += len(v.Items)
				}
			}
		}
	}
	if store != nil && stmts <= len(store.stmts) && acts <= len(store.acts) && arns <= len(store.arns) &&
		prins <= len(store.prins) && conds <= len(store.conds) && vals <= len(store.vals) {
		pg.stmts, pg.acts, pg.arns = store.stmts[:0:stmts], store.acts[:0:acts], store.arns[:0:arns]
		pg.prins, pg.conds, pg.vals = store.prins[:0:prins], store.conds[:0:conds], store.vals[:0:vals]
		return
	}
	pg.stmts = make([]compiledStmt, 0, stmts)
	pg.acts = make([]matcher, 0, acts)
	pg.arns = make([]arnPattern, 0, arns)
	pg.prins = make([]compiledPrincipal, 0, prins)
	pg.conds = make([]compiledCond, 0, conds)
	pg.vals = make([]condVal, 0, vals)
}

// addDoc compiles a document's statements and returns their span.
func (pg *program) addDoc(p *Policy) span {
	lo := int32(len(pg.stmts))
	if p != nil {
		vars := p.Version == Version2012
		for i := range p.Statement {
			pg.stmts = append(pg.stmts, pg.compileStmt(&p.Statement[i], vars))
		}
	}
	return span{lo, int32(len(pg.stmts))}
}

func (pg *program) compileStmt(s *Statement, vars bool) compiledStmt {
	c := compiledStmt{deny: s.Effect == Deny, allow: s.Effect == Allow, vars: vars}
	acts := s.Action.Values
	if !s.NotAction.Empty() {
		c.notAction, acts = true, s.NotAction.Values
	}
	c.acts.lo = int32(len(pg.acts))
	for _, a := range acts {
		pg.acts = append(pg.acts, compileMatcher(a, true))
	}
	c.acts.hi = int32(len(pg.acts))
	res := s.Resource.Values
	switch {
	case !s.NotResource.Empty():
		c.resMode, res = resNot, s.NotResource.Values
	case !s.Resource.Empty():
		c.resMode = resList
	default:
		res = nil
	}
	c.arns.lo = int32(len(pg.arns))
	for _, r := range res {
		pg.arns = append(pg.arns, compileARN(r, vars))
	}
	c.arns.hi = int32(len(pg.arns))
	c.prins = pg.compilePrincipal(s, &c)
	c.conds.lo = int32(len(pg.conds))
	// Map order: every condition must hold, so their order is only speed.
	for op, keys := range s.Condition {
		for k, vals := range keys {
			pg.conds = append(pg.conds, pg.compileCond(op, k, vals.Strings(), vars))
		}
	}
	c.conds.hi = int32(len(pg.conds))
	return c
}

func (pg *program) compilePrincipal(s *Statement, c *compiledStmt) span {
	p := s.Principal
	switch {
	case s.Principal != nil:
		c.prinMode = pmPrincipal
	case s.NotPrincipal != nil && s.Effect == Deny:
		c.prinMode, p = pmNotDeny, s.NotPrincipal
	case s.NotPrincipal != nil && s.Effect == Allow:
		c.prinMode, p = pmNotAllow, s.NotPrincipal
	default:
		return span{}
	}
	c.prinWild = p.Wildcard
	lo := int32(len(pg.prins))
	for kind, vals := range p.Types { // any order: the best match counts
		for _, v := range vals.Values {
			e := compiledPrincipal{kind: pkOther, v: v, star: v == "*"}
			named := parseNamed(v) // ParsePrincipal's kind, without building a root ARN
			switch kind {
			case "AWS":
				e.kind, e.namedRoot, e.namedRole = pkAWS, named.Kind == "root", named.Kind == "role"
				e.account, e.name = named.Account, named.Name
			case "Service":
				e.kind = pkService
			}
			e.rootish = named.Kind == "root" || v == "*" || kind == "Service"
			pg.prins = append(pg.prins, e)
		}
	}
	return span{lo, int32(len(pg.prins))}
}

// principal is statementPrincipal (eval_stmt.go) on the compiled element.
func (pg *program) principal(s *compiledStmt, c *PrincipalInfo) principalMatch {
	switch s.prinMode {
	case pmPrincipal:
		return pg.principalMatch(s, c)
	case pmNotDeny:
		if pg.excludes(s, c) {
			return principalNone
		}
		return principalExact
	case pmNotAllow:
		if s.prinWild || pg.principalMatch(s, c) != principalNone {
			return principalNone
		}
		return principalExact
	}
	return principalNone
}

// principalMatch is Principal.match: the best of the values.
func (pg *program) principalMatch(s *compiledStmt, c *PrincipalInfo) principalMatch {
	if s.prinWild {
		return principalExact
	}
	best := principalNone
	for i := s.prins.lo; i < s.prins.hi && best != principalExact; i++ {
		best = max(best, pg.prins[i].match(c))
	}
	return best
}

// excludes is Principal.excludes.
func (pg *program) excludes(s *compiledStmt, c *PrincipalInfo) bool {
	if s.prinWild || c.Anonymous {
		return s.prinWild
	}
	account, self := false, false
	for i := s.prins.lo; i < s.prins.hi; i++ {
		e := &pg.prins[i]
		switch e.match(c) {
		case principalAccount:
			account = true
		case principalExact:
			self = true
			account = account || e.rootish
		default: // names someone else
		}
	}
	return self && (account || c.Service != "")
}

// match is matchOne on the parsed value.
func (e *compiledPrincipal) match(c *PrincipalInfo) principalMatch {
	if e.star && e.kind == pkAWS {
		return principalExact
	}
	switch e.kind {
	case pkService:
		if c.Service != "" && (e.star || e.v == c.Service) {
			return principalExact
		}
		return principalNone
	case pkOther:
		if e.v == c.ARN && !c.Anonymous {
			return principalExact
		}
		return principalNone
	}
	if c.Anonymous || c.Service != "" {
		return principalNone
	}
	switch {
	case e.namedRoot && e.account == c.Account:
		if c.Kind == "root" {
			return principalExact
		}
		return principalAccount
	case e.v == c.ARN:
		return principalExact
	case e.namedRole && c.Kind == "assumed-role" && e.account == c.Account && e.name == c.Name:
		return principalExact
	}
	return principalNone
}
