package policy

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/oracle"
)

// The differential test: s3grant's evaluator against
// @cloud-copilot/iam-simulate (test-tools/, run as a separate Node process;
// see shared oracle.md). The oracle does not model ACLs, Object Ownership,
// IgnorePublicAcls, the SSE-KMS chain or the root user's full access; those
// rules are covered by the table tests from the AWS documentation
// (eval_test.go, eval_s3_test.go) instead.

// minAgreements is how many generated cases must agree with the oracle.
const minAgreements = 300

// oracleCase is one request sent to the oracle, with what the Go side needs
// to decide it too.
type oracleCase struct {
	oracle.Case

	family string
	kind   Kind
	// decide gives the Go decision; for composed access point cases it
	// evaluates the whole request while the oracle decides each stage.
	decide func(t testing.TB) Decision
	// stages holds the oracle cases whose decisions compose this one.
	stages []*oracleCase
}

func askOracle(t testing.TB, cases []*oracleCase) map[int]oracle.Answer {
	t.Helper()
	var flat []oracle.Case
	for _, c := range cases {
		if c.stages == nil {
			flat = append(flat, c.Case)
			continue
		}
		for _, st := range c.stages {
			flat = append(flat, st.Case)
		}
	}
	return oracle.Run(t, flat)
}

// goContext converts the generated context for the Go evaluator.
func goContext(m map[string]any) Context {
	ctx := Context{}
	for k, v := range m {
		switch x := v.(type) {
		case string:
			ctx.Set(k, x)
		case []string:
			ctx.Set(k, x...)
		}
	}
	return ctx
}

func docsOf(t testing.TB, raw []json.RawMessage, kind Kind) []Doc {
	var out []Doc
	for i, r := range raw {
		out = append(out, Doc{Name: fmt.Sprintf("identity%d", i), Kind: kind, Policy: mustParse(t, string(r))})
	}
	return out
}

// decideSingle evaluates a case as one identity + resource evaluation.
func (c *oracleCase) decideSingle(t testing.TB) Decision {
	in := Input{
		Request:  Request{Principal: c.Principal, Action: c.Action, Resource: c.Resource, ResourceAccount: c.AccountID, Context: goContext(c.Context)},
		Identity: docsOf(t, c.IdentityPolicies, KindIdentityPolicy),
		// A resource without a policy still has its kind: a key or a role
		// with no statement for the caller refuses it.
		Resource: &Doc{Name: "resource", Kind: c.kind},
	}
	if len(c.ResourcePolicy) > 0 && string(c.ResourcePolicy) != "null" {
		in.Resource.Policy = mustParse(t, string(c.ResourcePolicy))
	}
	return Evaluate(in).Decision
}

func generateCases(seed uint64, perFamily int) []*oracleCase {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []*oracleCase
	id := 0
	for _, f := range families() {
		for i := 0; i < perFamily; i++ {
			id++
			principal := genPrincipals[r.IntN(len(genPrincipals))]
			c := &oracleCase{
				Case: oracle.Case{
					ID: id, Engine: oracle.EngineSimulate, Principal: principal,
					Action: f.actions[r.IntN(len(f.actions))], Resource: f.resources[r.IntN(len(f.resources))], AccountID: f.account,
				},
				family: f.name, kind: f.kind,
			}
			c.Context = genContext(r, f, principal, f.account)
			for n := r.IntN(3); n > 0; n-- {
				c.IdentityPolicies = append(c.IdentityPolicies, genPolicy(r, f, false, 3))
			}
			if r.IntN(7) > 0 {
				c.ResourcePolicy = genPolicy(r, f, true, 3)
			}
			c.decide = c.decideSingle
			out = append(out, c)
		}
	}
	return append(out, generateAccessPointCases(r, &id, perFamily)...)
}

// TestDifferentialOracle compares every generated case with the oracle.
// Every disagreement must be a known one (listed in knownDisagreement with
// its reason), and at least minAgreements cases must agree.
func TestDifferentialOracle(t *testing.T) {
	cases := generateCases(1, 90)
	answers := askOracle(t, cases)
	agree, known := 0, map[string]int{}
	var unknown []string
	for _, c := range cases {
		theirs, err := composeAnswer(c, answers)
		if err != "" {
			t.Errorf("case %d (%s): oracle error %s", c.ID, c.family, err)
			continue
		}
		ours := c.decide(t)
		if ours == theirs {
			agree++
			continue
		}
		if why := knownDisagreement(t, c, ours, theirs); why != "" {
			known[why]++
			continue
		}
		unknown = append(unknown, describeOracleCase(c, ours, theirs))
	}
	for why, n := range known {
		t.Logf("known disagreement x%d: %s", n, why)
	}
	t.Logf("%d cases, %d agree with the oracle", len(cases), agree)
	if len(unknown) > 0 {
		t.Errorf("%d unexplained disagreements with the oracle:\n%s", len(unknown), strings.Join(unknown, "\n"))
	}
	if agree < minAgreements {
		t.Errorf("only %d cases agree; want at least %d", agree, minAgreements)
	}
}

// composeAnswer returns the oracle's decision for a case: its own, or the
// composition of its stages (all must allow; an explicit deny wins).
func composeAnswer(c *oracleCase, answers map[int]oracle.Answer) (Decision, string) {
	parts := c.stages
	if parts == nil {
		parts = []*oracleCase{c}
	}
	var rs []Result
	for _, p := range parts {
		a, ok := answers[p.ID]
		switch {
		case !ok:
			return "", "no answer"
		case a.Error != "":
			return "", a.Error
		case len(a.Ignored) > 0:
			return "", fmt.Sprintf("the oracle ignored context keys %v (the generator must only send keys valid for the action)", a.Ignored)
		}
		d, ok := ParseDecision(a.Decision)
		if !ok {
			return "", "unknown decision " + a.Decision
		}
		rs = append(rs, Result{Decision: d})
	}
	return Combine(rs...).Decision, ""
}

func describeOracleCase(c *oracleCase, ours, theirs Decision) string {
	b, _ := json.MarshalIndent(c, "  ", "  ")
	return fmt.Sprintf("case %d (%s): s3grant %s, oracle %s\n  %s", c.ID, c.family, ours, theirs, b)
}
