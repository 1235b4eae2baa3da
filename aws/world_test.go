package aws_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// world is a moto with the example grant's starting point: the owner's
// bucket with a foreign bucket policy, a customer managed key with a
// foreign statement, and the consumer's role and user.
type world struct {
	env      *testenv.Env
	accts    aws.Accounts
	keyARN   string
	store    journal.Store
	endpoint string
}

const foreignBucketPolicy = `{"Version":"2008-10-17","Id":"Legacy","Statement":[
 {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/site/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}},
 {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::analytics-exports"}]}`

const foreignKeyStatement = `{"Sid":"KeyAdmins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/key-admin"},"Action":["kms:Describe*","kms:Put*"],"Resource":"*"}`

// newWorld resets moto and builds the starting point. endpoint overrides
// the URL the accounts connect to (a fault proxy), "" = moto itself.
func newWorld(t testing.TB, env *testenv.Env, endpoint string, retries int) *world {
	t.Helper()
	env.Reset(t)
	for _, kv := range env.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		os.Unsetenv(k)
	}
	env.Assume(t, plan.ExConsumer2)
	if endpoint == "" {
		endpoint = env.URL
	}
	w := &world{env: env, store: journal.Store{Dir: filepath.Join(t.TempDir(), "runs")}, endpoint: endpoint}
	ctx := context.Background()
	w.accts = aws.Accounts{Consumers: map[string]*aws.Account{}}
	for _, a := range env.Accounts() {
		acct, err := aws.Connect(ctx, aws.ConnectOptions{Profile: a.Profile, EndpointURL: endpoint, RetryMaxAttempts: retries})
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == testenv.OwnerAccount {
			w.accts.Owner = acct
		} else {
			w.accts.Consumers[a.ID] = acct
		}
	}
	w.seed(t)
	return w
}

func (w *world) owner() *aws.Account { return w.accts.Owner }

// must fails the test on err and returns v: must(call())(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func (w *world) seed(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	o := w.owner()
	s3c := o.S3(testenv.Region).(*s3.Client)
	must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    sdk.String(plan.ExBucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(testenv.Region)},
	}))(t)
	must(s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String(plan.ExBucket), Policy: sdk.String(foreignBucketPolicy)}))(t)
	must(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: sdk.String(plan.ExBucket), Key: sdk.String("reports/2026/q1.csv"), Body: strings.NewReader("a,b\n")}))(t)
	// The foreign key statement names this role: KMS (and the sandbox)
	// refuse a key policy naming a principal that does not exist.
	must(o.IAM().(*iam.Client).CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 sdk.String("key-admin"),
		AssumeRolePolicyDocument: sdk.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
	}))(t)
	kc := o.KMS(testenv.Region).(*kms.Client)
	key := must(kc.CreateKey(ctx, &kms.CreateKeyInput{Description: sdk.String("s3grant test key")}))(t)
	w.keyARN = sdk.ToString(key.KeyMetadata.Arn)
	kp := must(kc.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, PolicyName: sdk.String("default")}))(t)
	var doc map[string]any
	if err := json.Unmarshal([]byte(sdk.ToString(kp.Policy)), &doc); err != nil {
		t.Fatal(err)
	}
	var extra any
	_ = json.Unmarshal([]byte(foreignKeyStatement), &extra)
	doc["Statement"] = append(doc["Statement"].([]any), extra)
	withForeign, _ := json.Marshal(doc)
	must(kc.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, PolicyName: sdk.String("default"), Policy: sdk.String(string(withForeign))}))(t)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	for _, arn := range []string{plan.ExRole, plan.ExUser, plan.ExRole2} {
		acct := w.accts.For(strings.Split(arn, ":")[4])
		name := arn[strings.LastIndex(arn, "/")+1:]
		c := acct.IAM().(*iam.Client)
		if strings.Contains(arn, ":user/") {
			must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: &name}))(t)
			continue
		}
		must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: &trust}))(t)
		must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
			RoleName: &name, PolicyName: sdk.String("existing"),
			PolicyDocument: sdk.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`),
		}))(t)
	}
}

// example returns the gallery spec, with the world's key for the example's.
func (w *world) example(t testing.TB, name string) spec.Spec {
	t.Helper()
	for _, ex := range plan.Examples() {
		if ex.Name == name {
			s := ex.Spec
			if s.KMSKey != "" {
				s.KMSKey = w.keyARN
			}
			if s.Method != spec.MethodACL {
				// AWS creates buckets BucketOwnerEnforced; moto sets no
				// ownership controls, on which write grants are refused.
				// The acl examples keep ACLs on, as their tests expect.
				must(w.owner().S3(testenv.Region).PutBucketOwnershipControls(context.Background(), &s3.PutBucketOwnershipControlsInput{
					Bucket:            sdk.String(plan.ExBucket),
					OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}}},
				}))(t)
			}
			return s
		}
	}
	t.Fatalf("no example %q", name)
	return spec.Spec{}
}

// offlinePlan is what `s3grant plan --out` writes, read back from JSON.
func offlinePlan(t testing.TB, s spec.Spec) *plan.Plan {
	t.Helper()
	p := must(plan.New(s, nil))(t)
	data := must(json.Marshal(p))(t)
	var back plan.Plan
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	return &back
}
