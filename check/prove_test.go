package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
)

func proofFailures(pr *Proof) string {
	var b strings.Builder
	for i, e := range pr.Extra {
		if i == 12 {
			fmt.Fprintf(&b, "  ... and %d more\n", len(pr.Extra)-i)
			break
		}
		fmt.Fprintf(&b, "  %s %s %s %s %v\n      by %v\n      why: %s\n", e.Who, e.Action, e.Resource, e.Path, e.Context, e.Statements, e.Why)
	}
	return b.String()
}

// TestProofOfEveryExample: every plan of the gallery, unmodified, gives no
// access beyond its spec, over every request.
func TestProofOfEveryExample(t *testing.T) {
	for _, ex := range plan.Examples() {
		t.Run(ex.Name, func(t *testing.T) {
			pr := Prove(planFor(t, ex.Spec, nil), plan.Facts{})
			if !pr.OK {
				t.Fatalf("%d extra accesses:\n%s", len(pr.Extra), proofFailures(pr))
			}
			if pr.Actions < 150 || pr.Requests == 0 {
				t.Fatalf("proof too small: %d actions, %d requests", pr.Actions, pr.Requests)
			}
			t.Logf("%d action classes, %d requests, %d evaluations", pr.ActionClasses, pr.Requests, pr.Evaluations)
		})
	}
}

// BenchmarkProve measures the proof of each example plan (the plan is
// built once, outside the timer).
func BenchmarkProve(b *testing.B) {
	for _, ex := range plan.Examples() {
		p, err := plan.New(ex.Spec, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(ex.Name, func(b *testing.B) {
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				Prove(p, plan.Facts{})
			}
			// CPU time, not only wall time: the benchmark machine is shared.
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
