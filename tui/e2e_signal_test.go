package tui_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
)

// TestE2ESignalDuringApply sends SIGTERM (a timeout, a CI cancel, a
// container stop) and SIGHUP (a closed terminal) to the full-screen
// wizard while a write is in flight, held by the fault proxy: the UI says
// it is stopping, the write finishes, everything the run wrote is rolled
// back (a colleague's statement already in the bucket policy stays), the
// journal says rolled back, and the exit code is the shell's for the
// signal. Bubble Tea's own handler would quit at once on SIGTERM, leaving
// the grant half applied and the journal "running".
func TestE2ESignalDuringApply(t *testing.T) {
	testenv.SandboxToo(t)
	for _, tc := range []struct {
		name    string
		sig     syscall.Signal
		hold    string // the call in flight when the signal comes
		exit    int
		outcome journal.Outcome
	}{
		{"SIGTERM during the consumer's write", syscall.SIGTERM, "CreatePolicy", 143, journal.OutcomeUndone},
		{"SIGHUP during the owner's write", syscall.SIGHUP, "PUT /" + e2eBucket + "?policy", 129, journal.OutcomeRolledBack},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := testenv.Start(t)
			env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", e2eBucket,
				"--create-bucket-configuration", "LocationConstraint="+env.Region)
			foreign := `{"Version":"2012-10-17","Statement":[{"Sid":"KeepMe","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
				testenv.OwnerAccount + `:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + e2eBucket + `/*"}]}`
			env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", e2eBucket, "--policy", foreign)
			before := policyDoc(t, bucketPolicy(t, env))
			proxy := env.StartFaultProxy(t)
			reached, release := proxy.HoldOn(t, tc.hold)
			dir := t.TempDir()
			p := startPane(t, env.Environ("HOME="+dir, journal.HomeEnv+"="+filepath.Join(dir, "s3grant"), "AWS_ENDPOINT_URL="+proxy.URL),
				dir, 120, 40, binary(t), "--owner-profile", "owner", "--consumer-profile", "consumer")

			connectAndPreview(p, "Changes the existing document")
			p.keys("a")
			p.waitFor(10*time.Second, "Apply this plan?")
			p.keys("y")
			select {
			case <-reached:
			case <-time.After(120 * time.Second):
				t.Fatalf("apply never sent %s:\n%s", tc.hold, p.screen())
			}
			if err := syscall.Kill(p.pid(), tc.sig); err != nil {
				t.Fatal(err)
			}
			// The wizard is still up, saying what it does, while the
			// call is held.
			p.waitFor(10*time.Second, "Stopping: the call in flight finishes")
			release()
			screen := p.waitFor(120*time.Second, "EXIT="+strconv.Itoa(tc.exit))
			for _, want := range []string{"rolled back", "(stopped by " + sigName(tc.sig) + ")"} {
				if !strings.Contains(screen, want) {
					t.Errorf("the final screen lacks %q:\n%s", want, screen)
				}
			}
			if after := policyDoc(t, bucketPolicy(t, env)); !reflect.DeepEqual(after, before) {
				t.Errorf("bucket policy not back to the prior state:\nbefore %v\nafter  %v", before, after)
			}
			if pols := consumerPolicies(t, env); strings.Contains(pols, "s3grant-") {
				t.Errorf("a consumer policy was left behind: %s", pols)
			}
			// The journal says the run was taken back: rolled back, or
			// undone when the held write was the last one, so the apply
			// itself had completed when it noticed the stop.
			runs, err := journal.Store{Dir: filepath.Join(dir, "s3grant", "runs")}.List()
			if err != nil || len(runs) != 1 || runs[0].Outcome != tc.outcome {
				for _, r := range runs {
					t.Logf("run %s: %s: %s", r.ID, r.Outcome, r.Message)
				}
				t.Fatalf("want one run journaled %s, got %d (%v):\n%s", tc.outcome, len(runs), err, screen)
			}
		})
	}
}

// TestE2EQuitOutsideApply: outside an apply, ctrl+c in the full-screen
// wizard quits at once with 130, and SIGTERM quits too, with 143. Bubble
// Tea's signal handler is off (the wizard handles the signals), so this
// shows nothing was lost with it.
func TestE2EQuitOutsideApply(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		stop func(p *pane)
		exit string
	}{
		{"ctrl+c", func(p *pane) { p.keys("C-c") }, "EXIT=130"},
		{"SIGTERM", func(p *pane) {
			if err := syscall.Kill(p.pid(), syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}, "EXIT=143"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startPane(t, offlineEnv(t), t.TempDir(), 100, 32, binary(t))
			p.at("Owner account ID")
			p.line(plan.ExOwner)
			p.at("Consumer account IDs")
			p.line(plan.ExConsumer)
			p.waitFor(5*time.Second, "How should the consumer get in?")
			tc.stop(p)
			p.waitFor(10*time.Second, tc.exit)
		})
	}
}

// pid is the process ID of the program the pane runs: the child of the
// pane's shell.
func (p *pane) pid() int {
	p.t.Helper()
	shell := strings.TrimSpace(p.tmux("list-panes", "-t", "0", "-F", "#{pane_pid}"))
	out, err := exec.Command("pgrep", "-P", shell).Output()
	fields := strings.Fields(string(out))
	if err != nil || len(fields) != 1 {
		p.t.Fatalf("the program under shell %s: %q (%v)", shell, out, err)
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil {
		p.t.Fatal(err)
	}
	return pid
}

// policyDoc parses get-bucket-policy's output ("" when there is none) into
// the policy document, so layout does not count.
func policyDoc(t *testing.T, out string) any {
	t.Helper()
	if out == "" {
		return nil
	}
	var wrap struct{ Policy string }
	var doc any
	if err := json.Unmarshal([]byte(out), &wrap); err != nil || json.Unmarshal([]byte(wrap.Policy), &doc) != nil {
		t.Fatalf("get-bucket-policy: %v\n%s", err, out)
	}
	return doc
}

func sigName(s syscall.Signal) string {
	return map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}[s]
}
