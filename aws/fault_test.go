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

// faultExamples: one per method, and the cross-account access point.
var faultExamples = []string{
	"bucket-policy/kms-read-write", "iam-role/kms-read-write", "access-point/read",
	"access-point/cross-account", "acl/write",
}

// TestFaultInjection fails the Nth AWS call of an apply, for every N and
// every fault: afterwards both accounts are either fully applied or exactly
// as before, and the journal says which.
func TestFaultInjection(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	proxy := env.StartFaultProxy(t)
	for _, name := range faultExamples {
		t.Run(name, func(t *testing.T) {
			total := applyCalls(t, env, proxy, name)
			if total < 2 {
				t.Fatalf("a clean apply made %d calls", total)
			}
			outcomes := map[journal.Outcome]int{}
			for n := 1; n <= total; n++ {
				for _, f := range testenv.Faults {
					outcomes[faultCase(t, env, proxy, name, n, f)]++
				}
			}
			t.Logf("%d calls per apply; outcomes %v", total, outcomes)
			// Transient faults are retried to the end; AccessDenied rolls back.
			if outcomes[journal.OutcomeApplied] == 0 || outcomes[journal.OutcomeRolledBack] == 0 {
				t.Errorf("expected both applied and rolled-back runs, got %v", outcomes)
			}
		})
	}
}

// applyCalls counts the AWS calls of a clean apply (after Prepare).
func applyCalls(t *testing.T, env *testenv.Env, proxy *testenv.FaultProxy, name string) int {
	t.Helper()
	w := newWorld(t, env, proxy.URL, 1)
	prep := must(aws.Prepare(context.Background(), offlinePlan(t, w.example(t, name)), w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
	start := proxy.Calls()
	res := must(aws.Apply(context.Background(), prep, w.accts, fastApply(w)))(t)
	if res.Outcome != journal.OutcomeApplied {
		t.Fatalf("clean apply: %s", res.Message)
	}
	return proxy.Calls() - start
}

func faultCase(t *testing.T, env *testenv.Env, proxy *testenv.FaultProxy, name string, n int, f testenv.Fault) journal.Outcome {
	t.Helper()
	ctx := context.Background()
	w := newWorld(t, env, proxy.URL, 1)
	file := offlinePlan(t, w.example(t, name))
	before := w.snapshot(t, file)
	prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
	proxy.Arm(n, f)
	res, err := aws.Apply(ctx, prep, w.accts, fastApply(w))
	hit := proxy.Disarm()
	label := func() string { return name + ": call " + itoa(n) + " (" + hit + ") " + string(f) }
	if res == nil {
		t.Fatalf("%s: no result: %v", label(), err)
		return ""
	}
	run := must(w.store.Load(res.RunID))(t)
	again := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
	applied := again.Changes() == 0
	switch run.Outcome {
	case journal.OutcomeApplied:
		if err != nil || !applied {
			t.Errorf("%s: journal says applied, but %d writes remain (err %v)", label(), again.Changes(), err)
		}
	case journal.OutcomeRolledBack, journal.OutcomeStopped:
		var re *aws.RunError
		if !errors.As(err, &re) {
			t.Errorf("%s: outcome %s without a RunError: %v", label(), run.Outcome, err)
		}
		if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
			t.Errorf("%s: journal says %s, but:\n%s", label(), run.Outcome, strings.Join(d, "\n"))
		}
	default:
		t.Errorf("%s: outcome %s: %s", label(), run.Outcome, run.Message)
	}
	if hit == "" {
		t.Errorf("%s: the fault was never triggered", label())
	}
	return run.Outcome
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
