package policy

import (
	"strings"
)

// Literal markers: ${*} and ${?} stand for a literal * and ? that must not
// act as wildcards, so substitution writes these bytes, which never occur
// in ARNs or keys, and glob compares them with the plain characters.
const (
	litStar     = '\x01'
	litQuestion = '\x02'
)

// glob matches s against a pattern where * matches any run of characters
// (including none, across / and :) and ? exactly one; case-sensitive, as
// AWS compares resources.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
func glob(pattern, s string) bool { return globWith(pattern, s, literalEq) }

// globFold is glob without regard to (ASCII) case: actions match that way.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
func globFold(pattern, s string) bool {
	return globWith(pattern, s, func(pc, sc byte) bool { return literalEq(lowerASCII(pc), lowerASCII(sc)) })
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// globWith is the iterative wildcard match with backtracking to the last
// star, linear in practice and without allocations.
func globWith(pattern, s string, eq func(pc, sc byte) bool) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || eq(pattern[p], s[i])):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			mark++
			i = mark
			p = star + 1
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func literalEq(pc, sc byte) bool {
	switch pc {
	case litStar:
		return sc == '*'
	case litQuestion:
		return sc == '?'
	}
	return pc == sc
}

// arnMatches matches an ARN against a pattern segment by segment
// (partition, service, region, account, then the resource part), so a
// wildcard in one segment does not swallow the colons of the next. A
// pattern that is not a six-part ARN ("*", "arn:*") matches as a whole.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
func arnMatches(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	if strings.Count(pattern, ":") < 5 || strings.Count(arn, ":") < 5 {
		return glob(pattern, arn)
	}
	for seg := 0; seg < 5; seg++ {
		pi, ai := strings.IndexByte(pattern, ':'), strings.IndexByte(arn, ':')
		if !glob(pattern[:pi], arn[:ai]) {
			return false
		}
		pattern, arn = pattern[pi+1:], arn[ai+1:]
	}
	return glob(pattern, arn)
}

// keyLookup finds a condition key's values: in a Context, or in Decide's
// view of a request, which adds the keys the request implies without
// copying. A struct rather than an interface: a view stored in an
// interface value would move to the heap on every decision.
type keyLookup struct {
	ctx  Context
	view *reqView
}

// Get returns the values of key.
func (k keyLookup) Get(key string) ([]string, bool) {
	if k.view != nil {
		return k.view.Get(key)
	}
	return k.ctx.Get(key)
}

// substitute replaces policy variables (${aws:username}, with an optional
// default: ${aws:username, 'none'}) by their single value in ctx; ${*},
// ${?} and ${$} stand for the literal characters. ok is false when a
// variable has no value and no default: the element then matches nothing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func substitute(s string, ctx keyLookup, pattern bool) (string, bool) {
	var b strings.Builder
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		end := strings.IndexByte(s[start:], '}')
		if end < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:start])
		val, ok := resolveVariable(s[start+2:start+end], ctx)
		if !ok {
			return "", false
		}
		if pattern {
			val = escapeWildcards(val)
		}
		b.WriteString(val)
		s = s[start+end+1:]
	}
}

func resolveVariable(inner string, ctx keyLookup) (string, bool) {
	switch strings.TrimSpace(inner) {
	case "*":
		return "*", true
	case "?":
		return "?", true
	case "$":
		return "$", true
	}
	key, def, hasDefault := strings.Cut(inner, ",")
	if vals, ok := ctx.Get(strings.TrimSpace(key)); ok && len(vals) == 1 {
		return vals[0], true
	}
	if hasDefault {
		def = strings.TrimSpace(def)
		if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			return def[1 : len(def)-1], true
		}
	}
	return "", false
}

// escapeWildcards keeps substituted text literal inside a pattern.
func escapeWildcards(v string) string {
	if !strings.ContainsAny(v, "*?") {
		return v
	}
	return strings.NewReplacer("*", string(rune(litStar)), "?", string(rune(litQuestion))).Replace(v)
}
