package aws_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// pagedIAM serves moto's ListPolicyVersions answers in pages of two, with
// IsTruncated and Marker, as IAM is allowed to: moto itself ignores MaxItems
// and Marker and always answers with every version. The versions are
// moto's; only the paging is imposed.
type pagedIAM struct {
	aws.IAMAPI
	followUps *int // calls that asked for a page after the first
}

func (p pagedIAM) ListPolicyVersions(ctx context.Context, in *iam.ListPolicyVersionsInput, opts ...func(*iam.Options)) (*iam.ListPolicyVersionsOutput, error) {
	out, err := p.IAMAPI.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: in.PolicyArn}, opts...)
	if err != nil {
		return nil, err
	}
	start := 0
	if m := sdk.ToString(in.Marker); m != "" {
		*p.followUps++
		start, _ = strconv.Atoi(m)
	}
	end := min(start+2, len(out.Versions))
	page := *out
	page.Versions, page.IsTruncated, page.Marker = out.Versions[start:end], end < len(out.Versions), nil
	if page.IsTruncated {
		page.Marker = sdk.String(strconv.Itoa(end))
	}
	return &page, nil
}

type pagedClients struct {
	aws.Clients
	followUps *int
}

func (c pagedClients) IAM() aws.IAMAPI {
	return pagedIAM{IAMAPI: c.Clients.IAM(), followUps: c.followUps}
}

// TestManagedPolicyVersionsAllPages: updating a managed policy that holds
// IAM's maximum of five versions must delete the oldest, which only the
// second or third page of ListPolicyVersions shows. Reading the first page
// only leaves five versions and CreatePolicyVersion fails (LimitExceeded).
// Undo, which writes a version again, also goes through every page.
func TestManagedPolicyVersionsAllPages(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	file := offlinePlan(t, w.example(t, "bucket-policy/whole-account"))
	res := must(aws.Apply(ctx, must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t), w.accts, fastApply(w)))(t)
	if res.Outcome != journal.OutcomeApplied {
		t.Fatalf("first apply: %+v", res)
	}
	var ref journal.Ref
	for _, st := range file.Steps {
		if r := must(aws.StepRef(file, st, testenv.Region))(t); r.Type == journal.ManagedPolicy {
			ref = r
		}
	}
	if ref.Resource == "" {
		t.Fatal("the example creates no managed policy")
	}
	// An administrator edited the policy four times: five versions, the
	// last (the default) with a statement of their own.
	c := w.accts.For(ref.AccountID).IAM()
	edited := `{"Version":"2012-10-17","Statement":[{"Sid":"AdminAdded","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
	for i := 0; i < 4; i++ {
		must(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &ref.Resource, PolicyDocument: sdk.String(edited), SetAsDefault: i == 3}))(t)
	}
	before := w.snapshot(t, file)

	followUps := 0
	orig := w.accts.Consumers[ref.AccountID]
	w.accts.Consumers[ref.AccountID] = &aws.Account{ID: orig.ID, ARN: orig.ARN, Profile: orig.Profile, Clients: pagedClients{Clients: orig.Clients, followUps: &followUps}}
	prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t)
	if prep.Changes() != 1 {
		t.Fatalf("want one write (the managed policy), got %d", prep.Changes())
	}
	res, err := aws.Apply(ctx, prep, w.accts, fastApply(w))
	if err != nil || res.Outcome != journal.OutcomeApplied {
		t.Fatalf("apply over five versions: %v %+v", err, res)
	}
	if followUps == 0 {
		t.Fatal("ListPolicyVersions was never asked for a second page")
	}
	doc := w.snapshot(t, file)[refKey(ref)]
	if !strings.Contains(doc, "AdminAdded") || !strings.Contains(doc, prep.Plan.SidPrefix) {
		t.Errorf("the managed policy after apply: %s", doc)
	}
	versions := must(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &ref.Resource}))(t)
	if len(versions.Versions) != 5 {
		t.Errorf("%d versions after apply, want 5 (the oldest deleted, the new one added)", len(versions.Versions))
	}
	must(aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("undo left differences:\n%s", strings.Join(d, "\n"))
	}
}
