package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// TestSIGTERMRollsBack runs the real binary and sends SIGTERM (a timeout, a
// CI cancel, a container stop) while step 2 of 3 is being written: the
// write in flight finishes, everything is rolled back, and the exit code is
// 143. Then a torn journal file next to it does not hide it from runs.
func TestSIGTERMRollsBack(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "s3grant")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/s3grant/s3grant").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := filepath.Join(dir, "home")
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", "analytics-exports", "--create-bucket-configuration", "LocationConstraint="+env.Region)
	env.CLI(t, "consumer", "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	env.CLI(t, "consumer", "iam", "create-user", "--user-name", "etl")
	plan := filepath.Join(dir, "plan.json")
	s3grant := func(args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Env = env.Environ(journal.HomeEnv + "=" + home)
		return c
	}
	if out, err := s3grant("plan", "--method", "bucket-policy", "--bucket", "analytics-exports", "--region", env.Region,
		"--owner-account", testenv.OwnerAccount, "--consumer-account", testenv.ConsumerAccount, "--access", "read",
		"--consumer-principal", "arn:aws:iam::222233334444:role/analytics", "--consumer-principal", "arn:aws:iam::222233334444:user/etl",
		"--prefix", "reports/", "--no-require-tls", "--out", plan).CombinedOutput(); err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	apply := s3grant("apply", plan, "--yes", "-o", "json", "--owner-profile", "owner", "--consumer-profile", "consumer")
	var stdout bytes.Buffer
	apply.Stdout = &stdout
	stderr, err := apply.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	sc := bufio.NewScanner(stderr)
	sent := false
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if !sent && strings.HasPrefix(sc.Text(), "step 2: writing") {
			if err := apply.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			sent = true
		}
	}
	err = apply.Wait()
	code := apply.ProcessState.ExitCode()
	var res struct {
		RunID   string          `json:"run_id"`
		Outcome journal.Outcome `json:"outcome"`
	}
	if !sent || code != 143 || json.Unmarshal(stdout.Bytes(), &res) != nil || res.Outcome != journal.OutcomeRolledBack {
		t.Fatalf("apply stopped by SIGTERM: exit %d (%v), signal sent %v\n%s\n%s", code, err, sent, stdout.String(), log.String())
	}
	if _, _, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports"); err == nil {
		t.Error("SIGTERM left the bucket policy")
	}
	if out := env.CLI(t, "consumer", "iam", "list-role-policies", "--role-name", "analytics"); strings.Contains(string(out), "s3grant") {
		t.Errorf("SIGTERM left the role's inline policy: %s", out)
	}

	// A torn journal (a crash mid-write of an older s3grant, a full disk)
	// and a foreign file are reported and skipped; the run is still listed.
	runs := filepath.Join(home, "runs")
	must0(t, os.WriteFile(filepath.Join(runs, "20250101T000000Z-0badf11e.json"), []byte(`{"run_id":"20250101T0`), 0o600))
	must0(t, os.WriteFile(filepath.Join(runs, "20250101T000000Z-0000f00d.json"), []byte(`{"hello":"world"}`), 0o600))
	list := s3grant("runs")
	var out, errOut bytes.Buffer
	list.Stdout, list.Stderr = &out, &errOut
	if err := list.Run(); err != nil || !strings.Contains(out.String(), res.RunID) ||
		!strings.Contains(errOut.String(), "0badf11e.json") || !strings.Contains(errOut.String(), "0000f00d.json") {
		t.Fatalf("runs with a torn journal file: %v\n%s\n%s", err, out.String(), errOut.String())
	}
}

func must0(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
