package aws_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// TestGrantsFilePruneLeftBehindInSandbox: after grants[0] (a role's
// inline policy in its consumer account), grants[1] (a managed policy) and
// every grant of the last bucket are taken out of the file, status names
// as extra exactly the statements those grants' earlier run wrote, in
// every account (the owner's bucket policies, a bucket no longer in the
// file, the consumers' documents); a single grant's own apply in the same
// bucket policy and someone else's statement are not extra. apply --prune
// takes out exactly those, deleting the documents the file's run created
// and that hold nothing else; status is then clean, the other statements
// are still there, and undo of the prune puts every document back.
func TestGrantsFilePruneLeftBehindInSandbox(t *testing.T) {
	testenv.SandboxToo(t)
	w := newSetWorld(t)
	full := w.file
	w.apply(t, aws.SetOptions{Parallel: 4})
	soloSids := applySolo(t, w)

	last := full.Buckets()[len(full.Buckets())-1]
	var keep []spec.Spec
	expected := map[string]bool{} // account/Sid
	for i, g := range full.Grants {
		if i > 1 && g.Spec.Bucket != last {
			keep = append(keep, g.Spec)
			continue
		}
		for _, d := range g.Documents {
			if d.Generated != nil {
				for _, s := range d.Generated.Statement {
					expected[d.AccountID+"/"+s.Sid] = true
				}
			}
		}
	}
	w.file = must(plan.NewSet(keep, nil))(t)
	st := w.status(t)
	got := map[string]bool{}
	for _, x := range st.Extras {
		got[x.AccountID+"/"+x.Sid] = true
		if x.RunID == "" || x.Document == "" {
			t.Errorf("extra %s in %s names no run or document: %+v", x.Sid, x.AccountID, x)
		}
	}
	if !st.Drifted || !equalSets(got, expected) {
		t.Fatalf("extras after removing grants:\n got  %v\n want %v", keys(got), keys(expected))
	}
	for _, g := range st.Grants {
		if g.State != aws.GrantInPlace {
			t.Fatalf("grants[%d] is %s", g.Index, g.State)
		}
	}
	before := snapshotOf(t, w, full)
	for _, sid := range soloSids {
		if !strings.Contains(bucketPolicy(t, before, full.Buckets()[0]), `"`+sid+`"`) {
			t.Fatalf("the single grant's %s is not in the bucket policy before the prune", sid)
		}
	}
	res := w.apply(t, aws.SetOptions{Parallel: 4, Prune: true})
	if st := w.status(t); st.Drifted {
		t.Fatalf("status after prune: %+v", st)
	}
	after := snapshotOf(t, w, full)
	deleted := 0
	for ref, doc := range after {
		if doc == "(none)" && before[ref] != "(none)" {
			deleted++
		}
		for _, s := range statementsOf(t, doc) {
			if expected[ref.AccountID+"/"+s] {
				t.Errorf("%s %s in %s still holds %s after prune", ref.Type, ref.Resource, ref.AccountID, s)
			}
		}
	}
	if deleted == 0 {
		t.Error("prune deleted no document the file's run created")
	}
	raw := bucketPolicy(t, after, full.Buckets()[0])
	for _, sid := range append(soloSids, "AuditorsList") {
		if !strings.Contains(raw, `"`+sid+`"`) {
			t.Errorf("prune removed %s, which the file's runs did not add:\n%s", sid, raw)
		}
	}
	if doc := bucketPolicy(t, after, last); doc != "(none)" {
		t.Errorf("the bucket policy of %s, which only the file's run wrote, is still there: %s", last, doc)
	}
	undo, err := aws.Undo(context.Background(), res.RunID, w.accts, aws.UndoOptions{
		ApplyOptions: aws.ApplyOptions{Store: w.store, Backoff: []time.Duration{time.Millisecond}},
	})
	if err != nil || undo.Outcome != journal.OutcomeUndone {
		t.Fatalf("undo of the prune: %v %+v", err, undo)
	}
	for ref, want := range snapshotOf(t, w, full) {
		if before[ref] != want {
			t.Errorf("%s %s in %s after undo of the prune:\n%s\nwant:\n%s", ref.Type, ref.Resource, ref.AccountID,
				want, before[ref])
		}
	}
}

