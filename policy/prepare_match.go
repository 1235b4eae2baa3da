package policy

import "strings"

// matcher is one wildcard pattern compiled for glob's semantics (eval_match.go):
// the common shapes (a literal, "prefix*", "*suffix", "*infix*", "*")
// compare with string functions; anything else (?, a star inside, the
// literal markers substitution writes) falls back to globWith. A fold
// matcher holds its pattern lower-cased and folds the subject's ASCII
// letters, as globFold compares actions.
type matcher struct {
	kind uint8
	fold bool
	lit  string // the literal part; the whole pattern for mGlob
}

const (
	mAny uint8 = iota
	mExact
	mPrefix
	mSuffix
	mInfix
	mGlob
)

// A fold matcher's lit is lower-cased when the program packs its strings
// (pack), which copies them anyway.
func compileMatcher(p string, fold bool) matcher {
	m := matcher{kind: mGlob, fold: fold, lit: p}
	if strings.ContainsAny(p, "?\x01\x02") {
		return m
	}
	inner := strings.Trim(p, "*")
	lead, trail := strings.HasPrefix(p, "*"), strings.HasSuffix(p, "*")
	switch {
	case strings.Contains(inner, "*"):
		return m
	case inner == "" && lead:
		m.kind = mAny
	case lead && trail:
		m.kind = mInfix
	case lead:
		m.kind = mSuffix
	case trail:
		m.kind = mPrefix
	default:
		m.kind = mExact
	}
	m.lit = inner
	return m
}

func (m *matcher) match(s string) bool {
	if m.fold {
		return m.matchFold(s)
	}
	switch m.kind {
	case mAny:
		return true
	case mExact:
		return s == m.lit
	case mPrefix:
		return strings.HasPrefix(s, m.lit)
	case mSuffix:
		return strings.HasSuffix(s, m.lit)
	case mInfix:
		return strings.Contains(s, m.lit)
	}
	return glob(m.lit, s)
}

func (m *matcher) matchFold(s string) bool {
	n := len(m.lit)
	switch m.kind {
	case mAny:
		return true
	case mExact:
		return len(s) == n && eqFoldLower(m.lit, s)
	case mPrefix:
		return len(s) >= n && eqFoldLower(m.lit, s[:n])
	case mSuffix:
		return len(s) >= n && eqFoldLower(m.lit, s[len(s)-n:])
	case mInfix:
		for i := 0; i+n <= len(s); i++ {
			if eqFoldLower(m.lit, s[i:i+n]) {
				return true
			}
		}
		return false
	}
	return globWith(m.lit, s, foldEq)
}

// eqFoldLower compares a lower-cased literal with s, folding s's ASCII
// letters only (as lowerASCII does in globFold).
func eqFoldLower(lower, s string) bool {
	for i := 0; i < len(lower); i++ {
		if lower[i] != lowerASCII(s[i]) {
			return false
		}
	}
	return true
}

// foldEq compares a lower-cased pattern byte with a request byte.
func foldEq(pc, sc byte) bool { return literalEq(pc, lowerASCII(sc)) }

// arnPattern is a Resource (or ArnLike) value compiled for arnMatches
// (eval_match.go). Most patterns spell their first five segments out
// ("arn:aws:s3:::", "arn:aws:kms:eu-west-1:111122223333:"): those compare
// that head as one string and match the rest; a wildcard in the head
// takes a matcher per segment, and a value that is not a six-part ARN the
// whole-string glob. Kept small: a cold decision pays for every cache line.
type arnPattern struct {
	raw  string
	vars bool // holds a policy variable: substituted per request
	kind uint8
	head string      // arnHead: the first five segments with their colons
	m    matcher     // arnHead: the resource part; arnWhole: the whole value
	segs *[6]matcher // arnSegs
}

const (
	arnStar  uint8 = iota // "*"
	arnHead               // a literal head, then a pattern
	arnSegs               // a wildcard in the head: segment by segment
	arnWhole              // not a six-part ARN: glob over the whole value
)

func compileARN(p string, vars bool) arnPattern {
	a := arnPattern{raw: p, vars: vars && hasVariable(p)}
	segs, rest, ok := splitARN(p)
	switch {
	case p == "*":
		a.kind = arnStar
	case !ok:
		a.kind, a.m = arnWhole, compileMatcher(p, false)
	case !strings.ContainsAny(p[:len(p)-len(rest)], "*?\x01\x02"):
		a.kind, a.head, a.m = arnHead, p[:len(p)-len(rest)], compileMatcher(rest, false)
	default:
		a.kind, a.segs = arnSegs, new([6]matcher)
		for i := range segs {
			a.segs[i] = compileMatcher(segs[i], false)
		}
		a.segs[5] = compileMatcher(rest, false)
	}
	return a
}

// splitARN cuts an ARN into its first five colon-separated segments and the
// rest; ok is false with fewer than five colons. One pass over the bytes:
// five strings.Cut calls cost more than the scan on ARNs this short.
func splitARN(s string) (segs [5]string, rest string, ok bool) {
	start, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != ':' {
			continue
		}
		segs[n], start = s[start:i], i+1
		if n++; n == len(segs) {
			return segs, s[start:], true
		}
	}
	return segs, "", false
}

// splitARNView is an ARN split once for every pattern it meets.
type splitARNView struct {
	raw  string
	ok   bool
	segs [5]string
	head string // the first five segments with their colons
	rest string
}

func newSplitARN(s string) splitARNView {
	v := splitARNView{raw: s}
	v.segs, v.rest, v.ok = splitARN(s)
	v.head = s[:len(s)-len(v.rest)]
	return v
}

// matches is arnMatches(p.raw, a.raw) on split forms (without variables).
func (p *arnPattern) matches(a *splitARNView) bool {
	switch {
	case p.kind == arnStar:
		return true
	case p.kind == arnWhole:
		return p.m.match(a.raw)
	case !a.ok:
		return glob(p.raw, a.raw)
	case p.kind == arnHead:
		return a.head == p.head && p.m.match(a.rest)
	}
	for i := range a.segs {
		if !p.segs[i].match(a.segs[i]) {
			return false
		}
	}
	return p.segs[5].match(a.rest)
}
