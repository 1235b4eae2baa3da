package aws_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

const invalidPrincipals = "Policy contains a statement with one or more invalid principals."

// applyWithFaultAt applies the example and, when the step writing refType
// starts, arms the proxy to fail that step's write (its 2nd call: read,
// then write) with err. It returns the result, error and events.
func applyWithFaultAt(t *testing.T, env *testenv.Env, proxy *testenv.FaultProxy, name string, refType journal.RefType,
	arm func(),
) (*aws.Result, []aws.Event, *world, map[string]string, error) {
	t.Helper()
	w := newWorld(t, env, proxy.URL, 1)
	file := offlinePlan(t, w.example(t, name))
	before := w.snapshot(t, file)
	prep := must(aws.Prepare(context.Background(), file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
	var events []aws.Event
	opts := fastApply(w)
	armed := false
	opts.Progress = func(ev aws.Event) {
		events = append(events, ev)
		if ev.Type == aws.EventStepStarted && !armed && strings.Contains(ev.Desc, refTypeWord(refType)) {
			armed = true
			arm()
		}
	}
	res, err := aws.Apply(context.Background(), prep, w.accts, opts)
	if proxy.Disarm() == "" {
		t.Fatalf("%s: the fault never fired", name)
	}
	return res, events, w, before, err
}

func refTypeWord(t journal.RefType) string {
	if t == journal.KeyPolicy {
		return "key policy"
	}
	return string(t)
}

func waited(events []aws.Event, word string) bool {
	for _, ev := range events {
		if ev.Type == aws.EventWaiting && strings.Contains(ev.Message, word) {
			return true
		}
	}
	return false
}

// TestPropagationRetry: "invalid principal" right after the run created the
// role is IAM propagation: s3grant waits, says why, and retries; the same
// error when no principal was created is a real error: rolled back.
func TestPropagationRetry(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	proxy := env.StartFaultProxy(t)
	arm := func() { proxy.ArmError(2, 400, "MalformedPolicyDocumentException", invalidPrincipals) }

	res, events, _, _, err := applyWithFaultAt(t, env, proxy, "iam-role/kms-read-write", journal.KeyPolicy, arm)
	if err != nil || res.Outcome != journal.OutcomeApplied {
		t.Fatalf("after a new role: %v %+v", err, res)
	}
	if !waited(events, "IAM to see the new role") {
		t.Errorf("no wait message naming propagation: %+v", events)
	}

	res, events, w, before, err := applyWithFaultAt(t, env, proxy, "bucket-policy/kms-read-write", journal.KeyPolicy, arm)
	if err == nil || res.Outcome != journal.OutcomeRolledBack || waited(events, "IAM") {
		t.Fatalf("without a new principal: %v %+v", err, res)
	}
	if !strings.Contains(err.Error(), "invalid principals") || !strings.Contains(res.Message, "both accounts are as before") {
		t.Errorf("the error does not say what happened: %v / %s", err, res.Message)
	}
	file := offlinePlan(t, w.example(t, "bucket-policy/kms-read-write"))
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("rollback left:\n%s", strings.Join(d, "\n"))
	}
}

// TestThrottlingRetry: throttling is waited out, and the user is told.
func TestThrottlingRetry(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	proxy := env.StartFaultProxy(t)
	res, events, _, _, err := applyWithFaultAt(t, env, proxy, "bucket-policy/kms-read-write", journal.KeyPolicy,
		func() { proxy.Arm(2, testenv.FaultThrottle) })
	if err != nil || res.Outcome != journal.OutcomeApplied || !waited(events, "throttling") {
		t.Fatalf("throttled apply: %v %+v %+v", err, res, events)
	}
}

// TestCancelRollsBack: cancelling lets the call in flight finish, then rolls
// back everything written (what the TUI does on ctrl+c).
func TestCancelRollsBack(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	w := newWorld(t, env, "", 0)
	file := offlinePlan(t, w.example(t, "iam-role/kms-read-write"))
	before := w.snapshot(t, file)
	prep := must(aws.Prepare(context.Background(), file, w.accts, aws.PrepareOptions{}))(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := fastApply(w)
	done := 0
	opts.Progress = func(ev aws.Event) {
		if ev.Type == aws.EventStepDone {
			if done++; done == 2 {
				cancel()
			}
		}
	}
	res, err := aws.Apply(ctx, prep, w.accts, opts)
	if !errors.Is(err, context.Canceled) || res.Outcome != journal.OutcomeRolledBack {
		t.Fatalf("cancelled apply: %v %+v", err, res)
	}
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("cancel left:\n%s", strings.Join(d, "\n"))
	}
	run := must(w.store.Load(res.RunID))(t)
	if run.Entries[0].Status != journal.StatusRolledBack || run.Entries[1].Status != journal.StatusRolledBack || run.Entries[2].Status != journal.StatusSkipped {
		t.Errorf("journal statuses: %+v", run.Entries)
	}
}

// TestNoRollbackThenUndo: with NoRollback a failed run keeps what it wrote,
// says exactly which steps, and undo restores them.
func TestNoRollbackThenUndo(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	proxy := env.StartFaultProxy(t)
	w := newWorld(t, env, proxy.URL, 1)
	file := offlinePlan(t, w.example(t, "iam-role/kms-read-write"))
	before := w.snapshot(t, file)
	prep := must(aws.Prepare(context.Background(), file, w.accts, aws.PrepareOptions{}))(t)
	opts := fastApply(w)
	opts.NoRollback = true
	opts.Progress = func(ev aws.Event) {
		if ev.Type == aws.EventStepStarted && strings.Contains(ev.Desc, "key policy") {
			proxy.Arm(2, testenv.FaultDenied)
		}
	}
	res, err := aws.Apply(context.Background(), prep, w.accts, opts)
	proxy.Disarm()
	if err == nil || res.Outcome != journal.OutcomePartial {
		t.Fatalf("no-rollback run: %v %+v", err, res)
	}
	for _, want := range []string{"step 1 role", "step 2 inline policy", "s3grant undo " + res.RunID} {
		if !strings.Contains(res.Message, want) {
			t.Errorf("message %q does not say %q", res.Message, want)
		}
	}
	if strings.Contains(res.Message, "step 4") {
		t.Errorf("message names a step that was never written: %s", res.Message)
	}
	must(aws.Undo(context.Background(), res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("undo after a partial run left:\n%s", strings.Join(d, "\n"))
	}
}
