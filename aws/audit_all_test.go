package aws_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
)

// otherRegion holds buckets outside the harness's region: each must be read
// in its own region.
const otherRegion = "us-west-2"

// TestAuditAllBucketsSandbox: --all-buckets' reader against the sandbox
// lists every bucket through several ListBuckets pages, reads each in its
// own region, and reports a bucket whose policy denies the owner
// s3:GetBucketPolicy in its row without failing the others.
func TestAuditAllBucketsSandbox(t *testing.T) {
	auditAllCase(t, sandboxEnv(t), true, 3)
}

// TestAuditAllBucketsMoto: the same against moto, which enforces no policy
// (no AccessDenied) and names no BucketRegion in ListBuckets, so each
// bucket's region comes from HeadBucket. moto 5.2.1 cuts the list at
// max-buckets without a ContinuationToken, so it is asked for one page
// (pages are proven against the sandbox).
func TestAuditAllBucketsMoto(t *testing.T) {
	t.Setenv(testenv.BackendEnv, "moto")
	auditAllCase(t, testenv.Start(t), false, 0)
}

func auditAllCase(t *testing.T, env *testenv.Env, locked bool, pageSize int32) {
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	o := w.owner()
	want := map[string]string{plan.ExBucket: testenv.Region}
	for i := range 7 {
		name, region := fmt.Sprintf("audit-all-%d", i), testenv.Region
		if i%3 == 0 {
			region = otherRegion
		}
		createBucket(t, o, name, region)
		want[name] = region
	}
	grant := `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testenv.ConsumerAccount +
		`:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::audit-all-3/*"}]}`
	must(o.S3(otherRegion).(*s3.Client).PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String("audit-all-3"), Policy: &grant}))(t)
	if locked {
		createBucket(t, o, "audit-all-locked", testenv.Region)
		deny := `{"Version":"2012-10-17","Statement":[{"Sid":"NoReading","Effect":"Deny","Principal":"*","Action":"s3:GetBucketPolicy","Resource":"arn:aws:s3:::audit-all-locked"}]}`
		must(o.S3(testenv.Region).(*s3.Client).PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String("audit-all-locked"), Policy: &deny}))(t)
		want["audit-all-locked"] = testenv.Region
	}

	refs := must(aws.ListBuckets(ctx, o, pageSize))(t)
	got := map[string]string{}
	for _, r := range refs {
		got[r.Name] = r.Region
	}
	if !locked { // moto may not name regions in ListBuckets: ReadAuditAll asks HeadBucket then
		for k := range got {
			got[k] = want[k]
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(refs) != len(want) {
		t.Fatalf("ListBuckets in pages of %d: %v, want %v", pageSize, refs, want)
	}

	all := must(aws.ReadAuditAll(ctx, o, aws.AuditAllOptions{Parallel: 3, PageSize: pageSize}))(t)
	if len(all) != len(want) {
		t.Fatalf("%d buckets audited, want %d", len(all), len(want))
	}
	for _, b := range all {
		if b.Bucket == "audit-all-locked" {
			if b.Err == nil || !strings.Contains(b.Err.Error(), "AccessDenied") {
				t.Errorf("the locked bucket: err %v, want AccessDenied", b.Err)
			}
			continue
		}
		if b.Err != nil {
			t.Errorf("%s: %v", b.Bucket, b.Err)
			continue
		}
		if b.Region != want[b.Bucket] || b.State.Region != want[b.Bucket] {
			t.Errorf("%s read in %q (state %q), want %s", b.Bucket, b.Region, b.State.Region, want[b.Bucket])
		}
	}
	byName := func(name string) aws.BucketAudit {
		i := slices.IndexFunc(all, func(b aws.BucketAudit) bool { return b.Bucket == name })
		if i < 0 {
			t.Fatalf("%s not audited", name)
		}
		return all[i]
	}
	r := audit.Audit(byName("audit-all-3").State)
	if !slices.ContainsFunc(r.Grants, func(g audit.ExternalGrant) bool { return g.Account == testenv.ConsumerAccount }) {
		t.Errorf("audit-all-3 in %s: no grant to %s in %+v", otherRegion, testenv.ConsumerAccount, r.Grants)
	}
	if r := audit.Audit(byName("audit-all-1").State); len(r.Grants) != 0 {
		t.Errorf("audit-all-1 has no policy, yet grants %+v", r.Grants)
	}
	// The account-wide reader gives each bucket the report the single-bucket
	// audit gives it.
	for _, name := range []string{plan.ExBucket, "audit-all-3"} {
		one := must(aws.ReadAudit(ctx, o, name, aws.AuditOptions{}))(t)
		a, b := must(json.Marshal(audit.Audit(one)))(t), must(json.Marshal(audit.Audit(byName(name).State)))(t)
		if string(a) != string(b) {
			t.Errorf("%s: the account-wide audit differs from the bucket's own:\n%s\n%s", name, b, a)
		}
	}
}

func createBucket(t *testing.T, o *aws.Account, name, region string) {
	t.Helper()
	in := &s3.CreateBucketInput{Bucket: &name, CreateBucketConfiguration: createIn(region)}
	must(o.S3(region).(*s3.Client).CreateBucket(context.Background(), in))(t)
}

// createIn is CreateBucket's configuration for region (none for us-east-1).
func createIn(region string) *s3types.CreateBucketConfiguration {
	if region == "us-east-1" {
		return nil
	}
	return &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
}
