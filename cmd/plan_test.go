package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
)

// runCLI runs the command tree in-process and returns its exit code and
// output streams.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &App{Build: BuildInfo{}.resolved(), In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code := run(context.Background(), app, args)
	return code, out.String(), errOut.String()
}

var validArgs = []string{
	"plan", "--method", "bucket-policy", "--bucket", "analytics-exports", "--owner-account", "111122223333",
	"--consumer-account", "222233334444",
}

// with returns base plus extra in a new slice (plain append would share the
// backing array between cases).
func with(base []string, extra ...string) []string {
	return append(append([]string(nil), base...), extra...)
}

func withFlag(base []string, flag, value string) []string {
	out := append([]string(nil), base...)
	for i := 0; i < len(out); i++ {
		if out[i] == flag {
			out[i+1] = value
			return out
		}
	}
	return append(out, flag, value)
}

// Every field's bad input: exit 2, the message on stderr names the field and
// shows a valid example.
func TestPlanBadInput(t *testing.T) {
	iam := withFlag(validArgs, "--method", "iam-role")
	ap := with(withFlag(validArgs, "--method", "access-point"), "--region", "eu-west-1")
	acl := with(withFlag(validArgs, "--method", "acl"), "--access", "list")
	cases := []struct {
		name, field string
		args        []string
	}{
		{"method", "method", withFlag(validArgs, "--method", "bucket_policy")},
		{"no method", "method", with([]string{"plan"}, validArgs[3:]...)},
		{"bucket upper", "bucket", withFlag(validArgs, "--bucket", "Analytics")},
		{"bucket short", "bucket", withFlag(validArgs, "--bucket", "ab")},
		{"bucket ip", "bucket", withFlag(validArgs, "--bucket", "192.168.5.4")},
		{"bucket dots", "bucket", withFlag(validArgs, "--bucket", "a..b")},
		{"bucket suffix", "bucket", withFlag(validArgs, "--bucket", "data-s3alias")},
		{"bucket prefix", "bucket", withFlag(validArgs, "--bucket", "xn--data")},
		{"region", "region", with(validArgs, "--region", "europe")},
		{"owner short", "owner-account", withFlag(validArgs, "--owner-account", "11112222333")},
		{"owner letters", "owner-account", withFlag(validArgs, "--owner-account", "11112222333a")},
		{"consumer", "consumer-account", withFlag(validArgs, "--consumer-account", "2222")},
		{"consumer is owner", "consumer-account", withFlag(validArgs, "--consumer-account", "111122223333")},
		{"consumer twice", "consumer-account", with(validArgs, "--consumer-account", "222233334444")},
		{"principal", "consumer-principal", with(validArgs, "--consumer-principal", "arn:aws:iam::222233334444:group/x")},
		{"principal session", "consumer-principal", with(validArgs, "--consumer-principal", "arn:aws:sts::222233334444:assumed-role/r/s")},
		{"principal other account", "consumer-principal", with(validArgs, "--consumer-principal", "arn:aws:iam::999988887777:role/x")},
		{"prefix slash", "prefix", with(validArgs, "--prefix", "/reports/")},
		{"prefix no trailing", "prefix", with(validArgs, "--prefix", "reports")},
		{"prefix wildcard", "prefix", with(validArgs, "--prefix", "rep*/")},
		{"prefix nested", "prefix", with(validArgs, "--prefix", "a/", "--prefix", "a/b/")},
		{"access", "access", with(validArgs, "--access", "admin")},
		{"org", "org-id", with(validArgs, "--org-id", "o-short")},
		{"external id wrong method", "external-id", with(validArgs, "--external-id", "abc123")},
		{"external id chars", "external-id", with(iam, "--external-id", "has space")},
		{"role name", "role-name", with(iam, "--role-name", "bad/name")},
		{"role name wrong method", "role-name", with(validArgs, "--role-name", "r")},
		{"access point name", "access-point", with(ap, "--access-point", "Bad_Name")},
		{"access point region", "region", with(withFlag(validArgs, "--method", "access-point"), "--access-point", "ap1")},
		{"access point owner", "access-point-owner", with(ap, "--access-point-owner", "bucket")},
		{"kms alias", "kms-key", with(validArgs, "--kms-key", "arn:aws:kms:eu-west-1:111122223333:alias/data")},
		{"kms other account", "kms-key", with(validArgs, "--kms-key", "arn:aws:kms:eu-west-1:222233334444:key/1234abcd-12ab-34cd-56ef-1234567890ab")},
		{"canonical id", "canonical-id", with(acl, "--canonical-id", "xyz")},
		{"canonical missing", "canonical-id", acl},
		{"canonical wrong method", "canonical-id", with(validArgs, "--canonical-id", strings.Repeat("a", 64))},
		{"acl prefix", "prefix", with(acl, "--canonical-id", strings.Repeat("a", 64), "--prefix", "a/")},
		{"acl read", "access", withFlag(with(acl, "--canonical-id", strings.Repeat("a", 64)), "--access", "read")},
		{"output", "output", with(validArgs, "-o", "yaml")},
		{"unknown flag", "unknown flag", with(validArgs, "--buckets", "x")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, c.args...)
			if code != ExitBadInput {
				t.Fatalf("exit %d, want %d; stderr: %s", code, ExitBadInput, stderr)
			}
			if !strings.Contains(stderr, c.field) {
				t.Errorf("stderr does not name %q: %s", c.field, stderr)
			}
			if c.field != "unknown flag" && !strings.Contains(stderr, "e.g.") {
				t.Errorf("stderr shows no valid example: %s", stderr)
			}
		})
	}
}

