package aws_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// Messages as AWS writes them (IAM User Guide, "Troubleshoot access denied
// error messages"; S3 User Guide, "Troubleshoot access denied (403
// Forbidden) errors"; KMS Developer Guide).
func TestClassify(t *testing.T) {
	me := "arn:aws:sts::222233334444:assumed-role/analytics/s"
	cases := []struct {
		code, msg string
		facts     plan.Facts
		want      string
	}{
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:ListBucket on resource: \"arn:aws:s3:::analytics-exports\" because no identity-based policy allows the s3:ListBucket action", plan.Facts{}, aws.ClassIdentity},
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-exports/reports/a\" because no resource-based policy allows the s3:GetObject action", plan.Facts{}, aws.ClassBucket},
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:GetObject with an explicit deny in a resource-based policy", plan.Facts{}, aws.ClassBucket},
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:GetObject with an explicit deny in a service control policy", plan.Facts{}, aws.ClassIdentity},
		{"AccessDenied", "User: arn:aws:iam::222233334444:user/etl is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/partner-reader", plan.Facts{}, aws.ClassIdentity},
		{"AccessDenied", "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access. (KMS key)", plan.Facts{}, aws.ClassKMS},
		{"KMS.AccessDeniedException", "User is not authorized to perform: kms:Decrypt", plan.Facts{SSEAWSManagedKey: true}, aws.ClassKMS},
		{"AccessDenied", "Access Denied", plan.Facts{ObjectOwnership: "ObjectWriter"}, aws.ClassOwnership},
		{"AccessControlListNotSupported", "The bucket does not allow ACLs", plan.Facts{}, aws.ClassOwnership},
		// A bare denial names no policy: RestrictPublicBuckets being on
		// (the default for new accounts) does not make it a BPA denial.
		{"AccessDenied", "Access Denied", plan.Facts{AccountBPA: plan.PublicAccessBlock{RestrictPublicBuckets: true}}, aws.ClassPropagation},
		// HEAD requests get a bare 403 with no body: the SDK names it Forbidden.
		{"Forbidden", "Forbidden", plan.Facts{BucketBPA: plan.PublicAccessBlock{RestrictPublicBuckets: true, BlockPublicPolicy: true}}, aws.ClassPropagation},
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::analytics-exports\" because public policies are blocked by the BlockPublicPolicy block public access setting.", plan.Facts{}, aws.ClassBPA},
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-exports/reports/a\" with an explicit deny in a resource control policy", plan.Facts{}, aws.ClassBucket},
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-exports/reports/a\" because no VPC endpoint policy allows the s3:GetObject action", plan.Facts{}, aws.ClassIdentity},
		{"AccessDenied", "User: " + me + " is not authorized to perform: s3:GetObject because no permissions boundary allows the s3:GetObject action", plan.Facts{}, aws.ClassIdentity},
		{"KMS.KMSInvalidStateException", "arn:aws:kms:eu-west-1:111122223333:key/k is pending deletion.", plan.Facts{}, aws.ClassKMS},
		{"NoSuchAccessPoint", "The specified accesspoint does not exist", plan.Facts{}, aws.ClassNotFound},
		{"AccessDenied", "Access denied because public access is blocked by Block Public Access settings", plan.Facts{}, aws.ClassBPA},
		{"AccessDenied", "Access Denied", plan.Facts{}, aws.ClassPropagation},
		{"NoSuchBucket", "The specified bucket does not exist", plan.Facts{}, aws.ClassNotFound},
		{"NotFound", "Not Found", plan.Facts{}, aws.ClassNotFound},
		{"MovedPermanently", "Moved Permanently", plan.Facts{}, aws.ClassBucket},
		{"PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.", plan.Facts{}, aws.ClassBucket},
	}
	for _, c := range cases {
		got, next := aws.Classify(&smithy.GenericAPIError{Code: c.code, Message: c.msg}, c.facts, me)
		if got != c.want || next == "" {
			t.Errorf("%s %q: class %q (next %q), want %q", c.code, c.msg, got, next, c.want)
		}
	}
}

