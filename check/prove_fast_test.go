package check

import (
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// TestDecideFastMatchesDecide: the proof's compiled decision, and whether
// its implicit deny has a near miss (which decides whether the proof tries
// other condition values), is decide's (through Evaluate and AuthorizeS3)
// on every request class and context combination of every example plan
// and of every hand-made over-grant, which the proof must find allowed.
func TestDecideFastMatchesDecide(t *testing.T) {
	plans := map[string]*plan.Plan{}
	for _, ex := range plan.Examples() {
		plans[ex.Name] = planFor(t, ex.Spec, nil)
	}
	for _, og := range overGrants() {
		p := planFor(t, og.spec, nil)
		og.edit(t, p)
		plans["over-grant "+og.name] = p
	}
	seen := map[string]int{}
	for name, p := range plans {
		u := newUniverse(p, plan.Facts{})
		u.assumed = map[[2]int]policy.Result{}
		whos, paths := u.principals(), u.paths()
		keys, prefixes := u.objectKeys(), u.listPrefixes()
		combos := policy.Combinations(u.freeKeys())
		n := 0
		for _, cls := range u.actionClasses() {
			for _, req := range u.requestsFor(cls.rep, keys, prefixes) {
				for wi, w := range whos {
					for _, pa := range paths {
						if !u.applies(cls.rep, req, w, pa) {
							continue
						}
						n++
						for ci, combo := range combos {
							if n%7 != 0 && ci > 1 {
								break // every combination of every 7th request: the test's time
							}
							ctx := u.context(cls.rep, req, w, combo)
							d, near := u.decideFast(cls.rep, req, wi, w, pa, ci, ctx)
							res := u.decide(cls.rep, req, wi, w, pa, ci, ctx)
							seen[string(d)]++
							if near {
								seen["near"]++
							}
							if d != res.Decision || near != res.NearMiss() {
								t.Fatalf("%s: %s %s as %s %s: fast %s (near miss %v), decide %s (%v)\n%v",
									name, cls.rep.IAMName(), req.arn+req.key, w.label, pa.label, d, near, res.Decision, res.NearMiss(), res.Reasons)
							}
						}
					}
				}
			}
		}
	}
	for _, k := range []string{string(policy.Allowed), string(policy.ExplicitlyDenied), string(policy.ImplicitlyDenied), "near"} {
		if seen[k] < 100 {
			t.Errorf("only %d decisions %s: the comparison does not cover it (%v)", seen[k], k, seen)
		}
	}
	t.Logf("%v", seen)
}
