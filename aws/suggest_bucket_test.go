package aws_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
)

// setDefaultKey makes keyID (an ARN, a bare ID or an alias) the bucket's
// default encryption key.
func setDefaultKey(t testing.TB, w *world, keyID string) {
	t.Helper()
	must(w.owner().S3(testenv.Region).(*s3.Client).PutBucketEncryption(context.Background(), &s3.PutBucketEncryptionInput{
		Bucket: sdk.String(plan.ExBucket),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: sdk.String(keyID)},
		}}},
	}))(t)
}

// TestSuggestBucketAndCanonicalID reads what the wizard pre-fills, on moto
// and on the sandbox: the bucket's region (eu-west-1, and us-east-1, which
// GetBucketLocation names with an empty constraint), its default key
// however the configuration names it, and the consumer's canonical ID as
// the AWS CLI reads it.
func TestSuggestBucketAndCanonicalID(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	w := newWorld(t, env, "", 0)
	ctx := context.Background()
	region, key := aws.SuggestBucket(ctx, w.owner(), plan.ExBucket)
	if region.Value != testenv.Region || region.Source == "" {
		t.Errorf("region %+v, want %s with its source", region, testenv.Region)
	}
	if key.Value != "" || key.Why == "" {
		t.Errorf("SSE-S3 bucket: key %+v, want no key and the reason", key)
	}
	keyID := w.keyARN[strings.LastIndex(w.keyARN, "/")+1:]
	for _, named := range []string{w.keyARN, keyID} {
		setDefaultKey(t, w, named)
		if _, key = aws.SuggestBucket(ctx, w.owner(), plan.ExBucket); key.Value != w.keyARN {
			t.Errorf("default key named %s: suggested %+v, want %s", named, key, w.keyARN)
		}
	}
	must(w.owner().S3("us-east-1").(*s3.Client).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: sdk.String("suggest-virginia")}))(t)
	if region, _ = aws.SuggestBucket(ctx, w.owner(), "suggest-virginia"); region.Value != "us-east-1" {
		t.Errorf("us-east-1 bucket: region %+v", region)
	}
	if region, key = aws.SuggestBucket(ctx, w.owner(), "no-such-bucket-here"); region.Value != "" || !strings.Contains(region.Why, "no bucket no-such-bucket-here") || key.Why == "" {
		t.Errorf("missing bucket: region %+v, key %+v", region, key)
	}
	want := strings.TrimSpace(string(env.CLI(t, "consumer", "s3api", "list-buckets", "--query", "Owner.ID", "--output", "text")))
	if got := aws.CanonicalID(ctx, w.accts.Consumers[testenv.ConsumerAccount]); got.Value != want || want == "" {
		t.Errorf("canonical ID %+v, the AWS CLI reads %q", got, want)
	}
}

// TestSuggestBucketDenied: on the sandbox, which enforces policies, the
// owner's bucket policy denies the reads one by one. A denied
// GetBucketEncryption leaves the key unsuggested with the reason and the
// region found; a denied HeadBucket falls back to GetBucketLocation; both
// denied say why.
func TestSuggestBucketDenied(t *testing.T) {
	env := sandboxEnv(t)
	w := newWorld(t, env, "", 0)
	ctx := context.Background()
	setDefaultKey(t, w, w.keyARN)
	c := w.owner().S3(testenv.Region).(*s3.Client)
	deny := func(actions ...string) {
		pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["` + strings.Join(actions, `","`) +
			`"],"Resource":"arn:aws:s3:::` + plan.ExBucket + `"}]}`
		must(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String(plan.ExBucket), Policy: sdk.String(pol)}))(t)
	}

	deny("s3:GetEncryptionConfiguration")
	region, key := aws.SuggestBucket(ctx, w.owner(), plan.ExBucket)
	if region.Value != testenv.Region || key.Value != "" || key.Why != "GetBucketEncryption was denied (AccessDenied)" {
		t.Errorf("GetBucketEncryption denied: region %+v, key %+v", region, key)
	}
	// The plan's own read goes on without the encryption and says why.
	facts, err := aws.ReadFacts(ctx, w.owner(), plan.ExBucket, "")
	if err != nil || facts.SSEUnread != "GetBucketEncryption was denied (AccessDenied)" || facts.SSEKeyARN != "" {
		t.Errorf("ReadFacts with GetBucketEncryption denied: %+v, %v", facts, err)
	}

	deny("s3:ListBucket")
	if region, key = aws.SuggestBucket(ctx, w.owner(), plan.ExBucket); region.Value != testenv.Region || key.Value != w.keyARN {
		t.Errorf("HeadBucket denied: region %+v (want it from GetBucketLocation), key %+v", region, key)
	}

	deny("s3:ListBucket", "s3:GetBucketLocation")
	region, key = aws.SuggestBucket(ctx, w.owner(), plan.ExBucket)
	if region.Value != "" || !strings.Contains(region.Why, "HeadBucket was denied") || key.Why != region.Why {
		t.Errorf("HeadBucket and GetBucketLocation denied: region %+v, key %+v", region, key)
	}
}