// TestClassifySandboxReasons: the sandbox's X-S3grant-Reason headers decide
// when the message is bare, HEAD's empty 403 included.
func TestClassifySandboxReasons(t *testing.T) {
	me := "arn:aws:sts::222233334444:assumed-role/analytics/s"
	bucketNo := "[bucket] bucket policy arn:aws:s3:::analytics-exports: cross-account: the resource owner 111122223333 must allow too, and no statement allows s3:GetObject for " + me
	identityNo := "[bucket] identity policies: cross-account: no identity policy statement of " + me + " allows s3:GetObject on arn:aws:s3:::analytics-exports/reports/a"
	cases := []struct {
		status    int
		code, msg string
		reasons   []string
		want      string
	}{
		{403, "Forbidden", "Forbidden", []string{bucketNo}, aws.ClassBucket},
		{403, "Forbidden", "Forbidden", []string{identityNo}, aws.ClassIdentity},
		{403, "AccessDenied", "Access Denied", []string{identityNo, bucketNo}, aws.ClassNotApplied},
		{403, "AccessDenied", "Access Denied", []string{"[key] key policy arn:aws:kms:eu-west-1:111122223333:key/k: no statement allows kms:Decrypt for " + me}, aws.ClassKMS},
		{403, "AccessDenied", "Access Denied", []string{"[bucket] bucket policy arn:aws:s3:::analytics-exports: the policy is public and Block Public Access RestrictPublicBuckets is on: only principals of account 111122223333 get in, not account 222233334444"}, aws.ClassBPA},
		{403, "Forbidden", "Forbidden", nil, aws.ClassPropagation},
	}
	for _, c := range cases {
		h := http.Header{}
		for _, r := range c.reasons {
			h.Add(aws.ReasonHeader, r)
		}
		err := &smithy.OperationError{ServiceID: "S3", OperationName: "HeadObject", Err: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: c.status, Header: h}},
			Err:      &smithy.GenericAPIError{Code: c.code, Message: c.msg},
		}}
		got, next := aws.Classify(err, plan.Facts{}, me)
		if got != c.want || next == "" {
			t.Errorf("%s %v: class %q (next %q), want %q", c.code, c.reasons, got, next, c.want)
		}
		if !reflect.DeepEqual(aws.DenialReasons(err), h.Values(aws.ReasonHeader)) {
			t.Errorf("DenialReasons: %v", aws.DenialReasons(err))
		}
	}
}

// TestVerifyAgainstMoto probes applied grants from the consumer. moto does
// not enforce cross-account permissions, so every request is allowed there:
// the allow probes prove the calls, the addressing (bucket, assumed role
// with ExternalId) and the read/write path; the probe that must be denied
// cannot be proven against moto and is reported as a failure. Two more moto
// limits: it applies bucket policy Deny statements ignoring their conditions
// (so the TLS-only deny would deny every object call: the specs here opt out
// of it), and it does not resolve access point aliases in data calls (which
// is how verify addresses an access point on a custom endpoint), so the
// access point case checks only the alias lookup and the advice
// (TestVerifyAgainstSandbox proves access points). The acl method's
// RequireOwnerFullControl Deny is likewise applied unconditionally by moto.
func TestVerifyAgainstMoto(t *testing.T) {
	t.Setenv(testenv.BackendEnv, "moto") // these expectations are moto's (the sandbox's are in verify_sandbox_test.go)
	env := testenv.Start(t)
	ctx := context.Background()
	for _, name := range []string{"bucket-policy/read", "iam-role/external-id", "bucket-policy/kms-read-write"} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, env, "", 0)
			s := w.example(t, name)
			s.NoRequireTLS = true
			s.Access = spec.AccessReadWrite // every probe: list, read, write
			file := offlinePlan(t, s)
			prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
			must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
			consumer := w.accts.Consumers[testenv.ConsumerAccount]
			probes := aws.Verify(ctx, prep.Plan, consumer, aws.VerifyOptions{WriteProbe: true, Owner: w.owner(), Backoff: fastApply(w).Backoff})
			seen := map[string]bool{}
			for _, p := range probes {
				seen[p.Name] = true
				if strings.HasPrefix(p.Name, "outside-grant") {
					if p.Result != "allowed" || p.OK || p.Class == "" {
						t.Errorf("the denial probe on moto: %+v (moto allows everything: verify must report it, not pass it)", p)
					}
					continue
				}
				if !p.OK {
					t.Errorf("probe %s (%s): %s %s [%s] %s", p.Name, p.Request, p.Result, p.Error, p.Class, p.Next)
				}
			}
			for _, want := range []string{"list reports/", "get-object", "put-object", "outside-grant"} {
				if !seen[want] {
					t.Errorf("no %s probe in %+v", want, probes)
				}
			}
		})
	}
}

// TestVerifyAccessPointOnMoto: on a custom endpoint verify reads the access
// point's alias (moto hands one out) and addresses it; moto answers
// NoSuchBucket for aliases, which verify reports as the endpoint's limit,
// not as a missing bucket.
func TestVerifyAccessPointOnMoto(t *testing.T) {
	t.Setenv(testenv.BackendEnv, "moto")
	env := testenv.Start(t)
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	s := w.example(t, "access-point/read")
	s.NoRequireTLS = true
	prep := must(aws.Prepare(ctx, offlinePlan(t, s), w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
	must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
	probes := aws.Verify(ctx, prep.Plan, w.accts.Consumers[testenv.ConsumerAccount], aws.VerifyOptions{Owner: w.owner(), Backoff: fastApply(w).Backoff})
	if len(probes) < 3 || probes[0].Name != "access-point-alias" || !probes[0].OK || !strings.Contains(probes[0].Next, "-s3alias") {
		t.Fatalf("no alias lookup first: %+v", probes)
	}
	list := probes[2]
	if list.Name != "list reports/" || !strings.Contains(list.Request, "-s3alias") || !strings.Contains(list.Next, "does not resolve access point aliases") {
		t.Errorf("list through the alias on moto: %+v", list)
	}
}
