package aws_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
)

// TestACLDowngrade: on a BucketOwnerEnforced bucket the acl method refuses
// without consent; with it, Object Ownership changes first (journaled), the
// owner keeps FULL_CONTROL, and undo restores BucketOwnerEnforced.
func TestACLDowngrade(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	must(w.owner().S3(testenv.Region).PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
		Bucket:            sdk.String(plan.ExBucket),
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}}},
	}))(t)
	file := offlinePlan(t, w.example(t, "acl/list"))
	before := w.snapshot(t, file)
	if _, err := aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}); !errors.Is(err, aws.ErrACLsDisabled) || !strings.Contains(err.Error(), "--allow-acl-downgrade") {
		t.Fatalf("prepare without consent: %v", err)
	}
	prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
	if !prep.Downgrade || prep.Steps[0].Ref.Type != journal.ObjectOwnership || prep.Steps[1].Ref.Type != journal.BucketACL {
		t.Fatalf("the ownership step does not come right before the ACL: %d steps", len(prep.Steps))
	}
	res := must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
	after := w.snapshot(t, file)
	acl := must(aws.ReadBucketACL(ctx, w.owner().S3(testenv.Region), plan.ExBucket, testenv.OwnerAccount))(t)
	owner := acl.Owner
	if !strings.Contains(after[refKey(journal.Ref{Type: journal.ObjectOwnership, AccountID: testenv.OwnerAccount, Bucket: plan.ExBucket})], "BucketOwnerPreferred") {
		t.Errorf("ownership after apply: %v", after)
	}
	full := false
	for _, g := range acl.Grants {
		full = full || (g.ID == owner && g.Permission == "FULL_CONTROL")
	}
	if !full {
		t.Errorf("the owner lost FULL_CONTROL: %+v", acl)
	}
	must(aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("undo left:\n%s", strings.Join(d, "\n"))
	}
}
