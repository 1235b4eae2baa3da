package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/journal"
)

// TestRunsShowsInterruptedRuns: a run whose process died mid-run is listed
// as interrupted with the commands to undo or finish it; a torn file next
// to it is reported on stderr and does not fail the command.
func TestRunsShowsInterruptedRuns(t *testing.T) {
	home := t.TempDir()
	t.Setenv(journal.HomeEnv, home)
	store := journal.Store{Dir: filepath.Join(home, "runs")}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	crashed := &journal.Run{
		ID: journal.NewID(time.Now()), Outcome: journal.OutcomeRunning, PID: gone.Process.Pid, Host: host, Bucket: "b",
		Entries: []journal.Entry{{Step: 1, Status: journal.StatusStarted, Ref: journal.Ref{Type: journal.BucketPolicy, Bucket: "b"}}},
	}
	live := &journal.Run{ID: journal.NewID(time.Now().Add(time.Second)), Outcome: journal.OutcomeRunning, PID: os.Getpid(), Host: host, Bucket: "b"}
	for _, r := range []*journal.Run{crashed, live} {
		must0(t, store.Save(r))
	}
	must0(t, os.WriteFile(store.Path("20250101T000000Z-0badf11e"), []byte(`{"run_id":`), 0o600))
	code, out, errOut := runCLI(t, "runs")
	if code != ExitOK || !strings.Contains(errOut, "0badf11e.json") {
		t.Fatalf("runs: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "interrupted") || !strings.Contains(out, "s3grant undo "+crashed.ID) || strings.Contains(out, "s3grant undo "+live.ID) {
		t.Errorf("runs does not show the interrupted run (only) with its undo command:\n%s", out)
	}
	code, out, _ = runCLI(t, "runs", "-o", "json")
	if code != ExitOK || strings.Count(out, `"interrupted": true`) != 1 {
		t.Errorf("runs -o json: exit %d\n%s", code, out)
	}
}
