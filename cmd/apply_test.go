package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// motoEnv starts moto, points the process's AWS settings at it (profiles
// owner and consumer) and keeps journals in a temporary S3GRANT_HOME.
func motoEnv(t *testing.T) *testenv.Env {
	t.Helper()
	env := testenv.Start(t)
	for _, kv := range env.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv(journal.HomeEnv, t.TempDir())
	return env
}

func runWithInput(t *testing.T, input string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &App{Build: BuildInfo{}.resolved(), In: strings.NewReader(input), Out: &out, ErrOut: &errOut}
	code := run(context.Background(), app, args)
	return code, out.String(), errOut.String()
}

func TestApplyRunsUndoCommands(t *testing.T) {
	env := motoEnv(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", "analytics-exports", "--create-bucket-configuration", "LocationConstraint="+env.Region)
	env.CLI(t, "consumer", "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, errOut := runCLI(t, "plan", "--method", "bucket-policy", "--bucket", "analytics-exports", "--region", env.Region,
		"--owner-account", testenv.OwnerAccount, "--consumer-account", testenv.ConsumerAccount,
		"--consumer-principal", "arn:aws:iam::222233334444:role/analytics", "--prefix", "reports/", "--out", planFile); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	profiles := []string{"--owner-profile", "owner", "--consumer-profile", "consumer"}

	// Without --yes and without "yes" typed, nothing is written.
	code, out, errOut := runWithInput(t, "no\n", append([]string{"apply", planFile}, profiles...)...)
	if code != ExitFailure || !strings.Contains(errOut, "not confirmed") || !strings.Contains(out, "+") {
		t.Fatalf("unconfirmed apply: %d\n%s\n%s", code, out, errOut)
	}
	if _, stderr, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports"); err == nil {
		t.Fatalf("an unconfirmed apply wrote the bucket policy (%s)", stderr)
	}

	code, out, errOut = runWithInput(t, "yes\n", append([]string{"apply", planFile, "-o", "json"}, profiles...)...)
	if code != 0 {
		t.Fatalf("apply: %d\n%s\n%s", code, out, errOut)
	}
	var res struct {
		RunID string `json:"run_id"`
		Steps []struct{ Status journal.Status }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.RunID == "" || len(res.Steps) != 2 {
		t.Fatalf("apply -o json: %v\n%s", err, out)
	}
	for _, s := range res.Steps {
		if s.Status != journal.StatusDone {
			t.Fatalf("step status %s", s.Status)
		}
	}
	pol := env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports")
	if !strings.Contains(string(pol), "S3Grant") {
		t.Fatalf("bucket policy after apply: %s", pol)
	}
	info, err := os.Stat(filepath.Join(os.Getenv(journal.HomeEnv), "runs", res.RunID+".json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("journal file: %v %v", err, info)
	}

	code, out, _ = runWithInput(t, "", append([]string{"apply", planFile, "--yes"}, profiles...)...)
	if code != 0 || !strings.Contains(out, "nothing to change") {
		t.Fatalf("second apply: %d\n%s", code, out)
	}

	code, out, _ = runCLI(t, "runs")
	if code != 0 || !strings.Contains(out, res.RunID) || !strings.Contains(out, "applied") {
		t.Fatalf("runs: %d\n%s", code, out)
	}

	// The run records how it reached the accounts before its first write,
	// so undo needs no profile flags (issue 13 item 3).
	run, err := (journal.Store{Dir: filepath.Join(os.Getenv(journal.HomeEnv), "runs")}).Load(res.RunID)
	if err != nil || run.Connection == nil || run.Connection.OwnerProfile != "owner" ||
		len(run.Connection.ConsumerProfiles) != 1 || run.Connection.ConsumerProfiles[0] != "consumer" {
		t.Fatalf("the run does not record its profiles: %v %+v", err, run)
	}
	testUndoConfirms(t, env, res.RunID)
	if _, _, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports"); err == nil {
		t.Fatal("undo left a bucket policy where there was none")
	}
	if code, _, errOut = runCLI(t, append([]string{"undo", res.RunID}, profiles...)...); code != ExitFailure || !strings.Contains(errOut, "already undone") {
		t.Fatalf("second undo: %d %s", code, errOut)
	}
}

func TestApplyWrongAccount(t *testing.T) {
	env := motoEnv(t)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, errOut := runCLI(t, "plan", "--method", "bucket-policy", "--bucket", "analytics-exports",
		"--owner-account", "555566667777", "--consumer-account", testenv.ConsumerAccount,
		"--consumer-principal", "arn:aws:iam::222233334444:role/analytics", "--prefix", "reports/", "--out", planFile); code != 0 {
		t.Fatalf("plan: %s", errOut)
	}
	code, _, errOut := runCLI(t, "apply", planFile, "--owner-profile", "owner", "--consumer-profile", "consumer", "--yes", "--endpoint-url", env.URL)
	if code != ExitFailure || !strings.Contains(errOut, "act in account 111122223333") || !strings.Contains(errOut, "555566667777") {
		t.Fatalf("wrong owner: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "apply", "missing.json", "--yes"); code != ExitBadInput || !strings.Contains(errOut, "PLAN.json") {
		t.Fatalf("missing plan: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "undo", "not-a-run"); code != ExitBadInput || !strings.Contains(errOut, "run ID") {
		t.Fatalf("bad run ID: %d %s", code, errOut)
	}
}
