package aws_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

const editedPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"AddedMeanwhile","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/x/*"}]}`

func (w *world) putBucketPolicy(t *testing.T, doc string) {
	t.Helper()
	must(w.owner().S3(testenv.Region).PutBucketPolicy(context.Background(), &s3.PutBucketPolicyInput{Bucket: sdk.String(plan.ExBucket), Policy: sdk.String(doc)}))(t)
}

// TestConcurrentChange: a statement added to the bucket policy after it was
// read is kept (the run's statements are merged with it, and undo takes out
// only the run's); one of the run's own statements edited meanwhile stops
// the apply with nothing written.
func TestConcurrentChange(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	ctx := context.Background()
	t.Run("between prepare and write", func(t *testing.T) {
		w := newWorld(t, env, "", 0)
		file := offlinePlan(t, w.example(t, "bucket-policy/kms-read-write"))
		prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t)
		w.putBucketPolicy(t, editedPolicy) // while the user reads the diff
		edited := w.snapshot(t, file)
		res, err := aws.Apply(ctx, prep, w.accts, fastApply(w))
		if err != nil || res.Outcome != journal.OutcomeApplied {
			t.Fatalf("apply after a concurrent edit: %v, %+v", err, res)
		}
		if !strings.Contains(w.readRaw(t, prep.Steps[0].Ref), "AddedMeanwhile") {
			t.Fatal("the statement added meanwhile was overwritten")
		}
		must(aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
		if d := diffSnapshots(edited, w.snapshot(t, file)); len(d) > 0 {
			t.Fatalf("undo did not give back the edited state:\n%s", strings.Join(d, "\n"))
		}
	})
	t.Run("own statement edited between prepare and write", func(t *testing.T) {
		w := newWorld(t, env, "", 0)
		file := offlinePlan(t, w.example(t, "bucket-policy/read"))
		must(aws.Apply(ctx, must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t), w.accts, fastApply(w)))(t)
		wider := w.example(t, "bucket-policy/read-write")
		prep := must(aws.Prepare(ctx, offlinePlan(t, wider), w.accts, aws.PrepareOptions{}))(t)
		w.editOwnStatement(t)
		edited := w.snapshot(t, file)
		res, err := aws.Apply(ctx, prep, w.accts, fastApply(w))
		if !errors.Is(err, aws.ErrConcurrentChange) || res.Outcome != journal.OutcomeStopped {
			t.Fatalf("apply over an edited statement of ours: %v, %+v", err, res)
		}
		if d := diffSnapshots(edited, w.snapshot(t, file)); len(d) > 0 {
			t.Fatalf("something was written:\n%s", strings.Join(d, "\n"))
		}
	})
	t.Run("between a live plan and apply", func(t *testing.T) {
		w := newWorld(t, env, "", 0)
		s := w.example(t, "bucket-policy/read")
		live := must(aws.Prepare(ctx, offlinePlan(t, s), w.accts, aws.PrepareOptions{}))(t).Plan // what plan shows when it reads AWS
		w.putBucketPolicy(t, editedPolicy)
		edited := w.snapshot(t, live)
		_, err := aws.Prepare(ctx, live, w.accts, aws.PrepareOptions{})
		if !errors.Is(err, aws.ErrStale) {
			t.Fatalf("prepare of a stale plan: %v", err)
		}
		if d := diffSnapshots(edited, w.snapshot(t, live)); len(d) > 0 {
			t.Fatalf("something was written:\n%s", strings.Join(d, "\n"))
		}
	})
}

// TestForeignShapesSurvive: an existing bucket policy in every tolerated
// shape keeps its foreign statements through apply and undo.
func TestForeignShapesSurvive(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	ctx := context.Background()
	files, _ := filepath.Glob("../policy/testdata/shapes/*.json")
	if len(files) == 0 {
		t.Fatal("no shapes in ../policy/testdata/shapes")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			w := newWorld(t, env, "", 0)
			raw := w.putShape(t, string(must(os.ReadFile(f))(t)))
			orig := must(policy.Parse([]byte(raw)))(t)
			file := offlinePlan(t, w.example(t, "bucket-policy/read"))
			// A shape naming a deleted principal by unique ID stops the
			// apply; removing the IDs is the only change to it.
			_, err := aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{})
			if hasIDs := uniqueIDs.MatchString(raw); hasIDs != errors.Is(err, aws.ErrOrphanedPrincipals) {
				t.Fatalf("shape with unique IDs %v: prepare: %v", hasIDs, err)
			}
			prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{RemoveOrphanedPrincipals: true}))(t)
			res := must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
			applied := w.bucketPolicy(t)
			for _, st := range policy.Foreign(orig, prep.Plan.SidPrefix) {
				if want, kept := withoutUniqueIDs(st); kept && !hasStatement(applied, want) {
					t.Errorf("apply lost or changed %s", st.Canonical())
				}
			}
			must(aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
			want, same := orig, policy.Equal
			if testenv.UsesSandbox() && uniqueIDs.MatchString(raw) {
				// Like AWS, the sandbox refuses to store a deleted principal's
				// ID again: undo writes the original without it.
				want, same = withoutAllUniqueIDs(orig), policy.SemanticEqual
			}
			if back := w.bucketPolicy(t); !same(back, want) {
				t.Errorf("after undo:\n%s\nwant\n%s", back.Canonical(), want.Canonical())
			}
		})
	}
}

var uniqueIDs = regexp.MustCompile(`"A(RO|ID)A[A-Z0-9]{12,}"`)

// withoutUniqueIDs is st without AROA/AIDA principals; kept is false when
// none is left.
func withoutUniqueIDs(st policy.Statement) (policy.Statement, bool) {
	out := st.Clone()
	if out.Principal == nil || out.Principal.Wildcard {
		return out, true
	}
	for kind, vals := range out.Principal.Types {
		var keep []string
		for _, v := range vals.Values {
			if !uniqueIDs.MatchString(`"` + v + `"`) {
				keep = append(keep, v)
			}
		}
		switch {
		case len(keep) == 0:
			delete(out.Principal.Types, kind)
		case len(keep) < len(vals.Values):
			out.Principal.Types[kind] = policy.Strings{Values: keep, Single: vals.Single}
		}
	}
	return out, len(out.Principal.Types) > 0
}

// putShape stores a foreign bucket policy shape and returns it as stored.
// moto stores unique-ID principals (AROA...) as given; AWS and the sandbox
// only ever produce them themselves, when a named principal is deleted, so
// there each ID stands for a role that is created, named, then deleted.
func (w *world) putShape(t *testing.T, raw string) string {
	t.Helper()
	ids := uniqueIDs.FindAllString(raw, -1)
	if !testenv.UsesSandbox() || len(ids) == 0 {
		w.putBucketPolicy(t, raw)
		return raw
	}
	ctx := context.Background()
	c := w.owner().IAM().(*iam.Client)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	var gone []string
	for i, id := range ids {
		name := fmt.Sprintf("s3grant-gone-%d", i)
		must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: &trust}))(t)
		raw = strings.Replace(raw, id, fmt.Sprintf(`"arn:aws:iam::%s:role/%s"`, testenv.OwnerAccount, name), 1)
		gone = append(gone, name)
	}
	w.putBucketPolicy(t, raw)
	for _, name := range gone {
		must(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: sdk.String(name)}))(t)
	}
	out := must(w.owner().S3(testenv.Region).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: sdk.String(plan.ExBucket)}))(t)
	stored := sdk.ToString(out.Policy)
	if !uniqueIDs.MatchString(stored) {
		t.Fatalf("deleting the roles left no unique ID in the policy:\n%s", stored)
	}
	return stored
}

// withoutAllUniqueIDs is p with every unique-ID principal removed (a
// statement dropped when none is left).
func withoutAllUniqueIDs(p *policy.Policy) *policy.Policy {
	out := p.Clone()
	out.Statement = out.Statement[:0]
	for _, st := range p.Statement {
		if kept, ok := withoutUniqueIDs(st); ok {
			out.Statement = append(out.Statement, kept)
		}
	}
	return out
}

func (w *world) bucketPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	out := must(w.owner().S3(testenv.Region).GetBucketPolicy(context.Background(), &s3.GetBucketPolicyInput{Bucket: sdk.String(plan.ExBucket)}))(t)
	return must(policy.Parse([]byte(sdk.ToString(out.Policy))))(t)
}

// editOwnStatement changes, in place, the Resource of the statements s3grant
// wrote to the bucket policy: whose change that is cannot be told.
func (w *world) editOwnStatement(t *testing.T) {
	t.Helper()
	p := w.bucketPolicy(t)
	n := 0
	for i, st := range p.Statement {
		if strings.HasPrefix(st.Sid, policy.SidPrefix) {
			p.Statement[i].Resource = policy.Strings{Values: []string{"arn:aws:s3:::analytics-exports/edited/*"}}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no statement of s3grant in the bucket policy")
	}
	w.putBucketPolicy(t, string(p.Minified()))
}

// TestUndoRefusesChangedDocuments: undo writes nothing when the run's change
// cannot be taken out alone (its statement was edited in place), shows the
// three versions, and --force restores the state before the run.
func TestUndoRefusesChangedDocuments(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	file := offlinePlan(t, w.example(t, "bucket-policy/read"))
	before := w.snapshot(t, file)
	prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t)
	res := must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
	w.editOwnStatement(t)
	edited := w.snapshot(t, file)
	// The preview undo shows before asking refuses the same way.
	if _, err := aws.PreviewUndo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}); !errors.Is(err, aws.ErrChangedSince) ||
		!strings.Contains(err.Error(), "edited/*") {
		t.Fatalf("the preview of an undo of a changed document: %v", err)
	}
	forced := must(aws.PreviewUndo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w), Force: true}))(t)
	i := slices.IndexFunc(forced, func(s aws.UndoStep) bool { return strings.HasPrefix(s.Description, "bucket policy") })
	if i < 0 || !strings.Contains(forced[i].Diff, "-        \"arn:aws:s3:::analytics-exports/edited/*\"") || !strings.Contains(forced[i].Diff, "(after undo)") {
		t.Errorf("the forced preview does not show the edited statement going: %+v", forced)
	}
	_, err := aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)})
	if !errors.Is(err, aws.ErrChangedSince) {
		t.Fatalf("undo of a changed document: %v", err)
	}
	for _, want := range []string{"before the run:", "after the run:", "now:", "edited/*", "changed by someone else", "--force"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not show %q:\n%v", want, err)
		}
	}
	if d := diffSnapshots(edited, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("a refused undo wrote:\n%s", strings.Join(d, "\n"))
	}
	must(aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w), Force: true}))(t)
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("forced undo left:\n%s", strings.Join(d, "\n"))
	}
}