func TestPlanSpecFileAndOut(t *testing.T) {
	dir := t.TempDir()
	specFile := filepath.Join(dir, "grant.yaml")
	os.WriteFile(specFile, []byte("method: iam-role\nbucket: analytics-exports\nowner-account: \"111122223333\"\nconsumer-account: [\"222233334444\"]\naccess: read-write\nprefix: [reports/]\n"), 0o600)
	out := filepath.Join(dir, "plan.json")
	code, stdout, stderr := runCLI(t, "plan", "--spec", specFile, "--external-id", "partner-7f3c9a", "--out", out, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("plan file mode %v, want 0600", info.Mode().Perm())
	}
	var p plan.Plan
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if p.Spec.Method != "iam-role" || p.Spec.ExternalID != "partner-7f3c9a" || p.Spec.RoleName != "s3grant-analytics-exports" {
		t.Errorf("spec from file + flags = %+v", p.Spec)
	}
	if strings.TrimSpace(stdout) != strings.TrimSpace(string(data)) {
		t.Error("-o json and --out differ")
	}
	os.WriteFile(specFile, []byte("method: iam-role\nbuckett: x\n"), 0o600)
	code, _, stderr = runCLI(t, "plan", "--spec", specFile)
	if code != ExitBadInput || !strings.Contains(stderr, "buckett") {
		t.Errorf("unknown spec field: exit %d, %s", code, stderr)
	}
}

func TestPlanExistingBucketPolicyMerge(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "current.json")
	os.WriteFile(existing, []byte(`{"Version":"2008-10-17","Statement":{"Sid":"Foreign","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/pub/*"}}`), 0o600)
	code, stdout, stderr := runCLI(t, with(validArgs, "--existing-bucket-policy", existing)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Changes:", "+      \"Sid\": \"S3Grant", "\"Sid\": \"Foreign\"", "2008-10-17"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text plan lacks %q", want)
		}
	}
	os.WriteFile(existing, []byte(`{"Statement":[{"Effect":"Maybe"}]}`), 0o600)
	code, _, stderr = runCLI(t, with(validArgs, "--existing-bucket-policy", existing)...)
	if code != ExitBadInput || !strings.Contains(stderr, "existing-bucket-policy") || !strings.Contains(stderr, "Effect") {
		t.Errorf("bad existing policy: exit %d, %s", code, stderr)
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "s3grant ") || !strings.Contains(out, "commit:") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

func TestCompletionAndFailureExit(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, stderr := runCLI(t, "completion", shell)
		if code != 0 || !strings.Contains(out, "s3grant") {
			t.Errorf("completion %s: exit %d %s", shell, code, stderr)
		}
	}
	code, _, stderr := runCLI(t, with(validArgs, "--out", filepath.Join(t.TempDir(), "missing", "plan.json"))...)
	if code != ExitFailure || !strings.Contains(stderr, "plan.json") {
		t.Errorf("unwritable --out: exit %d, %s", code, stderr)
	}
}
