package aws_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// colleagueEdit adds a statement of someone else (Sid Colleague<n>) to the
// bucket policy and the key policy, the documents shared with other people.
func (w *world) colleagueEdit(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	c := w.owner().S3(testenv.Region)
	st := fmt.Sprintf(`{"Sid":"Colleague%d","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/colleague%d/*"}`, n, plan.ExBucket, n)
	doc := `{"Version":"2012-10-17","Statement":[]}`
	if out, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: sdk.String(plan.ExBucket)}); err == nil {
		doc = sdk.ToString(out.Policy)
	}
	must(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String(plan.ExBucket), Policy: sdk.String(withStatement(t, doc, st))}))(t)
	k := w.owner().KMS(testenv.Region)
	kp := must(k.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &w.keyARN, PolicyName: sdk.String("default")}))(t)
	kst := fmt.Sprintf(`{"Sid":"Colleague%d","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/key-admin"},"Action":"kms:DescribeKey","Resource":"*"}`, n)
	must(k.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &w.keyARN, PolicyName: sdk.String("default"), Policy: sdk.String(withStatement(t, sdk.ToString(kp.Policy), kst))}))(t)
}

func withStatement(t *testing.T, doc, st string) string {
	t.Helper()
	p := must(policy.Parse([]byte(doc)))(t)
	s := must(policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[` + st + `]}`)))(t)
	p.Statement = append(p.Statement, s.Statement...)
	p.SingleStatement = false
	return string(p.Minified())
}

// checkKeptColleagues: every document is as before, except that the shared
// ones also hold exactly the colleague statements 1..n.
func checkKeptColleagues(t *testing.T, before, now map[string]string, n int) {
	t.Helper()
	for k, want := range before {
		got := now[k]
		if !strings.Contains(k, string(journal.BucketPolicy)) && !strings.Contains(k, string(journal.KeyPolicy)) || n == 0 {
			if got != want {
				t.Errorf("%s:\n  before %s\n  now    %s", k, want, got)
			}
			continue
		}
		p := must(policy.Parse([]byte(got)))(t)
		kept := 0
		rest := p.Clone()
		rest.Statement = nil
		for _, s := range p.Statement {
			if strings.HasPrefix(s.Sid, "Colleague") {
				kept++
				continue
			}
			rest.Statement = append(rest.Statement, s)
		}
		if kept != n {
			t.Errorf("%s: %d of %d colleague statements survived: %s", k, kept, n, got)
		}
		if w := must(policy.Parse([]byte(orEmpty(want))))(t); !policy.Equal(w, rest) {
			t.Errorf("%s without the colleague's statements:\n  before %s\n  now    %s", k, want, rest.Canonical())
		}
	}
}

func orEmpty(s string) string {
	if s == absent {
		return `{"Version":"2012-10-17","Statement":[]}`
	}
	return s
}

// TestForeignEditSurvivesRollbackAndUndo: a colleague adds a statement to
// the bucket and key policies between two steps; the rollback of a failed
// run, and the undo of a finished one, take out only what s3grant wrote.
func TestForeignEditSurvivesRollbackAndUndo(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	ctx := context.Background()
	name := "bucket-policy/kms-read-write"
	cases := 0
	for _, mode := range []string{"rollback", "undo"} {
		last := 3 // writes: bucket policy, key policy, role policy
		if mode == "rollback" {
			last = 2 // the run is stopped after its second write
		}
		for after := 1; after <= last; after++ {
			t.Run(fmt.Sprintf("%s/edit-after-write-%d", mode, after), func(t *testing.T) {
				cases++
				w := newWorld(t, env, "", 0)
				file := offlinePlan(t, w.example(t, name))
				before := w.snapshot(t, file)
				prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t)
				cctx, cancel := context.WithCancel(ctx)
				defer cancel()
				opts := fastApply(w)
				done := 0
				opts.Progress = func(ev aws.Event) {
					if ev.Type != aws.EventStepDone {
						return
					}
					if done++; done == after {
						w.colleagueEdit(t, 1)
					}
					if mode == "rollback" && done == 2 {
						cancel() // the third step never runs: roll back
					}
				}
				res, err := aws.Apply(cctx, prep, w.accts, opts)
				if mode == "rollback" {
					if err == nil || res.Outcome != journal.OutcomeRolledBack {
						t.Fatalf("cancelled run: %v %s", err, res.Message)
					}
				} else {
					if err != nil {
						t.Fatal(err)
					}
					w.colleagueEdit(t, 2) // and another after the run
					must(aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
				}
				n := 1
				if mode == "undo" {
					n = 2
				}
				checkKeptColleagues(t, before, w.snapshot(t, file), n)
			})
		}
	}
	t.Logf("foreign-edit cases: %d", cases)
}
