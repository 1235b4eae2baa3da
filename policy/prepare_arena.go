package policy

import "strings"

// pack copies every string a program compares into one backing string and
// points the program at it: the strings of one Prepared then lie together
// in a few cache lines, where the parsed documents left them scattered
// (a decision on a cold Prepared waits on memory more than it computes).
func (pg *program) pack() {
	n := 0
	pg.eachString(func(s *string) { n += len(*s) })
	var b strings.Builder
	b.Grow(n)
	pg.eachString(func(s *string) { b.WriteString(*s) })
	all, off := b.String(), 0
	pg.eachString(func(s *string) {
		*s = all[off : off+len(*s)]
		off += len(*s)
	})
}

// eachString visits every string field of the program, in one order.
func (pg *program) eachString(f func(*string)) {
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
		f(&pg.acts[i].lit)
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
		c := &pg.conds[i]
		f(&c.key)
		for j := range c.vals {
			v := &c.vals[j]
			f(&v.s)
			f(&v.like.lit)
			if v.arn != nil {
				arn(v.arn)
			}
		}
	}
}
