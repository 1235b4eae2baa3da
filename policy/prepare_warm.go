package policy

// warm reads one byte or flag from every cache line a decision on a cold
// Prepared may wait for (the program's arrays and packed strings, the
// request's strings) in independent loads, before the decision's own
// chain of dependent loads and branches: the processor then waits for
// these misses side by side instead of one after another. Decisions over
// many different documents wait on memory more than they compute. The
// folded byte is kept in the view so that the loads are not dropped.
// A program of more than warmMost statements is left alone: its arrays
// span many lines a decision may never read (most statements fail on
// their action), and one decided often stays in the cache.
func (pg *program) warm(v *reqView) {
	if len(pg.stmts) > warmMost {
		return
	}
	x := v.warm
	for i := range pg.stmts {
		x ^= pg.stmts[i].resMode
	}
	for i := range pg.acts {
		x ^= first(pg.acts[i].lit)
	}
	for i := range pg.arns {
		a := &pg.arns[i]
		x ^= first(a.head) ^ first(a.m.lit)
	}
	for i := range pg.prins {
		x ^= first(pg.prins[i].account)
	}
	for i := range pg.conds {
		x ^= first(pg.conds[i].key)
	}
	for i := range pg.vals {
		x ^= first(pg.vals[i].s)
	}
	v.warm = x
}

// warmRequest is warm for the request's strings and its Context's header
// (the first of a lookup's dependent loads).
func (v *reqView) warmRequest() {
	v.warm = first(v.req.Principal) ^ first(v.req.Action) ^ first(v.req.Resource) ^ first(v.req.ResourceAccount) ^
		byte(len(v.req.Context))
}

const warmMost = 16

func first(s string) byte {
	if len(s) == 0 {
		return 0
	}
	return s[0]
}
