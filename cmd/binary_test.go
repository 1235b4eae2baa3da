package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// TestBinaryAsAUser drives the real binary the way a user would: profiles
// in the shared config files, the AWS CLI to set up and read back.
func TestBinaryAsAUser(t *testing.T) {
	env := testenv.Start(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "s3grant")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/s3grant/s3grant").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := filepath.Join(dir, "home")
	s3grant := func(args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env.Environ(journal.HomeEnv + "=" + home)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errOut.String()
	}
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", "analytics-exports", "--create-bucket-configuration", "LocationConstraint="+env.Region)
	// AWS creates buckets BucketOwnerEnforced; moto sets no ownership
	// controls, which a write grant refuses (the writer would own objects).
	env.CLI(t, "owner", "s3api", "put-bucket-ownership-controls", "--bucket", "analytics-exports", "--ownership-controls", `{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}`)
	env.CLI(t, "owner", "s3api", "put-object", "--bucket", "analytics-exports", "--key", "reports/q1.csv", "--body", bin)
	env.CLI(t, "consumer", "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	plan := filepath.Join(dir, "plan.json")
	// moto applies Deny statements ignoring their conditions, so the TLS-only
	// deny would refuse every object call over its plain-HTTP endpoint.
	if code, _, errOut := s3grant("plan", "--method", "bucket-policy", "--bucket", "analytics-exports", "--region", env.Region,
		"--owner-account", testenv.OwnerAccount, "--consumer-account", testenv.ConsumerAccount, "--access", "read-write",
		"--consumer-principal", "arn:aws:iam::222233334444:role/analytics", "--prefix", "reports/", "--no-require-tls", "--out", plan); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	profiles := []string{"--owner-profile", "owner", "--consumer-profile", "consumer"}
	code, out, errOut := s3grant(append([]string{"apply", plan, "--yes", "-o", "json"}, profiles...)...)
	var res struct {
		RunID   string          `json:"run_id"`
		Outcome journal.Outcome `json:"outcome"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Outcome != journal.OutcomeApplied {
		t.Fatalf("apply: %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, env.Owner.SecretAccessKey) || strings.Contains(out+errOut, env.Owner.AccessKeyID) {
		t.Fatal("apply printed credentials")
	}
	pol := env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports")
	if !strings.Contains(string(pol), "S3Grant") {
		t.Fatalf("bucket policy: %s", pol)
	}
	// moto allows every cross-account request, so the two probes that must
	// be denied (a list and a read outside the prefixes) are reported as
	// failed (exit 3); every other probe passes.
	code, out, errOut = s3grant(append([]string{"verify", plan, "--write-probe"}, profiles...)...)
	failLine, getLine := lineWith(out, "FAIL"), lineWith(out, "GetObject")
	if code != ExitCheckFail || strings.Count(out, "FAIL") != 2 || strings.Count(out, "FAIL    deny    allowed") != 2 || !strings.Contains(failLine, "outside-the-grant") ||
		!strings.HasPrefix(getLine, "ok") || !strings.Contains(out, "PutObject") {
		t.Fatalf("verify: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut = s3grant(append([]string{"undo", res.RunID, "--yes"}, profiles...)...); code != 0 {
		t.Fatalf("undo: %d\n%s\n%s", code, out, errOut)
	}
	if _, _, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports"); err == nil {
		t.Fatal("undo left a bucket policy")
	}
}

func lineWith(text, word string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			return l
		}
	}
	return ""
}
