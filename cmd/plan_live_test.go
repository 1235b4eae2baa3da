package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/export"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
)

const livePartnerPolicy = `{"Version":"2012-10-17","Id":"Legacy","Statement":[{"Sid":"Partner","Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::analytics-exports"}]}`

// TestPlanLiveThenExportScript: plan --live merges with the bucket's policy
// in moto; the exported script run with the AWS CLI keeps the partner's
// statement and adds s3grant's.
func TestPlanLiveThenExportScript(t *testing.T) {
	env := testenv.Start(t)
	for _, kv := range env.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", plan.ExBucket, "--create-bucket-configuration", "LocationConstraint="+env.Region)
	env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", plan.ExBucket, "--policy", livePartnerPolicy)
	env.CLI(t, "consumer", "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	other := env.Assume(t, plan.ExConsumer2)

	dir := t.TempDir()
	planFile := filepath.Join(dir, "plan.json")
	args := with(validArgs, "--region", env.Region, "--consumer-principal", plan.ExRole, "--prefix", "reports/",
		"--live", "--owner-profile", "owner", "--endpoint-url", env.URL)
	if code, _, stderr := runCLI(t, with(args, "--consumer-profile", other.Profile)...); code != ExitBadInput || !strings.Contains(stderr, "live") {
		t.Fatalf("a consumer profile of another account: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, with(args, "--consumer-profile", "consumer", "--out", planFile)...); code != 0 {
		t.Fatalf("plan --live: exit %d: %s", code, stderr)
	}
	saved, _ := os.ReadFile(planFile)
	if !strings.Contains(string(saved), `"state_known": true`) || !strings.Contains(string(saved), "Partner") {
		t.Fatalf("the saved plan did not merge with the live bucket policy:\n%s", saved)
	}

	out := filepath.Join(dir, "grant")
	if code, _, stderr := runCLI(t, "export", planFile, "--format", "cli", "--out", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	script := exec.Command("bash", filepath.Join(out, export.ScriptName))
	script.Env = env.Environ("HTTP_PROXY="+env.ProxyURL(), "http_proxy="+env.ProxyURL())
	if b, err := script.CombinedOutput(); err != nil {
		t.Fatalf("the script failed: %v\n%s", err, b)
	}
	got := string(env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", plan.ExBucket))
	if !strings.Contains(got, "Partner") || !strings.Contains(got, "S3Grant") {
		t.Fatalf("the bucket policy after the script lacks the partner's or s3grant's statements: %s", got)
	}
}
