package policy

import "strings"

// pack copies every string a program compares into one backing string and
// points the program at it: the strings of one Prepared then lie together
// in a few cache lines, where the parsed documents left them scattered
// (a decision on a cold Prepared waits on memory more than it computes).
func (pg *program) pack() {
	n := 0
	pg.eachString(func(s *string, _ bool) { n += len(*s) })
	var b strings.Builder
	b.Grow(n)
	pg.eachString(func(s *string, fold bool) {
		if !fold {
			b.WriteString(*s)
			return
		}
		// A fold matcher compares a lower-cased pattern (matchFold).
		for i := 0; i < len(*s); i++ {
			b.WriteByte(lowerASCII((*s)[i]))
		}
	})
	all, off := b.String(), 0
	pg.eachString(func(s *string, _ bool) {
		*s = all[off : off+len(*s)]
		off += len(*s)
	})
}

// eachString visits every string field of the program, in one order,
// saying which are a fold matcher's pattern.
func (pg *program) eachString(visit func(s *string, fold bool)) {
	f := func(s *string) { visit(s, false) }
	arn := func(a *arnPattern) {
		f(&a.head)
		f(&a.m.lit)
		if a.segs != nil {
			for i := range a.segs {
				f(&a.segs[i].lit)
			}
		}
	}
	for i := range pg.acts {
		visit(&pg.acts[i].lit, pg.acts[i].fold)
	}
	for i := range pg.arns {
		arn(&pg.arns[i])
	}
	for i := range pg.prins {
		p := &pg.prins[i]
		f(&p.v)
		f(&p.account)
		f(&p.name)
	}
	for i := range pg.conds {
		if c := &pg.conds[i]; c.keyOwn {
			f(&c.key) // internKey's copies are shared: in the cache, not in this one
		}
	}
	for i := range pg.vals {
		v := &pg.vals[i]
		f(&v.s)
		f(&v.like.lit)
		if v.arn != nil {
			arn(v.arn)
		}
	}
}
