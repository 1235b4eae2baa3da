// Package oracle runs the independent policy simulator the evaluator's
// tests compare against: @cloud-copilot/iam-simulate, installed in
// test-tools/ (npm ci) and run there as a separate Node process by
// test-tools/oracle.js. s3grant never includes or copies its code (it is
// AGPL-3.0). For tests only.
package oracle

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Engines of the oracle: the public runSimulation entry point, or the core
// engine's authorize, which keeps s3:DataAccessPoint* keys on bucket and
// object ARNs (runSimulation drops them).
const (
	EngineSimulate = "simulate"
	EngineCore     = "core"
)

// Case is one request for the oracle.
type Case struct {
	ID               int               `json:"id"`
	Engine           string            `json:"engine"`
	Principal        string            `json:"principal"`
	Action           string            `json:"action"`
	Resource         string            `json:"resource"`
	AccountID        string            `json:"accountId"` // the resource owner
	Context          map[string]any    `json:"context"`   // string or []string values
	IdentityPolicies []json.RawMessage `json:"identityPolicies"`
	ResourcePolicy   json.RawMessage   `json:"resourcePolicy"`
}

// Answer is the oracle's decision on one case: Allowed, ExplicitlyDenied
// or ImplicitlyDenied, the context keys it ignored, or an error.
type Answer struct {
	ID       int      `json:"id"`
	Decision string   `json:"decision"`
	Ignored  []string `json:"ignored"`
	Error    string   `json:"error"`
}

// Run decides the cases. When node or the oracle is missing it fails the
// test under CI=true and skips it elsewhere, naming the install step.
func Run(t testing.TB, cases []Case) map[int]Answer {
	t.Helper()
	node, script := runner(t)
	for i := range cases {
		if cases[i].IdentityPolicies == nil {
			cases[i].IdentityPolicies = []json.RawMessage{}
		}
	}
	in, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, script)
	cmd.Dir = filepath.Dir(script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle failed: %v\n%s", err, stderr.String())
	}
	var answers []Answer
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatalf("oracle output: %v\n%s", err, out)
	}
	byID := map[int]Answer{}
	for _, a := range answers {
		byID[a.ID] = a
	}
	return byID
}

func runner(t testing.TB) (string, string) {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "test-tools")
	missing := func(what string) {
		msg := what + ": run `npm ci` in test-tools/ (scripts/setup.sh does it)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("the oracle tests need %s", msg)
		}
		t.Skipf("skipping the oracle test: %s", msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH")
	}
	simulator := filepath.Join(dir, "node_modules", "@cloud-copilot", "iam-simulate", "package.json")
	if _, err := os.Stat(simulator); err != nil {
		missing("@cloud-copilot/iam-simulate is not installed")
	}
	return node, filepath.Join(dir, "oracle.js")
}

// moduleRoot walks up from the test's directory to the go.mod.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}