// TestSuggestKeyWithoutDescribeKey: the bucket names its key by bare ID
// and kms:DescribeKey is denied: the ARN is built in the owner's account,
// region and partition. Named by alias, nothing is suggested.
func TestSuggestKeyWithoutDescribeKey(t *testing.T) {
	env := sandboxEnv(t)
	w := newWorld(t, env, "", 0)
	ctx := context.Background()
	keyID := w.keyARN[strings.LastIndex(w.keyARN, "/")+1:]
	kc := w.owner().KMS(testenv.Region).(*kms.Client)
	must(kc.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: sdk.String("alias/suggest"), TargetKeyId: sdk.String(keyID)}))(t)
	pol := must(kc.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &keyID, PolicyName: sdk.String("default")}))(t)
	denyDescribe := strings.Replace(sdk.ToString(pol.Policy), `"Statement":[`,
		`"Statement":[{"Sid":"NoDescribe","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:DescribeKey","Resource":"*"},`, 1)
	must(kc.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &keyID, PolicyName: sdk.String("default"), Policy: &denyDescribe, BypassPolicyLockoutSafetyCheck: true}))(t)

	setDefaultKey(t, w, keyID)
	_, key := aws.SuggestBucket(ctx, w.owner(), plan.ExBucket)
	if key.Value != w.keyARN || !strings.Contains(key.Source, "kms:DescribeKey was denied") {
		t.Errorf("bare key ID without DescribeKey: %+v, want %s", key, w.keyARN)
	}
	facts, err := aws.ReadFacts(ctx, w.owner(), plan.ExBucket, "")
	if err != nil || facts.SSEKeyARN != w.keyARN || !strings.Contains(facts.SSEUnread, "kms:DescribeKey was denied") {
		t.Errorf("ReadFacts, bare key ID without DescribeKey: %+v, %v", facts, err)
	}
	setDefaultKey(t, w, "alias/suggest")
	if _, key = aws.SuggestBucket(ctx, w.owner(), plan.ExBucket); key.Value != "" || !strings.Contains(key.Why, "alias/suggest") {
		t.Errorf("alias without DescribeKey: %+v", key)
	}
	facts, err = aws.ReadFacts(ctx, w.owner(), plan.ExBucket, "")
	if err != nil || facts.SSEKeyARN != "" || !strings.Contains(facts.SSEUnread, "alias/suggest") {
		t.Errorf("ReadFacts, alias without DescribeKey: %+v, %v", facts, err)
	}
}

// TestSuggestFaults: through a proxy that fails calls, on moto and the
// sandbox. A denied GetBucketEncryption leaves the key unsuggested with the
// reason; once AWS cannot be reached, every read says so in one line
// instead of failing.
func TestSuggestFaults(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	w := newWorld(t, env, "", 0)
	setDefaultKey(t, w, w.keyARN)
	proxy := env.StartFaultProxy(t)
	ctx := context.Background()
	owner := connectVia(t, env, proxy.URL)

	proxy.ArmErrorOn("?encryption", http.StatusForbidden, "AccessDenied", "Access Denied")
	region, key := aws.SuggestBucket(ctx, owner, plan.ExBucket)
	if region.Value != testenv.Region || key.Value != "" || key.Why != "GetBucketEncryption was denied (AccessDenied)" {
		t.Errorf("GetBucketEncryption denied: region %+v, key %+v (the proxy failed %q)", region, key, proxy.Disarm())
	}

	// Offline: the accounts were reached once (to connect), then the
	// endpoint goes away. (A dropped connection would not do: Go retries
	// idempotent requests on a fresh one.)
	target, _ := url.Parse(proxy.URL)
	gone := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	owner = connectVia(t, env, gone.URL)
	consumer := connectVia(t, env, gone.URL, env.Consumer.Profile)
	gone.Close()
	region, key = aws.SuggestBucket(ctx, owner, plan.ExBucket)
	id := aws.CanonicalID(ctx, consumer)
	for _, why := range []string{region.Why, key.Why, id.Why} {
		if !strings.Contains(why, "failed: ") || strings.Contains(why, "\n") {
			t.Errorf("offline: %q, want a one-line failure", why)
		}
	}
	if region.Value+key.Value+id.Value != "" {
		t.Errorf("offline found %q %q %q", region.Value, key.Value, id.Value)
	}
}

// connectVia connects the owner (or profile) through endpoint, with no
// SDK retries.
func connectVia(t *testing.T, env *testenv.Env, endpoint string, profile ...string) *aws.Account {
	t.Helper()
	p := env.Owner.Profile
	if len(profile) > 0 {
		p = profile[0]
	}
	return must(aws.Connect(context.Background(), aws.ConnectOptions{Profile: p, EndpointURL: endpoint, RetryMaxAttempts: 1}))(t)
}
