package aws_test

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// crashExamples: every method, with the key policy, the created role and
// policy, and the cross-account access point.
var crashExamples = []string{
	"bucket-policy/kms-read-write", "bucket-policy/whole-account", "iam-role/kms-read-write",
	"access-point/read", "access-point/cross-account", "acl/write",
}

// crashAt applies prep and kills the run right after its k-th write landed
// and before the journal recorded it (the goroutine exits as the process
// would; the lock goes as the kernel would release it). The journal is left
// as kill -9 leaves it, and its PID is made that of a process that is gone.
func crashAt(t *testing.T, w *world, prep *aws.Prepared, k int) string {
	t.Helper()
	opts := fastApply(w)
	var id string
	n := 0
	opts.Progress = func(ev aws.Event) {
		id = ev.RunID
		if ev.Type == aws.EventStepDone {
			if n++; n == k {
				runtime.Goexit()
			}
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = aws.Apply(context.Background(), prep, w.accts, opts)
	}()
	<-done
	if n != k {
		t.Fatalf("the run ended after %d writes, before write %d", n, k)
	}
	run := must(w.store.Load(id))(t)
	ent := run.Entries[stepIndex(run, k)]
	if ent.Status != journal.StatusStarted || ent.Intended == "" && ent.Ref.Type != journal.AccessPoint {
		t.Fatalf("write %d: the journal says %s (intended %q), not a write-ahead record", k, ent.Status, ent.Intended)
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	run.PID = gone.Process.Pid
	must(0, w.store.Save(run))(t)
	if !must(w.store.Load(id))(t).Interrupted() {
		t.Fatalf("run %s is not seen as interrupted", id)
	}
	return id
}

// stepIndex is the entry of the k-th write.
func stepIndex(r *journal.Run, k int) int {
	for i, e := range r.Entries {
		if e.Status.WriteSent() {
			if k--; k == 0 {
				return i
			}
		}
	}
	return -1
}

// TestCrashAtEveryWriteThenUndo: kill -9 after each write of each method
// (landed, not journaled), then undo without --force gives back exactly the
// state before; and a re-run adopts the crashed run's writes, so one undo of
// the re-run removes the whole grant.
func TestCrashAtEveryWriteThenUndo(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	ctx := context.Background()
	tried := 0
	for _, name := range crashExamples {
		w := newWorld(t, env, "", 0)
		writes := must(aws.Prepare(ctx, offlinePlan(t, w.example(t, name)), w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t).Changes()
		for k := 1; k <= writes; k++ {
			t.Run(name+"/write-"+itoa(k), func(t *testing.T) {
				tried++
				for _, rerun := range []bool{false, true} {
					w := newWorld(t, env, "", 0)
					file := offlinePlan(t, w.example(t, name))
					before := w.snapshot(t, file)
					prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
					id := crashAt(t, w, prep, k)
					undo := id
					if rerun {
						again := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
						res := must(aws.Apply(ctx, again, w.accts, fastApply(w)))(t)
						if res.Outcome != journal.OutcomeApplied && res.Outcome != journal.OutcomeUnchanged {
							t.Fatalf("re-run after the crash: %s", res.Message)
						}
						if r := must(w.store.Load(id))(t); r.Outcome != journal.OutcomeAdopted || r.AdoptedBy != res.RunID {
							t.Errorf("crashed run after the re-run: %s (adopted by %q)", r.Outcome, r.AdoptedBy)
						}
						undo = res.RunID
					}
					if _, err := aws.Undo(ctx, undo, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}); err != nil {
						t.Fatalf("undo (re-run %v) without --force: %v", rerun, err)
					}
					if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
						t.Fatalf("undo (re-run %v) left:\n%s", rerun, strings.Join(d, "\n"))
					}
				}
			})
		}
	}
	t.Logf("crash points tried: %d (each: undo of the crashed run, and re-run then undo)", tried)
}
