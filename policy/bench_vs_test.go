package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/s3grant/s3grant/internal/oracle"
)

// vsRequests is how many generated requests the evaluator benchmarks decide.
const vsRequests = 10_000

// vsRequest is one generated request with its documents as JSON text.
type vsRequest struct {
	c        *oracleCase
	req      Request
	identity [][]byte
	resource []byte
	kind     Kind
}

// vsCases generates the benchmark's requests: the differential test's
// families (identity and resource policies of one to three statements,
// conditions, wildcards, variables), seed after seed.
func vsCases() []vsRequest { return vsOnce() }

var vsOnce = sync.OnceValue(func() []vsRequest {
	var out []vsRequest
	for seed := uint64(1); len(out) < vsRequests; seed++ {
		for _, c := range generateCases(seed, 90) {
			if c.stages != nil || len(out) == vsRequests {
				continue
			}
			r := vsRequest{c: c, kind: c.kind, req: Request{Principal: c.Principal, Action: c.Action, Resource: c.Resource, ResourceAccount: c.AccountID, Context: goContext(c.Context)}}
			for _, p := range c.IdentityPolicies {
				r.identity = append(r.identity, p)
			}
			if len(c.ResourcePolicy) > 0 && string(c.ResourcePolicy) != "null" {
				r.resource = c.ResourcePolicy
			}
			out = append(out, r)
		}
	}
	return out
})

var identityNames = []string{"identity0", "identity1", "identity2", "identity3"}

// input parses the request's documents, as explain does for each request.
func (r vsRequest) input() (Input, error) {
	in := Input{Request: r.req, Resource: &Doc{Name: "resource", Kind: r.kind}}
	for i, text := range r.identity {
		p, err := Parse(text)
		if err != nil {
			return in, err
		}
		in.Identity = append(in.Identity, Doc{Name: identityNames[i%len(identityNames)], Kind: KindIdentityPolicy, Policy: p})
	}
	if r.resource != nil {
		p, err := Parse(r.resource)
		if err != nil {
			return in, err
		}
		in.Resource.Policy = p
	}
	return in, nil
}

// parseAndDecide parses the documents and decides: with reasons through
// Evaluate, or the decision alone through Prepare and Decide.
func (r vsRequest) parseAndDecide(tb testing.TB, reasons bool) Decision {
	in, err := r.input()
	if err != nil {
		tb.Fatal(err)
	}
	if reasons {
		return Evaluate(in).Decision
	}
	return Prepare(in).Decide(r.req)
}

