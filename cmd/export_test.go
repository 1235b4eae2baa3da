package cmd

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/export"
)

// savedPlan writes a plan file with `s3grant plan --out`.
func savedPlan(t *testing.T, extra ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	args := with(validArgs, append([]string{"--consumer-principal", "arn:aws:iam::222233334444:role/analytics", "--out", path}, extra...)...)
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	return path
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestExportCommand(t *testing.T) {
	plan := savedPlan(t)

	code, out, stderr := runCLI(t, "export", plan, "--format", "terraform", "--owner-profile", "prod-data")
	if code != 0 || !strings.Contains(out, `resource "aws_s3_bucket_policy"`) || !strings.Contains(out, `default     = "prod-data"`) {
		t.Fatalf("terraform to stdout: exit %d\n%s%s", code, out, stderr)
	}

	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "export", plan, "--format", "cli", "--out", dir, "--consumer-profile", "analytics"); code != 0 {
		t.Fatalf("cli --out: exit %d: %s", code, stderr)
	}
	script := filepath.Join(dir, export.ScriptName)
	if m := mode(t, script); m != 0o700 {
		t.Errorf("script mode %o, want 700", m)
	}
	docs, _ := filepath.Glob(filepath.Join(dir, export.DocsDir, "*.json"))
	if len(docs) != 2 {
		t.Fatalf("documents %v, want the bucket policy and the identity policy", docs)
	}
	for _, d := range docs {
		if m := mode(t, d); m != 0o600 {
			t.Errorf("%s mode %o, want 600", d, m)
		}
	}
	text, _ := os.ReadFile(script)
	if !strings.Contains(string(text), `CONSUMER_222233334444_PROFILE="${CONSUMER_222233334444_PROFILE:-analytics}"`) {
		t.Errorf("the consumer profile is not in the script:\n%s", text)
	}

	dir = t.TempDir()
	if code, _, stderr := runCLI(t, "export", plan, "--format", "cloudformation", "--out", dir); code != 0 {
		t.Fatalf("cloudformation --out: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"owner-111122223333.yaml", "consumer-222233334444.yaml"} {
		if m := mode(t, filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s mode %o, want 600", f, m)
		}
	}
}

func TestExportBadInput(t *testing.T) {
	plan := savedPlan(t)
	notPlan := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(notPlan, []byte(`{"steps": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no format", []string{"export", plan}, "format"},
		{"bad format", []string{"export", plan, "--format", "pulumi"}, "terraform"},
		{"no plan", []string{"export", "--format", "cli"}, "accepts 1 arg"},
		{"missing plan", []string{"export", "nope.json", "--format", "cli"}, "does not exist"},
		{"not a plan", []string{"export", notPlan, "--format", "cli"}, "not a plan file"},
		{"several files to stdout", []string{"export", plan, "--format", "cli"}, "--out"},
		{"unknown consumer", []string{"export", plan, "--format", "terraform", "--consumer-profile", "999999999999=x"}, "consumer-profile"},
	} {
		code, _, stderr := runCLI(t, c.args...)
		if code != ExitBadInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d naming %q", c.name, code, stderr, ExitBadInput, c.want)
		}
	}
}

// TestExportStackSetCommand: --format cloudformation-stackset writes the
// owner's template and the consumer StackSet template (0600), and needs
// --out (two files).
func TestExportStackSetCommand(t *testing.T) {
	plan := savedPlan(t)
	if code, _, stderr := runCLI(t, "export", plan, "--format", "cloudformation-stackset"); code != ExitBadInput || !strings.Contains(stderr, "--out") {
		t.Errorf("without --out: exit %d %s", code, stderr)
	}
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "export", plan, "--format", "cloudformation-stackset", "--out", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{export.StackSetOwnerFile, export.StackSetConsumerFile} {
		path := filepath.Join(dir, f)
		if m := mode(t, path); m != 0o600 {
			t.Errorf("%s mode %o, want 600", f, m)
		}
	}
	text, _ := os.ReadFile(filepath.Join(dir, export.StackSetConsumerFile))
	for _, want := range []string{"Ref: AWS::AccountId", `- "222233334444"`, "AWS::IAM::RolePolicy", "NoGrantPlaceholder"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the consumer template lacks %q:\n%s", want, text)
		}
	}
}
