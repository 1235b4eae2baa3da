package aws_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// lifecycleExamples cover every method, with KMS and several consumers.
var lifecycleExamples = []string{
	"bucket-policy/read", "bucket-policy/kms-read-write", "bucket-policy/several-consumers", "bucket-policy/whole-account",
	"iam-role/read-write", "iam-role/external-id", "iam-role/kms-read-write",
	"access-point/read", "access-point/kms-read-write", "access-point/cross-account", "access-point/cross-account-kms-write",
	"acl/list", "acl/write",
}

func fastApply(w *world) aws.ApplyOptions {
	return aws.ApplyOptions{Store: w.store, Backoff: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}}
}

// TestLifecycle: plan -> apply -> the state is the plan's (SDK and CLI) ->
// apply again changes nothing -> undo -> the state is what it was.
func TestLifecycle(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	for _, name := range lifecycleExamples {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, env, "", 0)
			ctx := context.Background()
			s := w.example(t, name)
			file := offlinePlan(t, s)
			before := w.snapshot(t, file)

			prep, err := aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := aws.Apply(ctx, prep, w.accts, fastApply(w))
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != journal.OutcomeApplied {
				t.Fatalf("outcome %s: %s", res.Outcome, res.Message)
			}
			checkNotPublic(t, res)
			after := w.snapshot(t, file)
			w.checkApplied(t, prep, after)
			w.checkCLI(t, prep, after)

			again, err := aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true})
			if err != nil {
				t.Fatal(err)
			}
			if n := again.Changes(); n != 0 {
				t.Fatalf("second prepare wants %d writes", n)
			}
			res2, err := aws.Apply(ctx, again, w.accts, fastApply(w))
			if err != nil || res2.Outcome != journal.OutcomeUnchanged {
				t.Fatalf("second apply: %v %+v", err, res2)
			}
			if d := diffSnapshots(after, w.snapshot(t, file)); len(d) > 0 {
				t.Fatalf("second apply changed:\n%s", strings.Join(d, "\n"))
			}

			if _, err := aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}); err != nil {
				t.Fatal(err)
			}
			if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
				t.Fatalf("undo left differences:\n%s", strings.Join(d, "\n"))
			}
		})
	}
}

// checkApplied compares what AWS holds with what the prepared plan writes,
// and checks foreign statements survived.
func (w *world) checkApplied(t *testing.T, prep *aws.Prepared, got map[string]string) {
	t.Helper()
	for _, ps := range prep.Steps {
		key := refKey(ps.Ref)
		switch ps.Ref.Type {
		case journal.AccessPoint:
			if got[key] == absent {
				t.Errorf("%s: access point missing", key)
			}
			continue
		case journal.ObjectOwnership:
			continue
		case journal.BucketACL:
			d := prep.Plan.DocumentFor(ps.Step)
			if got[key] != string(d.ACL.Canonical()) {
				t.Errorf("%s:\n got %s\nwant %s", key, got[key], d.ACL.Canonical())
			}
			continue
		default: // no special case
		}
		d := prep.Plan.DocumentFor(ps.Step)
		if got[key] != string(d.Policy.Canonical()) {
			t.Errorf("%s:\n got %s\nwant %s", key, got[key], d.Policy.Canonical())
		}
		if d.Existing != nil {
			gotPol, _ := policy.Parse([]byte(got[key]))
			for _, f := range policy.Foreign(d.Existing, prep.Plan.SidPrefix) {
				if !hasStatement(gotPol, f) {
					t.Errorf("%s lost foreign statement %s", key, f.Canonical())
				}
			}
		}
	}
	_ = plan.ExBucket
}

func hasStatement(p *policy.Policy, s policy.Statement) bool {
	for _, x := range p.Statement {
		if string(x.Canonical()) == string(s.Canonical()) {
			return true
		}
	}
	return false
}

// checkNotPublic: every bucket the run touched was asked about, and none is
// public. The sandbox implements GetBucketPolicyStatus with its own
// evaluator; moto does not, so there the check must say it could not tell.
func checkNotPublic(t *testing.T, res *aws.Result) {
	t.Helper()
	if len(res.PolicyStatus) == 0 {
		t.Fatal("no GetBucketPolicyStatus check after apply")
	}
	for _, st := range res.PolicyStatus {
		switch {
		case st.IsPublic():
			t.Errorf("bucket %s is public after apply: %s", st.Bucket, st.Note)
		case testenv.UsesSandbox() && !st.Checked:
			t.Errorf("the sandbox implements GetBucketPolicyStatus, but: %s", st.Note)
		case !testenv.UsesSandbox() && (st.Checked || !strings.Contains(st.Note, "could not check")):
			t.Errorf("moto does not implement GetBucketPolicyStatus, but the check says %+v", st)
		}
	}
}
