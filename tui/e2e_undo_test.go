package tui_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/internal/testenv"
)

// TestE2EUndoConfirms: `s3grant undo RUN_ID` at a terminal, against the
// sandbox, shows what it will restore per account and asks like apply:
// answered "no" it writes nothing, answered "yes" it restores both
// accounts. The run is a bucket-policy grant applied with `apply --yes`;
// undo takes the profiles the run recorded.
func TestE2EUndoConfirms(t *testing.T) {
	t.Setenv(testenv.BackendEnv, "sandbox") // enforces policies; undo must restore real documents
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", e2eBucket, "--create-bucket-configuration", "LocationConstraint="+env.Region)
	dir := t.TempDir()
	environ := env.Environ("HOME="+dir, "S3GRANT_HOME="+filepath.Join(dir, "s3grant"))
	s3grant := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(binary(t), args...)
		cmd.Env, cmd.Dir = environ, dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("s3grant %v: %v\n%s", args, err, out)
		}
		return out
	}
	planPath := filepath.Join(dir, "plan.json")
	s3grant("plan", "--method", "bucket-policy", "--bucket", e2eBucket, "--region", env.Region,
		"--owner-account", testenv.OwnerAccount, "--consumer-account", testenv.ConsumerAccount, "--prefix", "reports/", "--out", planPath)
	var res struct {
		RunID string `json:"run_id"`
	}
	out := s3grant("apply", planPath, "--owner-profile", "owner", "--consumer-profile", "consumer", "--yes", "-o", "json")
	if err := json.Unmarshal(out, &res); err != nil || res.RunID == "" {
		t.Fatalf("apply -o json: %v\n%s", err, out)
	}
	if bucketPolicy(t, env) == "" {
		t.Fatal("apply wrote no bucket policy")
	}

	p := startPane(t, environ, dir, 120, 60, binary(t), "undo", res.RunID)
	p.waitFor(30*time.Second, "Restore 2 documents in accounts", "Type yes to go ahead:")
	// The diffs are longer than the window: read the scrollback too.
	all := p.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "0")
	for _, want := range []string{
		"Undo of run " + res.RunID + " restores:", "== owner account ==", "== consumer account ==",
		"bucket policy of " + e2eBucket + " (" + testenv.OwnerAccount + ")", "bucket policy of " + e2eBucket + " (after undo)",
		`-      "Sid": "S3Grant`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("undo's preview lacks %q:\n%s", want, all)
		}
	}
	p.line("no")
	p.waitFor(10*time.Second, "not confirmed: nothing was undone", "EXIT=1")
	if bucketPolicy(t, env) == "" {
		t.Fatal("undo answered no removed the bucket policy")
	}

	p = startPane(t, environ, dir, 120, 60, binary(t), "undo", res.RunID)
	p.waitFor(30*time.Second, "Restore 2 documents in accounts", "Type yes to go ahead:")
	p.line("yes")
	p.waitFor(60*time.Second, "undone: 2 documents restored", "EXIT=0")
	if pol := bucketPolicy(t, env); pol != "" {
		t.Fatalf("undo answered yes left the bucket policy: %s", pol)
	}
}
