package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckSavedPlan: a plan written by plan --out passes check (exit 0,
// text and json); a plan whose documents were edited to deny the consumer
// fails it (exit 3).
func TestCheckSavedPlan(t *testing.T) {
	dir := t.TempDir()
	planFile := filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, with(validArgs, "--prefix", "reports/", "--out", planFile)...); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, errOut)
	}
	code, out, _ := runCLI(t, "check", planFile)
	if code != ExitOK || !strings.Contains(out, "every expectation holds") || !strings.Contains(out, "Must be denied") {
		t.Fatalf("check: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, "check", planFile, "-o", "json")
	var m struct {
		OK           bool `json:"ok"`
		Expectations []struct {
			Want, Decision string
		} `json:"expectations"`
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &m) != nil || !m.OK || len(m.Expectations) < 8 {
		t.Fatalf("check -o json: exit %d: %s", code, out)
	}

	data, _ := os.ReadFile(planFile)
	broken := strings.ReplaceAll(string(data), `"s3:GetObject"`, `"s3:GetObjectTagging"`)
	if broken == string(data) {
		t.Fatal("test setup: the plan holds no s3:GetObject to break")
	}
	brokenFile := writeFile(t, dir, "broken.json", broken)
	// An edited document is not what the spec derives: refused before
	// anything is checked (issue 12: check used to prove the edited file).
	code, out, errOut := runCLI(t, "check", brokenFile)
	if code != ExitBadInput || !strings.Contains(errOut, "documents[0].document") || !strings.Contains(errOut, "s3:GetObjectTagging") {
		t.Fatalf("edited plan: exit %d, want %d:\n%s\n%s", code, ExitBadInput, out, errOut)
	}

	// A plan merged with an existing bucket policy that lets anyone
	// read the prefix is what its spec and state derive, and fails the check.
	var saved plan.Plan
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatal(err)
	}
	foreign, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow",
		"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	st := &plan.State{Known: true}
	st.SetPolicy(plan.DocKey{Kind: policy.KindBucketPolicy, Target: saved.Spec.BucketARN()}, foreign)
	wide, err := plan.New(saved.Spec, st)
	if err != nil {
		t.Fatal(err)
	}
	wideFile := filepath.Join(dir, "wide.json")
	if err := plan.WriteFile(wideFile, wide); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "check", wideFile)
	if code != ExitCheckFail || !strings.Contains(out, "FAIL") || !strings.Contains(errOut, "do not hold") {
		t.Fatalf("plan failing the check: exit %d, want %d:\n%s\n%s", code, ExitCheckFail, out, errOut)
	}
}

func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"check", filepath.Join(dir, "none.json")}, "PLAN.json"},
		{"not a plan", []string{"check", writeFile(t, dir, "x.json", `{"format_version": 99}`)}, "PLAN.json"},
		{"bad output", []string{"check", writeFile(t, dir, "y.json", `{}`), "-o", "yaml"}, "output"},
		{"no argument", []string{"check"}, "arg"},
	} {
		code, _, errOut := runCLI(t, c.args...)
		if code != ExitBadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming %q", c.name, code, errOut, c.want)
		}
	}
}

// TestPlanRefusesFailingMatrix: an existing explicit deny makes the plan
// grant less than asked: plan exits 3 and writes nothing to --out.
func TestPlanRefusesFailingMatrix(t *testing.T) {
	dir := t.TempDir()
	existing := writeFile(t, dir, "bp.json", `{"Version":"2012-10-17","Statement":[{"Sid":"Legacy","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`)
	out := filepath.Join(dir, "plan.json")
	code, stdout, errOut := runCLI(t, with(validArgs, "--prefix", "reports/", "--existing-bucket-policy", existing, "--out", out)...)
	if code != ExitCheckFail {
		t.Fatalf("exit %d, want %d: %s", code, ExitCheckFail, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a refused plan must not be written (stat: %v)", err)
	}
	if !strings.Contains(stdout, "Legacy") || !strings.Contains(errOut, "plan refused") {
		t.Fatalf("the refusal must name the deny:\n%s\n%s", stdout, errOut)
	}
}

// TestPlanCheckFlag: plan --check prints the matrix; -o json carries it and
// the findings.
func TestPlanCheckFlag(t *testing.T) {
	code, out, _ := runCLI(t, with(validArgs, "--check")...)
	if code != 0 || !strings.Contains(out, "Access check for grant") {
		t.Fatalf("plan --check: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, with(validArgs, "--check", "-o", "json")...)
	var j struct {
		Steps    []any `json:"steps"`
		Findings []struct {
			Code string `json:"code"`
		} `json:"findings"`
		Check *struct {
			OK bool `json:"ok"`
		} `json:"check"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &j) != nil || j.Check == nil || !j.Check.OK || len(j.Steps) == 0 {
		t.Fatalf("plan --check -o json: exit %d:\n%s", code, out)
	}
	found := false
	for _, f := range j.Findings {
		found = found || f.Code == "whole-account-grant"
	}
	if !found {
		t.Fatalf("a whole-account plan must carry the whole-account-grant finding: %+v", j.Findings)
	}
}
