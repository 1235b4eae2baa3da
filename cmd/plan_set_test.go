package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const grants30 = "../plan/testdata/grants30.yaml"

// TestPlanAndCheckGrantsFile: a grants file plans into one plan file that
// check proves grant by grant, alone and combined.
func TestPlanAndCheckGrantsFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plan.json")
	code, stdout, errOut := runCLI(t, "plan", "--spec", grants30, "--out", out)
	if code != 0 || !strings.Contains(stdout, "30 grants on 5 buckets, 11 accounts") || !strings.Contains(stdout, "all 30 grants hold, alone and combined") {
		t.Fatalf("plan: %d\n%s\n%s", code, stdout, errOut)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("plan file: %v", err)
	}
	code, stdout, errOut = runCLI(t, "check", out)
	if code != 0 || strings.Count(stdout, " ok ") != 30 {
		t.Fatalf("check: %d\n%s\n%s", code, stdout, errOut)
	}
}

// TestGrantsFileBadInput: bad grants files exit 2 naming the grant and
// field; answer flags cannot be mixed with a grants file.
func TestGrantsFileBadInput(t *testing.T) {
	dir := t.TempDir()
	one := `{method: bucket-policy, bucket: b-one, owner-account: "111122223333", consumer-account: ["222233334444"], access: read}`
	huge := "grants:\n" + strings.Repeat("  - "+one+"\n", 12000)
	cases := []struct {
		name, body string
		args       []string
		want       string
	}{
		{"duplicate", "grants: [" + one + ", " + one + "]", nil, "grants[1]: duplicates grants[0]"},
		{
			"conflict", "grants: [" + one + ", " + strings.Replace(strings.Replace(one, "read", "write", 1), "bucket-policy", "iam-role", 1) + "]", nil,
			"grants[1].access: conflicts with grants[0]",
		},
		{"missing field", `grants: [{method: bucket-policy, bucket: b-one, consumer-account: ["222233334444"]}]`, nil, "grants[0].owner-account: is required"},
		{"huge", huge, nil, "spec"},
		{"flag with grants file", "grants: [" + one + "]", []string{"--bucket", "other"}, "--bucket cannot be combined"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".yaml")
			if err := os.WriteFile(path, []byte(c.body), 0o600); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := runCLI(t, append([]string{"plan", "--spec", path}, c.args...)...)
			if code != ExitBadInput || !strings.Contains(errOut, c.want) {
				t.Fatalf("got %d, want exit 2 with %q:\n%s", code, c.want, errOut)
			}
		})
	}
	single := filepath.Join(dir, "single.json")
	if code, _, errOut := runCLI(t, "plan", "--method", "bucket-policy", "--bucket", "b-one", "--owner-account", "111122223333",
		"--consumer-account", "222233334444", "--out", single); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "apply", single, "--prune", "--yes"); code != ExitBadInput || !strings.Contains(errOut, "--prune applies to a plan made from a grants file") {
		t.Fatalf("apply --prune of a single grant's plan: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "plan", "--spec", dir); code != ExitBadInput || !strings.Contains(errOut, "spec") {
		t.Fatalf("a directory: %d %s", code, errOut)
	}
}
