package aws_test

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

const absent = "<absent>"

// snapshot reads, with plain SDK calls, every document the plan touches
// (plus Object Ownership), canonicalised: key -> document or absent.
func (w *world) snapshot(t *testing.T, p *plan.Plan) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, st := range p.Steps {
		ref, err := aws.StepRef(p, st, testenv.Region)
		if err != nil {
			t.Fatal(err)
		}
		out[refKey(ref)] = w.readRaw(t, ref)
	}
	own := journal.Ref{Type: journal.ObjectOwnership, AccountID: testenv.OwnerAccount, Bucket: p.Spec.Bucket}
	out[refKey(own)] = w.readRaw(t, own)
	return out
}

func refKey(r journal.Ref) string {
	return fmt.Sprintf("%s %s %s/%s", r.AccountID, r.Type, r.Resource, r.PolicyName)
}

func canon(t *testing.T, raw *string, err error) string {
	t.Helper()
	if err != nil {
		if aws.IsNotSet(err) {
			return absent
		}
		t.Fatalf("read back: %v", err)
	}
	if raw == nil || *raw == "" {
		return absent
	}
	text := *raw
	if strings.HasPrefix(text, "%7B") {
		text, _ = url.QueryUnescape(text)
	}
	p, perr := policy.Parse([]byte(text))
	if perr != nil {
		t.Fatalf("read back an unparseable document %s: %v", text, perr)
	}
	return string(p.Canonical())
}

func (w *world) readRaw(t *testing.T, ref journal.Ref) string {
	t.Helper()
	ctx := context.Background()
	acct := w.accts.For(ref.AccountID)
	b := sdk.String(ref.Bucket)
	switch ref.Type {
	case journal.BucketPolicy:
		out, err := acct.S3(testenv.Region).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
		if err != nil {
			return canon(t, nil, err)
		}
		return canon(t, out.Policy, nil)
	case journal.BucketACL:
		a, err := aws.ReadBucketACL(ctx, acct.S3(testenv.Region), ref.Bucket, ref.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		return string(a.Canonical())
	case journal.ObjectOwnership:
		r, err := aws.ReadOwnership(ctx, acct.S3(testenv.Region), ref.Bucket, ref.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		return "ownership:" + r
	case journal.Role:
		out, err := acct.IAM().GetRole(ctx, &iam.GetRoleInput{RoleName: &ref.Resource})
		if err != nil {
			return canon(t, nil, err)
		}
		return canon(t, out.Role.AssumeRolePolicyDocument, nil)
	case journal.RolePolicy:
		out, err := acct.IAM().GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &ref.Resource, PolicyName: &ref.PolicyName})
		if err != nil {
			return canon(t, nil, err)
		}
		return canon(t, out.PolicyDocument, nil)
	case journal.UserPolicy:
		out, err := acct.IAM().GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: &ref.Resource, PolicyName: &ref.PolicyName})
		if err != nil {
			return canon(t, nil, err)
		}
		return canon(t, out.PolicyDocument, nil)
	case journal.ManagedPolicy:
		out, err := acct.IAM().GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &ref.Resource})
		if err != nil {
			return canon(t, nil, err)
		}
		v, err := acct.IAM().GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &ref.Resource, VersionId: out.Policy.DefaultVersionId})
		if err != nil {
			t.Fatal(err)
		}
		return canon(t, v.PolicyVersion.Document, nil)
	case journal.AccessPoint:
		out, err := acct.S3Control(testenv.Region).GetAccessPoint(ctx, &s3control.GetAccessPointInput{AccountId: &ref.AccountID, Name: &ref.Resource})
		if err != nil {
			return canon(t, nil, err)
		}
		return "access-point on " + sdk.ToString(out.Bucket)
	case journal.AccessPointPolicy:
		out, err := acct.S3Control(testenv.Region).GetAccessPointPolicy(ctx, &s3control.GetAccessPointPolicyInput{AccountId: &ref.AccountID, Name: &ref.Resource})
		if err != nil {
			return canon(t, nil, err)
		}
		return canon(t, out.Policy, nil)
	case journal.KeyPolicy:
		out, err := acct.KMS(testenv.Region).GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &ref.Resource, PolicyName: sdk.String("default")})
		if err != nil {
			t.Fatal(err)
		}
		return canon(t, out.Policy, nil)
	default: // no special case
	}
	t.Fatalf("snapshot: unknown type %s", ref.Type)
	return ""
}

// diffSnapshots lists the keys whose documents differ.
func diffSnapshots(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if b[k] != v {
			out = append(out, fmt.Sprintf("%s:\n  was  %s\n  now  %s", k, v, b[k]))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k+": new")
		}
	}
	sort.Strings(out)
	return out
}
