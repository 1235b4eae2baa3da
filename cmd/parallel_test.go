package cmd

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestParallelIsBounded: apply, status and verify of a grants plan refuse
// a --parallel outside 1..64 with exit 2, naming the flag, the rule and an
// example, before connecting to anything.
func TestParallelIsBounded(t *testing.T) {
	const grants = "../plan/testdata/grants30.yaml"
	planFile := filepath.Join(t.TempDir(), "grants-plan.json")
	if code, _, errOut := runCLI(t, "plan", "--spec", grants, "--out", planFile); code != 0 {
		t.Fatalf("plan of the grants file: exit %d\n%s", code, errOut)
	}
	for _, args := range [][]string{
		{"status", "--spec", grants, "--parallel", "0"},
		{"apply", planFile, "--yes", "--parallel", "65"},
		{"verify", planFile, "--parallel", "-1"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != ExitBadInput || !strings.Contains(errOut, "is not between 1 and 64 (e.g. --parallel 4)") {
			t.Errorf("%s: exit %d, want %d and the rule:\n%s", strings.Join(args, " "), code, ExitBadInput, errOut)
		}
	}
}
