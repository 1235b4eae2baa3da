package aws_test

import (
	"context"
	"strings"
	"testing"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// sandboxEnv starts the harness on s3grant's sandbox whatever
// S3GRANT_TEST_BACKEND says: these tests need a backend that enforces
// policies (moto allows every request) and serves HTTPS (so the TLS-only
// deny the specs keep is satisfied, as with AWS).
func sandboxEnv(t *testing.T) *testenv.Env {
	t.Helper()
	t.Setenv(testenv.BackendEnv, "sandbox")
	return testenv.Start(t)
}

// trustConsumerAccount lets the consumer account's identities assume the
// plan's consumer role (the harness's consumer is the account's admin user,
// not the role the plan grants): how a real account lets its people act as
// a role.
func trustConsumerAccount(t *testing.T, w *world) {
	t.Helper()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testenv.ConsumerAccount + `:root"},"Action":"sts:AssumeRole"}]}`
	c := w.accts.Consumers[testenv.ConsumerAccount].IAM().(*iam.Client)
	must(c.UpdateAssumeRolePolicy(context.Background(), &iam.UpdateAssumeRolePolicyInput{RoleName: sdk.String("analytics"), PolicyDocument: sdk.String(trust)}))(t)
}

// verifyOn applies the spec in a fresh world and runs verify as the
// consumer account's admin user, with the owner connected.
func verifyOn(t *testing.T, env *testenv.Env, s spec.Spec) (*world, *aws.Result, []aws.Probe) {
	t.Helper()
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	trustConsumerAccount(t, w)
	if s.KMSKey != "" {
		s.KMSKey = w.keyARN
		encryptWithKey(t, w)
	}
	prep := must(aws.Prepare(ctx, offlinePlan(t, s), w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
	res := must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
	probes := aws.Verify(ctx, prep.Plan, w.accts.Consumers[testenv.ConsumerAccount], aws.VerifyOptions{
		WriteProbe: true, Owner: w.owner(), Facts: must(aws.ReadFacts(ctx, w.owner(), s.Bucket, s.KMSKey))(t), Backoff: fastApply(w).Backoff,
	})
	return w, res, probes
}

// exampleSpec is the gallery's spec as it is (its KMS key is a placeholder
// that verifyOn replaces with the world's key).
func exampleSpec(t *testing.T, name string) spec.Spec {
	t.Helper()
	for _, ex := range plan.Examples() {
		if ex.Name == name {
			return ex.Spec
		}
	}
	t.Fatalf("no example %q", name)
	return spec.Spec{}
}

// encryptWithKey makes the world's key the bucket's default encryption and
// rewrites the seeded object with it, so reads need kms:Decrypt and writes
// kms:GenerateDataKey.
func encryptWithKey(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	c := w.owner().S3(testenv.Region).(*s3.Client)
	must(c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: sdk.String(plan.ExBucket),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: sdk.String(w.keyARN)},
		}}},
	}))(t)
	must(c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: sdk.String(plan.ExBucket), Key: sdk.String("reports/2026/q1.csv"), Body: strings.NewReader("a,b\n"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: sdk.String(w.keyARN),
	}))(t)
}

