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

// text is a pattern as a string or as bytes.
type text interface{ ~string | ~[]byte }

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
// The pattern is text of either kind: Decide matches patterns it
// substituted into a byte buffer.
func globWith[P text](pattern P, s string, eq func(pc, sc byte) bool) bool {
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
func arnMatches[P text](pattern P, arn string) bool {
	if len(pattern) == 1 && pattern[0] == '*' {
		return true
	}
	if colons(pattern) < 5 || strings.Count(arn, ":") < 5 {
		return globWith(pattern, arn, literalEq)
	}
	for seg := 0; seg < 5; seg++ {
		pi, ai := indexColon(pattern), strings.IndexByte(arn, ':')
		if !globWith(pattern[:pi], arn[:ai], literalEq) {
			return false
		}
		pattern, arn = pattern[pi+1:], arn[ai+1:]
	}
	return globWith(pattern, arn, literalEq)
}

func colons[P text](s P) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			n++
		}
	}
	return n
}

func indexColon[P text](s P) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return i
		}
	}
	return -1
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
	if !strings.Contains(s, "${") {
		return s, true
	}
	b, ok := appendSubstituted(make([]byte, 0, len(s)+32), s, ctx, pattern)
	return string(b), ok
}

// appendSubstituted is substitute appending to b: Decide substitutes into
// a buffer on its stack and matches the bytes, allocating nothing.
func appendSubstituted(b []byte, s string, ctx keyLookup, pattern bool) ([]byte, bool) {
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			return append(b, s...), true
		}
		end := strings.IndexByte(s[start:], '}')
		if end < 0 {
			return append(b, s...), true
		}
		b = append(b, s[:start]...)
		val, ok := resolveVariable(s[start+2:start+end], ctx)
		if !ok {
			return b, false
		}
		if pattern {
			b = appendEscaped(b, val)
		} else {
			b = append(b, val...)
		}
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

// appendEscaped appends substituted text kept literal inside a pattern.
func appendEscaped(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '*':
			b = append(b, litStar)
		case '?':
			b = append(b, litQuestion)
		default:
			b = append(b, c)
		}
	}
	return b
}
