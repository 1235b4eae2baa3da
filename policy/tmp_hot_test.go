package policy

import (
	"testing"
	"time"
)

func BenchmarkTmpHot(b *testing.B) {
	reqs := vsCases()
	prepared := make([]*Prepared, len(reqs))
	for i, r := range reqs {
		in, _ := r.input()
		prepared[i] = Prepare(in)
	}
	b.ResetTimer()
	start := cpuTime()
	for i := range b.N {
		j := (i / 64) % len(reqs)
		prepared[j].Decide(reqs[j].req)
	}
	b.ReportMetric(float64(b.N)/(cpuTime()-start).Seconds(), "decisions/cpu-s")
	_ = time.Now
}