// TestVerifyAgainstSandbox: for every method, verify against a backend that
// enforces the policies: every allowed probe passes and every must-deny
// probe is really denied (not skipped, not failed for another reason).
func TestVerifyAgainstSandbox(t *testing.T) {
	env := sandboxEnv(t)
	cases := []struct {
		example string
		access  spec.Access
		want    []string // probes that must be there and pass
		denied  []string // probes that must be there and be denied
	}{
		{"bucket-policy/read", spec.AccessReadWrite, []string{"consumer-identity", "list reports/", "head-object", "get-object", "put-object"}, []string{"outside-grant", "outside-grant-read"}},
		{"iam-role/external-id", spec.AccessReadWrite, []string{"consumer-identity", "assume-role", "list reports/", "get-object", "put-object"}, []string{"outside-grant", "outside-grant-read"}},
		{"access-point/read", spec.AccessReadWrite, []string{"access-point-alias", "list reports/", "get-object", "put-object"}, []string{"outside-grant", "outside-grant-read", "bypass-access-point"}},
		{"access-point/cross-account", spec.AccessRead, []string{"access-point-alias", "list reports/", "get-object"}, []string{"outside-grant", "outside-grant-read", "bypass-access-point"}},
		{"bucket-policy/kms-read-write", spec.AccessReadWrite, []string{"consumer-identity", "list reports/", "get-object", "put-object"}, []string{"outside-grant", "outside-grant-read"}},
		{"acl/list", spec.AccessList, []string{"consumer-identity", "head-bucket", "list "}, []string{"read-not-granted"}},
		{"acl/write", spec.AccessWrite, []string{"consumer-identity", "put-object"}, []string{"list "}},
	}
	for _, c := range cases {
		t.Run(c.example, func(t *testing.T) {
			s := exampleSpec(t, c.example)
			s.Access = c.access
			if s.NoRequireTLS {
				t.Fatalf("%s opts out of the TLS-only deny: the test must keep it", c.example)
			}
			_, _, probes := verifyOn(t, env, s)
			for _, p := range probes {
				t.Logf("%-20s %-6s %-8s %s %s", p.Name, p.Expect, p.Result, p.Request, p.Next)
			}
			byName := map[string]aws.Probe{}
			for _, p := range probes {
				byName[p.Name] = p
				if !p.OK {
					t.Errorf("probe %s (%s): %s, want %s: %s [%s] %s", p.Name, p.Request, p.Result, p.Expect, p.Error, p.Class, p.Next)
				}
			}
			for _, name := range c.want {
				if p, ok := byName[name]; !ok || p.Result != "allowed" {
					t.Errorf("probe %s: %+v, want allowed (all: %+v)", name, p, probes)
				}
			}
			for _, name := range c.denied {
				if p, ok := byName[name]; !ok || p.Result != "denied" || p.Expect != "deny" {
					t.Errorf("probe %s: %+v, want a must-deny probe that was denied (all: %+v)", name, p, probes)
				}
			}
		})
	}
}

// TestVerifySandboxWrongIdentity: when the consumer's credentials are not a
// principal the plan grants and none of the named roles can be assumed,
// the probes run as the caller and every failure says who they ran as,
// whom the plan grants and what to do, instead of blaming a side of the
// grant; for iam-role, verify does not wait for the owner's role to become
// assumable by an identity its trust policy does not name.
func TestVerifySandboxWrongIdentity(t *testing.T) {
	env := sandboxEnv(t)
	for _, name := range []string{"bucket-policy/read", "iam-role/external-id"} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			w := newWorld(t, env, "", 0) // the analytics role trusts only EC2
			s := w.example(t, name)
			prep := must(aws.Prepare(ctx, offlinePlan(t, s), w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
			must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
			consumer := w.accts.Consumers[testenv.ConsumerAccount]
			probes := aws.Verify(ctx, prep.Plan, consumer, aws.VerifyOptions{Owner: w.owner(), Backoff: []time.Duration{time.Minute}})
			if ctx.Err() != nil {
				t.Fatalf("verify waited: %+v", probes)
			}
			p := probes[0]
			if p.Name != "consumer-identity" || p.OK || p.Class != aws.ClassIdentity || !strings.Contains(p.Error, "sts:AssumeRole "+plan.ExRole) {
				t.Errorf("identity probe: %+v", p)
			}
			for _, want := range []string{"the probes ran as " + consumer.ARN, "the plan grants only " + plan.ExRole, "--consumer-profile"} {
				if !strings.Contains(p.Next, want) {
					t.Errorf("next step lacks %q: %s", want, p.Next)
				}
			}
			failed := 0
			for _, q := range probes[1:] {
				if q.OK {
					continue
				}
				failed++
				if q.Class != aws.ClassIdentity || q.Next != p.Next {
					t.Errorf("probe %s failed as another identity, but says [%s] %s", q.Name, q.Class, q.Next)
				}
			}
			if failed == 0 {
				t.Errorf("the admin user is not granted, yet no probe failed: %+v", probes)
			}
		})
	}
}
