package aws_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
)

// TestVerifySandboxBrokenGrant: when the grant is undone, or one half of it
// is removed, the probes that proved it fail with the class naming what is
// missing, and the sandbox's reason in their error.
func TestVerifySandboxBrokenGrant(t *testing.T) {
	env := sandboxEnv(t)
	ctx := context.Background()
	cases := []struct {
		name, example string
		breakIt       func(t *testing.T, w *world, res *aws.Result)
		probe, class  string
	}{
		{"undone", "bucket-policy/read", undo, "list reports/", aws.ClassNotApplied},
		{"bucket policy deleted", "bucket-policy/read", func(t *testing.T, w *world, _ *aws.Result) {
			must(w.owner().S3(testenv.Region).(*s3.Client).DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: sdk.String(plan.ExBucket)}))(t)
		}, "list reports/", aws.ClassBucket},
		{"identity policy deleted", "bucket-policy/read", func(t *testing.T, w *world, _ *aws.Result) {
			c := w.accts.Consumers[testenv.ConsumerAccount].IAM().(*iam.Client)
			names := must(c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: sdk.String("analytics")}))(t)
			for _, n := range names.PolicyNames {
				if n != "existing" {
					must(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: sdk.String("analytics"), PolicyName: sdk.String(n)}))(t)
				}
			}
		}, "list reports/", aws.ClassIdentity},
		{"access point undone", "access-point/read", undo, "access-point-alias", aws.ClassNotFound},
		{"key policy grant removed", "bucket-policy/kms-read-write", dropKeyGrant, "get-object", aws.ClassKMS},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := exampleSpec(t, c.example)
			w, res, before := verifyOn(t, env, s)
			for _, p := range before {
				if !p.OK {
					t.Fatalf("before breaking the grant, probe %s: %s %s", p.Name, p.Result, p.Error)
				}
			}
			c.breakIt(t, w, res)
			if s.KMSKey != "" {
				s.KMSKey = w.keyARN
			}
			probes := aws.Verify(ctx, offlinePlan(t, s), w.accts.Consumers[testenv.ConsumerAccount], aws.VerifyOptions{
				Owner: w.owner(), Facts: must(aws.ReadFacts(ctx, w.owner(), s.Bucket, s.KMSKey))(t), Backoff: fastApply(w).Backoff,
			})
			var got *aws.Probe
			for i, p := range probes {
				if p.Name == c.probe {
					got = &probes[i]
				}
			}
			if got == nil || got.OK || got.Class != c.class || got.Next == "" {
				t.Fatalf("probe %s: %+v, want a failure of class %q (all: %+v)", c.probe, got, c.class, probes)
			}
			if c.probe != "access-point-alias" && !strings.Contains(got.Error, "the sandbox says: [") {
				t.Errorf("the probe's error lacks the sandbox's reason: %s", got.Error)
			}
		})
	}
}

func undo(t *testing.T, w *world, res *aws.Result) {
	t.Helper()
	must(aws.Undo(context.Background(), res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
}

// dropKeyGrant removes s3grant's statements from the key policy, leaving
// the rest of the grant in place.
func dropKeyGrant(t *testing.T, w *world, _ *aws.Result) {
	t.Helper()
	ctx := context.Background()
	kc := w.owner().KMS(testenv.Region).(*kms.Client)
	kp := must(kc.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: sdk.String(w.keyARN), PolicyName: sdk.String("default")}))(t)
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(sdk.ToString(kp.Policy)), &doc); err != nil {
		t.Fatal(err)
	}
	kept := doc.Statement[:0]
	for _, st := range doc.Statement {
		if sid, _ := st["Sid"].(string); !strings.HasPrefix(sid, "S3Grant") {
			kept = append(kept, st)
		}
	}
	if len(kept) == len(doc.Statement) {
		t.Fatalf("no s3grant statement in the key policy: %s", sdk.ToString(kp.Policy))
	}
	doc.Statement = kept
	text, _ := json.Marshal(doc)
	must(kc.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: sdk.String(w.keyARN), PolicyName: sdk.String("default"), Policy: sdk.String(string(text))}))(t)
}

// TestVerifySandboxCatchesBroaderGrant: a foreign statement that grants the
// consumer the whole bucket makes the must-deny probes fail: verify reports
// access beyond the plan, it does not pass it.
func TestVerifySandboxCatchesBroaderGrant(t *testing.T) {
	env := sandboxEnv(t)
	ctx := context.Background()
	s := exampleSpec(t, "bucket-policy/read")
	w, _, _ := verifyOn(t, env, s)
	c := w.owner().S3(testenv.Region).(*s3.Client)
	cur := must(c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: sdk.String(plan.ExBucket)}))(t)
	var doc struct {
		Version   string
		ID        string `json:"Id,omitempty"`
		Statement []any
	}
	if err := json.Unmarshal([]byte(sdk.ToString(cur.Policy)), &doc); err != nil {
		t.Fatal(err)
	}
	doc.Statement = append(doc.Statement, map[string]any{
		"Sid": "Broad", "Effect": "Allow", "Principal": map[string]any{"AWS": plan.ExRole},
		"Action": []string{"s3:GetObject", "s3:ListBucket"}, "Resource": []string{"arn:aws:s3:::" + plan.ExBucket, "arn:aws:s3:::" + plan.ExBucket + "/*"},
	})
	text, _ := json.Marshal(doc)
	must(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String(plan.ExBucket), Policy: sdk.String(string(text))}))(t)
	// The consumer's identity policy must allow it too (cross-account):
	// give the role a broad read, as a careless administrator would.
	iamc := w.accts.Consumers[testenv.ConsumerAccount].IAM().(*iam.Client)
	must(iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName: sdk.String("analytics"), PolicyName: sdk.String("broad"),
		PolicyDocument: sdk.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}`),
	}))(t)
	probes := aws.Verify(ctx, offlinePlan(t, s), w.accts.Consumers[testenv.ConsumerAccount], aws.VerifyOptions{Owner: w.owner(), Backoff: fastApply(w).Backoff})
	seen := 0
	for _, p := range probes {
		if strings.HasPrefix(p.Name, "outside-grant") {
			seen++
			if p.Result != "allowed" || p.OK || p.Class != aws.ClassBucket {
				t.Errorf("probe %s with a broader grant in place: %+v", p.Name, p)
			}
		}
	}
	if seen != 2 {
		t.Errorf("want both outside-grant probes, got %+v", probes)
	}
}
