package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportGrantsPlan: a grants plan exports through export.Many: one
// module per grant for Terraform, one bucket policy resource per bucket in
// the StackSet's owner template; formats that cannot hold many grants are
// refused with exit 2 naming the ones that can.
func TestExportGrantsPlan(t *testing.T) {
	dir := t.TempDir()
	planFile := filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, "plan", "--spec", grants30, "--out", planFile); code != 0 {
		t.Fatalf("plan: %d\n%s", code, errOut)
	}

	tf := filepath.Join(dir, "tf")
	if code, _, errOut := runCLI(t, "export", planFile, "--format", "terraform", "--out", tf); code != 0 {
		t.Fatalf("export terraform: %d\n%s", code, errOut)
	}
	modules, err := filepath.Glob(filepath.Join(tf, "modules", "grant-*"))
	if err != nil || len(modules) != 30 {
		t.Fatalf("terraform: %d grant modules, want 30 (%v)", len(modules), err)
	}
	root, err := os.ReadFile(filepath.Join(tf, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(root), `resource "aws_s3_bucket_policy"`); n != 5 {
		t.Errorf("terraform root: %d bucket policy resources, want one per bucket (5)", n)
	}

	stackset := filepath.Join(dir, "stackset")
	if code, _, errOut := runCLI(t, "export", planFile, "--format", "cloudformation-stackset", "--out", stackset); code != 0 {
		t.Fatalf("export stackset: %d\n%s", code, errOut)
	}
	owner, err := os.ReadFile(filepath.Join(stackset, "owner-stack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(owner), "Type: AWS::S3::BucketPolicy"); n != 5 {
		t.Errorf("owner template: %d bucket policies, want one per bucket (5)", n)
	}
	if fi, err := os.Stat(filepath.Join(stackset, "consumer-stackset.yaml")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("consumer template: %v", err)
	}

	code, _, errOut := runCLI(t, "export", planFile, "--format", "cli", "--out", filepath.Join(dir, "cli"))
	if code != ExitBadInput || !strings.Contains(errOut, "several grants export as") {
		t.Errorf("cli format of a grants plan: exit %d, want 2 naming the formats:\n%s", code, errOut)
	}
}
