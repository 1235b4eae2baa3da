package policy

import "strings"

// pack copies every string a program compares into one backing string and
// points the program at it: the strings of one Prepared then lie together
// in a few cache lines, where the parsed documents left them scattered
// (a decision on a cold Prepared waits on memory more than it computes).
func (pg *program) pack() {
	var refs []*string
	add := func(m *matcher) { refs = append(refs, &m.lit) }
	addARN := func(a *arnPattern) {
		add(&a.whole)
		for i := range a.segs {
			add(&a.segs[i])
		}
	}
	for i := range pg.acts {
		add(&pg.acts[i])
	}
	for i := range pg.arns {
		addARN(&pg.arns[i])
	}
	for i := range pg.prins {
		p := &pg.prins[i]
		refs = append(refs, &p.v, &p.account, &p.name)
	}
	for i := range pg.conds {
		c := &pg.conds[i]
		refs = append(refs, &c.key)
		for j := range c.vals {
			v := &c.vals[j]
			refs = append(refs, &v.s)
			add(&v.like)
			if v.arn != nil {
				addARN(v.arn)
			}
		}
	}
	n := 0
	for _, r := range refs {
		n += len(*r)
	}
	var b strings.Builder
	b.Grow(n)
	offs := make([]int, len(refs))
	for i, r := range refs {
		offs[i] = b.Len()
		b.WriteString(*r)
	}
	all := b.String()
	for i, r := range refs {
		*r = all[offs[i] : offs[i]+len(*r)]
	}
	// Exact capacities: no slack between one Prepared's arrays.
	pg.stmts = clip(pg.stmts)
	pg.acts = clip(pg.acts)
	pg.arns = clip(pg.arns)
	pg.prins = clip(pg.prins)
	pg.conds = clip(pg.conds)
}

func clip[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