// applySolo applies, as s3grant apply of a single grant's plan does, a
// grant the file never held to the file's first bucket (for an account the
// file grants another bucket), and returns its Sids in the bucket policy.
func applySolo(t *testing.T, w *setWorld) []string {
	t.Helper()
	ctx := context.Background()
	s := w.file.Grants[1].Spec
	s.ConsumerAccounts = []string{"300000000009"}
	s.Prefixes = []string{"solo/"}
	p := must(plan.New(s, nil))(t)
	prep := must(aws.Prepare(ctx, p, w.accts, aws.PrepareOptions{}))(t)
	opts := aws.ApplyOptions{Store: w.store, Backoff: []time.Duration{time.Millisecond}, Settle: time.Millisecond}
	if res, err := aws.Apply(ctx, prep, w.accts, opts); err != nil || res.Outcome != journal.OutcomeApplied {
		t.Fatalf("single grant apply: %v %+v", err, res)
	}
	var sids []string
	for _, d := range p.Documents {
		if d.Kind == policy.KindBucketPolicy {
			for _, st := range d.Generated.Statement {
				sids = append(sids, st.Sid)
			}
		}
	}
	if len(sids) == 0 {
		t.Fatal("the single grant writes no bucket policy statement")
	}
	return sids
}

// bucketPolicy is the bucket policy of b in a snapshot.
func bucketPolicy(t *testing.T, snap map[journal.Ref]string, b string) string {
	t.Helper()
	for ref, doc := range snap {
		if ref.Type == journal.BucketPolicy && ref.Bucket == b {
			return doc
		}
	}
	t.Fatalf("no bucket policy of %s in the snapshot", b)
	return ""
}

// snapshotOf is every document set writes, canonical, by ref.
func snapshotOf(t *testing.T, w *setWorld, set *plan.Set) map[journal.Ref]string {
	t.Helper()
	cur := w.file
	defer func() { w.file = cur }()
	w.file = set
	return w.snapshot(t)
}

func statementsOf(t *testing.T, doc string) []string {
	t.Helper()
	if doc == "(none)" {
		return nil
	}
	var out []string
	for _, s := range must(policy.Parse([]byte(doc)))(t).Statement {
		out = append(out, s.Sid)
	}
	return out
}

func equalSets(a, b map[string]bool) bool {
	return len(a) == len(b) && !slices.ContainsFunc(keys(a), func(k string) bool { return !b[k] })
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestGrantsFilePruneLeavesEditedStatements: a statement an earlier run of
// the file added, and that someone edited since (same Sid, another
// action), is still reported as extra, marked edited, but apply --prune
// leaves it in place: it is no longer only what the run added. The rest of
// what the removed grant left is taken out.
func TestGrantsFilePruneLeavesEditedStatements(t *testing.T) {
	w := newSetWorld(t)
	ctx := context.Background()
	full := w.file
	w.apply(t, aws.SetOptions{Parallel: 4})
	gone := full.Grants[0]
	bucket := gone.Spec.Bucket
	c := w.accts.Owner.S3(gone.Spec.Region)
	out := must(c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &bucket}))(t)
	pol := must(policy.Parse([]byte(sdk.ToString(out.Policy))))(t)
	edited, taken := "", map[string]bool{}
	for i, s := range pol.Statement {
		if !strings.HasPrefix(s.Sid, gone.SidPrefix) {
			continue
		}
		if edited == "" {
			edited = s.Sid
			act := &pol.Statement[i].Action
			act.Values, act.Single = append(act.Values, "s3:GetObjectVersion"), false
			continue
		}
		taken[s.Sid] = true
	}
	if edited == "" || len(taken) == 0 {
		t.Fatalf("grants[0] has %d statements in the bucket policy of %s; the test needs two", len(taken), bucket)
	}
	must(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &bucket, Policy: sdk.String(string(pol.Minified()))}))(t)

	w.file = must(plan.NewSet(full.Specs()[1:], nil))(t)
	marked := 0
	for _, x := range w.status(t).Extras {
		if x.Sid == edited && x.Edited {
			marked++
		} else if x.Edited {
			t.Errorf("extra %s in %s is marked edited; only %s was", x.Sid, x.Document, edited)
		}
	}
	if marked != 1 {
		t.Fatalf("status does not mark the edited statement %s as edited", edited)
	}
	w.apply(t, aws.SetOptions{Parallel: 4, Prune: true})
	out = must(c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &bucket}))(t)
	left := sdk.ToString(out.Policy)
	if !strings.Contains(left, `"`+edited+`"`) || !strings.Contains(left, "s3:GetObjectVersion") {
		t.Errorf("prune removed the edited statement %s:\n%s", edited, left)
	}
	for sid := range taken {
		if strings.Contains(left, `"`+sid+`"`) {
			t.Errorf("prune left %s, which the removed grant's run added and no one edited:\n%s", sid, left)
		}
	}
	st := w.status(t)
	if len(st.Extras) != 1 || st.Extras[0].Sid != edited || !st.Drifted {
		t.Errorf("status after prune: want only the edited %s as extra, got %+v", edited, st.Extras)
	}
}
