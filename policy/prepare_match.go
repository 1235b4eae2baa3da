package policy

import (
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"
)

// arnPattern is a Resource value split once into the segments arnMatches
// (eval_match.go) compares one by one.
type arnPattern struct {
	raw   string
	vars  bool // holds a policy variable: substituted per request
	star  bool // "*"
	whole bool // not a six-part ARN: matched as a whole
	segs  [5]string
	rest  string
}

func compileARN(p string, vars bool) arnPattern {
	a := arnPattern{raw: p, vars: vars && hasVariable(p), star: p == "*"}
	a.segs, a.rest, a.whole = splitARN(p)
	a.whole = !a.whole
	return a
}

// splitARN cuts an ARN into its first five colon-separated segments and the
// rest; ok is false with fewer than five colons.
func splitARN(s string) (segs [5]string, rest string, ok bool) {
	rest = s
	for i := range segs {
		if segs[i], rest, ok = strings.Cut(rest, ":"); !ok {
			return segs, "", false
		}
	}
	return segs, rest, true
}

// reqView is a request as Decide reads it: the caller parsed once, the
// resource ARN split once, and the global keys the request implies looked up
// beside its context instead of copied into it.
type reqView struct {
	req     Request
	caller  PrincipalInfo
	arnOK   bool
	arnSegs [5]string
	arnRest string
	// one-value backing arrays for the implied keys
	secure, resAcct, pArn, pAcct, pType, user [1]string
}

func newReqView(req Request) reqView {
	v := reqView{req: req, caller: ParsePrincipal(req.Principal)}
	v.arnSegs, v.arnRest, v.arnOK = splitARN(req.Resource)
	return v
}

// get looks up a lower-cased key: the request's context first, then the
// keys the request implies, as impliedKeys (eval_context.go) lists them.
// TestReqViewMatchesImplied holds the two together.
func (v *reqView) get(key string) ([]string, bool) {
	if vals, ok := v.req.Context[key]; ok {
		return vals, true
	}
	one := func(b *[1]string, s string) ([]string, bool) {
		b[0] = s
		return b[:], true
	}
	p := &v.caller
	principal := !p.Anonymous && p.Service == "" && p.Account != ""
	switch key {
	case "aws:securetransport":
		return one(&v.secure, "true")
	case "aws:resourceaccount":
		if v.req.ResourceAccount != "" {
			return one(&v.resAcct, v.req.ResourceAccount)
		}
	case "aws:principalarn":
		if principal && p.Kind == "assumed-role" {
			return one(&v.pArn, awsarn.Role(p.Partition, p.Account, p.Name))
		} else if principal {
			return one(&v.pArn, p.ARN)
		}
	case "aws:principalaccount":
		if principal {
			return one(&v.pAcct, p.Account)
		}
	case "aws:principaltype":
		if typ := principalTypes[p.Kind]; principal && typ != "" {
			return one(&v.pType, typ)
		}
	case "aws:username":
		if principal && p.Kind == "user" {
			return one(&v.user, p.Name)
		}
	}
	return nil, false
}

// lookup is the view as a keyLookup for policy variables: a copy, so that
// only requests with variables move a view to the heap (an interface value
// escapes) and the others decide without allocating.
func (v *reqView) lookup() keyLookup {
	c := *v
	return &c
}

// Get is get for any spelling of the key (policy variables name keys as
// written).
func (v *reqView) Get(key string) ([]string, bool) {
	var buf [96]byte
	if len(key) > len(buf) || !isASCII(key) {
		return v.get(strings.ToLower(key))
	}
	b := buf[:len(key)]
	for i := 0; i < len(key); i++ {
		b[i] = lowerASCII(key[i])
	}
	return v.get(string(b))
}

// eval is evalDoc (eval_stmt.go) counting instead of explaining.
func (d *compiledDoc) eval(v *reqView, resource bool) tally {
	var t tally
	for i := range d.stmts {
		s := &d.stmts[i]
		// Action and resource first: they are the cheapest tests and rule
		// out most statements; all four must hold, in any order.
		if !s.actionMatches(v.req.Action) || !s.resourceMatches(v, d.vars) {
			continue
		}
		match := principalExact
		if resource {
			if match = statementPrincipal(*s.src, v.caller); match == principalNone {
				continue
			}
		}
		if !s.conditionsHold(v) {
			continue
		}
		switch {
		case s.deny:
			t.denies++
		case !resource:
			t.allows++
		case match == principalAccount:
			t.account++
		default:
			t.direct++
		}
	}
	return t
}

func (s *compiledStmt) actionMatches(action string) bool {
	hit := false
	for _, p := range s.actions {
		if globWith(p, action, foldEq) {
			hit = true
			break
		}
	}
	return hit != s.notAction
}

// foldEq compares a lower-cased pattern byte with a request byte.
func foldEq(pc, sc byte) bool { return literalEq(pc, lowerASCII(sc)) }

// resourceMatches is resourceMatches (eval_stmt.go) on split patterns.
func (s *compiledStmt) resourceMatches(v *reqView, vars bool) bool {
	if s.resMode == resAny {
		return true
	}
	resolved := true
	for i := range s.resources {
		p := &s.resources[i]
		hit := false
		switch {
		case p.vars:
			sub, ok := substitute(p.raw, v.lookup(), true)
			resolved = resolved && ok
			hit = ok && arnMatches(sub, v.req.Resource)
		default:
			hit = p.matches(v)
		}
		if hit {
			return s.resMode == resList
		}
	}
	return s.resMode == resNot && resolved
}

func (p *arnPattern) matches(v *reqView) bool {
	if p.star {
		return true
	}
	if p.whole || !v.arnOK {
		return glob(p.raw, v.req.Resource)
	}
	for i := range p.segs {
		if !glob(p.segs[i], v.arnSegs[i]) {
			return false
		}
	}
	return glob(p.rest, v.arnRest)
}

func (s *compiledStmt) conditionsHold(v *reqView) bool {
	for i := range s.conds {
		c := &s.conds[i]
		vals, present := v.get(c.key)
		var look keyLookup
		if c.vars {
			look = v.lookup()
		}
		if !c.op.holds(c.vals, vals, present, look, c.vars) {
			return false
		}
	}
	return true
}

// parseNamed is ParsePrincipal for a principal a policy names, where only
// its kind, account and name are compared: a bare account ID is its root
// without building the root's ARN, so matching allocates nothing.
func parseNamed(v string) PrincipalInfo {
	if IsAccountID(v) {
		return PrincipalInfo{Partition: awsarn.AWS, Account: v, Kind: "root"}
	}
	return ParsePrincipal(v)
}
