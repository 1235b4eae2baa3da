package journal

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestLockExcludesAndReleases: a second holder waits (and is told who
// holds it) until the first releases; ctx ends the wait.
func TestLockExcludesAndReleases(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	keys := []string{LockKey(Ref{Type: BucketPolicy, Bucket: "b"}), LockKey(Ref{Type: Role, AccountID: "1", Resource: "r"})}
	first, err := s.Lock(context.Background(), keys, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	holder := ""
	if _, err := s.Lock(ctx, keys[1:], func(pid string) { holder = pid }); err == nil {
		t.Fatal("a second lock on a held key was granted")
	}
	if holder != strconv.Itoa(os.Getpid()) {
		t.Errorf("the waiter was told holder %q", holder)
	}
	got := make(chan error, 1)
	go func() {
		l, err := s.Lock(context.Background(), keys, nil)
		l.Release()
		got <- err
	}()
	time.Sleep(100 * time.Millisecond)
	first.Release()
	if err := <-got; err != nil {
		t.Fatalf("lock after release: %v", err)
	}
}

// TestStaleLockOfDeadProcess: a lock file left by a process that is gone
// holds no lock (the kernel released it): it is taken at once.
func TestStaleLockOfDeadProcess(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	key := LockKey(Ref{Type: BucketPolicy, Bucket: "b"})
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, "locks"), 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.Dir, "locks", lockName(key))
	if err := os.WriteFile(path, []byte(strconv.Itoa(gone.Process.Pid)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l, err := s.Lock(ctx, []string{key}, func(string) { t.Error("waited for a dead process") })
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if b, _ := os.ReadFile(path); string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Errorf("lock file names %q", b)
	}
}

// TestTornFileDoesNotHideRuns: a torn, an empty and a foreign file are
// reported and skipped; the readable runs are all listed.
func TestTornFileDoesNotHideRuns(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	good := &Run{ID: NewID(time.Now()), Outcome: OutcomeApplied}
	if err := s.Save(good); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"20250101T000000Z-0badf11e": `{"run_id":"2025`, "20250101T000000Z-00000000": ``,
		"20250101T000000Z-0000f00d": `{"hello":"world"}`,
	} {
		if err := os.WriteFile(s.Path(name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	runs, bad, err := s.Scan()
	if err != nil || len(runs) != 1 || runs[0].ID != good.ID || len(bad) != 3 {
		t.Fatalf("scan: %v, %d runs, problems %+v", err, len(runs), bad)
	}
	if list, err := s.List(); err != nil || len(list) != 1 {
		t.Fatalf("list: %v %d", err, len(list))
	}
}

// TestInterrupted: a running run whose process is gone is interrupted; one
// whose process lives is not.
func TestInterrupted(t *testing.T) {
	host, _ := os.Hostname()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	if !(&Run{Outcome: OutcomeRunning, PID: gone.Process.Pid, Host: host}).Interrupted() {
		t.Error("a run of a dead process is not interrupted")
	}
	if (&Run{Outcome: OutcomeRunning, PID: os.Getpid(), Host: host}).Interrupted() {
		t.Error("a live run is interrupted")
	}
	if (&Run{Outcome: OutcomeApplied, PID: gone.Process.Pid, Host: host}).Interrupted() {
		t.Error("a finished run is interrupted")
	}
}
