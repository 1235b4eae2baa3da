package check

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/arn"

	"github.com/s3grant/s3grant/internal/textout"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// SetResult is the check of a grants plan: every grant alone (the plan
// export takes) and in combination (its documents as the set writes them:
// every grant's statements merged into one bucket policy), each with the
// consumer's administrator allowing everything on its side.
type SetResult struct {
	SetID  string       `json:"set_id"`
	OK     bool         `json:"ok"`
	Grants []GrantCheck `json:"grants"`
}

// GrantCheck is one grant's two checks.
type GrantCheck struct {
	Index    int     `json:"index"`
	GrantID  string  `json:"grant_id"`
	Scope    string  `json:"scope"`
	OK       bool    `json:"ok"`
	Alone    *Matrix `json:"alone"` // nil when only what is written was proved (Written)
	Combined *Matrix `json:"combined"`
	// Stray is access the combined documents give this grant's consumer
	// accounts through another grant's statements that the other grant does
	// not give to that caller: a statement no grant of the file explains.
	Stray []ExtraAccess `json:"stray,omitempty"`
}

// Set proves every grant of the set alone and combined. The combined proof
// is the one that matters for what is written: another grant's statement
// in the merged bucket policy must neither block what a grant asks for nor
// give its principals anything beyond it (both show as failed expectations
// or as extra access). Other grants' access to their own principals is
// foreign to each grant's proof, as any statement it does not own. The
// proofs run in parallel, one per CPU.
func Set(s *plan.Set) *SetResult { return prove(s, false) }

// Written proves what the set writes: each grant combined with the others
// in the documents they share (alone, for a grant that shares none). Apply
// uses it; the plan and check commands also prove each grant alone, as
// export takes it.
func Written(s *plan.Set) *SetResult { return prove(s, true) }

func prove(s *plan.Set, writtenOnly bool) *SetResult {
	res := &SetResult{SetID: s.SetID, Grants: make([]GrantCheck, len(s.Grants)), OK: true}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				g := s.Grants[i]
				gc := GrantCheck{Index: i, GrantID: g.GrantID, Scope: g.Spec.Scope()}
				c := s.Combined(i)
				shares := !sameDocuments(c, g)
				if !writtenOnly || !shares {
					gc.Alone = Plan(g)
					gc.Combined = gc.Alone
				}
				if shares {
					gc.Combined = planWith(c, plan.Facts{}, otherAccounts(s, i))
					gc.Stray = stray(s, i, gc.Combined.Proof.Foreign)
				}
				gc.OK = (gc.Alone == nil || gc.Alone.OK) && gc.Combined.OK && len(gc.Stray) == 0
				res.Grants[i] = gc
			}
		}()
	}
	for i := range s.Grants {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, g := range res.Grants {
		res.OK = res.OK && g.OK
	}
	return res
}

// stray picks, from the access grant i's combined proof found foreign,
// what reaches a caller of grant i's consumer accounts through a statement
// of another grant j of the set that does not grant that caller: other
// grants' access is foreign to grant i, but only the access each grant asks
// for may come from its statements. (A grant j naming the caller's whole
// account, or the caller itself, explains it: such overlaps of different
// access are refused when the set is planned.)
func stray(s *plan.Set, i int, foreign []ExtraAccess) []ExtraAccess {
	var out []ExtraAccess
	for _, e := range foreign {
		acct := arn.AccountOf(e.Principal)
		if !slices.Contains(s.Grants[i].Spec.ConsumerAccounts, acct) {
			continue
		}
		for _, st := range e.Statements {
			_, sid, _ := strings.Cut(st, ", statement ")
			for j, g := range s.Grants {
				if j != i && policy.Owned(sid, g.SidPrefix) && !grants(g.Spec, acct, e.Who) {
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// grants reports whether the spec grants to the caller of account acct
// described by who (the proof's label, naming a consumer principal's ARN).
func grants(sp spec.Spec, acct, who string) bool {
	if !slices.Contains(sp.ConsumerAccounts, acct) {
		return false
	}
	named := sp.PrincipalsIn(acct)
	if len(named) == 0 {
		return true
	}
	for _, p := range named {
		if strings.HasSuffix(who, " "+p) {
			return true
		}
	}
	return false
}

// otherAccounts are the consumer accounts of the set's other grants that
// grant i does not name: the proof of grant i needs no class for their
// principals (see universe.skip).
func otherAccounts(s *plan.Set, i int) map[string]bool {
	out := map[string]bool{}
	for j, g := range s.Grants {
		for _, a := range g.Spec.ConsumerAccounts {
			if j != i && !slices.Contains(s.Grants[i].Spec.ConsumerAccounts, a) {
				out[a] = true
			}
		}
	}
	return out
}

// sameDocuments reports whether the combined plan writes exactly the
// grant's own documents (it shares none with another grant).
func sameDocuments(a, b *plan.Plan) bool {
	for i := range a.Documents {
		if a.Documents[i] != b.Documents[i] {
			return false
		}
	}
	return true
}

// Verdict sums the set's check up in one line.
func (r *SetResult) Verdict() string {
	failed := 0
	for _, g := range r.Grants {
		if !g.OK {
			failed++
		}
	}
	if failed == 0 {
		return fmt.Sprintf("all %d grants hold, alone and combined", len(r.Grants))
	}
	return fmt.Sprintf("%d of %d grants fail, alone or combined", failed, len(r.Grants))
}

// WriteText renders one line per grant and, for each that fails, its
// failing matrix.
func (r *SetResult) WriteText(w io.Writer) error {
	tw := textout.New(w)
	tw.Printf("Check of %s: each grant alone, and combined with the others in the documents they share\n", r.SetID)
	for _, g := range r.Grants {
		tw.Printf("  grants[%d] %s %-4s alone %s, combined %s  %s\n",
			g.Index, g.GrantID, okWord(g.OK), summary(g.Alone), summary(g.Combined), g.Scope)
	}
	for _, g := range r.Grants {
		m := g.Combined
		if g.Alone != nil && !g.Alone.OK {
			m = g.Alone
		}
		if m.OK {
			continue
		}
		tw.Printf("\ngrants[%d] %s fails:\n", g.Index, g.GrantID)
		if err := m.WriteText(w); err != nil {
			return err
		}
	}
	for _, g := range r.Grants {
		for _, e := range g.Stray {
			tw.Printf("grants[%d]: %s may %s on %s through %s, which no grant gives it\n",
				g.Index, e.Who, e.Action, e.Resource, strings.Join(e.Statements, "; "))
		}
	}
	tw.Printf("%s\n", r.Verdict())
	return tw.Err()
}

func okWord(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAIL"
}

func summary(m *Matrix) string {
	if m == nil {
		return "(not proved alone)"
	}
	return fmt.Sprintf("%d/%d expectations, %d extra", m.Passed, m.Passed+m.Failed, len(m.Proof.Extra))
}