// BenchmarkVersusIAMSimulate decides the same 10,000 generated requests
// with s3grant's evaluator and with @cloud-copilot/iam-simulate (a separate
// node process, timed inside node without its start) in one run, and
// reports decisions per second and the ratios. Run it with -benchtime=1x
// (bench/evaluator.sh does).
func BenchmarkVersusIAMSimulate(b *testing.B) {
	reqs := vsCases()
	prepared := make([]*Prepared, len(reqs))
	for i, r := range reqs {
		in, err := r.input()
		if err != nil {
			b.Fatal(err)
		}
		prepared[i] = Prepare(in)
	}
	// rate decides every request rounds times and returns the best
	// round's decisions per second of wall time and of CPU time (user and
	// system: fair when other work loads the machine).
	rate := func(rounds int, f func(r vsRequest, i int)) (wall, cpu float64) {
		bestWall, bestCPU := time.Duration(1<<63-1), time.Duration(1<<63-1)
		for range rounds {
			start, startCPU := time.Now(), cpuTime()
			for i, r := range reqs {
				f(r, i)
			}
			bestWall, bestCPU = min(bestWall, time.Since(start)), min(bestCPU, cpuTime()-startCPU)
		}
		return float64(len(reqs)) / bestWall.Seconds(), float64(len(reqs)) / bestCPU.Seconds()
	}
	for range b.N {
		sim := runIAMSimulate(b, reqs)
		n := float64(sim.N)
		parseDecide, parseDecideCPU := rate(5, func(r vsRequest, _ int) { r.parseAndDecide(b, false) })
		parseExplain, parseExplainCPU := rate(5, func(r vsRequest, _ int) { r.parseAndDecide(b, true) })
		decide, decideCPU := rate(20, func(r vsRequest, i int) { prepared[i].Decide(r.req) })
		b.ReportMetric(n/sim.ParseSeconds, "simulate-parse/s")
		b.ReportMetric(n/sim.DecideSeconds, "simulate-parsed/s")
		b.ReportMetric(parseDecide, "s3grant-parse-decide/s")
		b.ReportMetric(parseExplain, "s3grant-parse-explain/s")
		b.ReportMetric(decide, "s3grant-prepared/s")
		b.ReportMetric(decideCPU, "s3grant-prepared/cpu-s")
		b.ReportMetric(parseDecide*sim.ParseSeconds/n, "x-parse-decide")
		b.ReportMetric(parseExplain*sim.ParseSeconds/n, "x-parse-explain")
		b.ReportMetric(decide*sim.DecideSeconds/n, "x-prepared")
		b.ReportMetric(parseDecideCPU*sim.ParseCPUSeconds/n, "x-parse-decide-cpu")
		b.ReportMetric(parseExplainCPU*sim.ParseCPUSeconds/n, "x-parse-explain-cpu")
		b.ReportMetric(decideCPU*sim.DecideCPUSeconds/n, "x-prepared-cpu")
	}
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type simTimes struct {
	N                int            `json:"n"`
	ParseSeconds     float64        `json:"parse_seconds"`
	DecideSeconds    float64        `json:"decide_seconds"`
	ParseCPUSeconds  float64        `json:"parse_cpu_seconds"`
	DecideCPUSeconds float64        `json:"decide_cpu_seconds"`
	Decisions        map[string]int `json:"decisions"`
}

func runIAMSimulate(tb testing.TB, reqs []vsRequest) simTimes {
	cases := make([]oracle.Case, len(reqs))
	for i, r := range reqs {
		cases[i] = r.c.Case
		if cases[i].IdentityPolicies == nil {
			cases[i].IdentityPolicies = []json.RawMessage{}
		}
	}
	in, err := json.Marshal(map[string]any{"cases": cases, "rounds": 3})
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join("..", "bench", "iamsimulate.js"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("iam-simulate (run scripts/setup.sh to install it): %v\n%s", err, stderr.String())
	}
	var t simTimes
	if err := json.Unmarshal(out, &t); err != nil || t.N != len(reqs) {
		tb.Fatalf("iam-simulate output: %v %s", err, out)
	}
	tb.Logf("iam-simulate decided %v", t.Decisions)
	return t
}

// BenchmarkDecidePrepared: one decision per op on documents compiled once
// (the 10,000 generated requests in turn); run with -count for a range.
func BenchmarkDecidePrepared(b *testing.B) {
	reqs := vsCases()
	prepared := make([]*Prepared, len(reqs))
	for i, r := range reqs {
		in, err := r.input()
		if err != nil {
			b.Fatal(err)
		}
		prepared[i] = Prepare(in)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start, startCPU := time.Now(), cpuTime()
	for i := range b.N {
		j := i % len(reqs)
		prepared[j].Decide(reqs[j].req)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "decisions/s")
	// CPU time (user and system) is fair when other work loads the machine.
	b.ReportMetric(float64(b.N)/(cpuTime()-startCPU).Seconds(), "decisions/cpu-s")
}

// BenchmarkParseAndDecide: one request per op, its documents parsed from
// JSON text and decided, with and without the reasons.
func BenchmarkParseAndDecide(b *testing.B) {
	reqs := vsCases()
	for _, reasons := range []bool{false, true} {
		b.Run(fmt.Sprintf("reasons=%v", reasons), func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			for i := range b.N {
				reqs[i%len(reqs)].parseAndDecide(b, reasons)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "decisions/s")
		})
	}
}
