package aws

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// Probe is one live request from the consumer side.
type Probe struct {
	Name    string      `json:"name"`
	Request string      `json:"request"`
	Expect  Expect      `json:"expect"`
	Result  ProbeResult `json:"result"`
	OK      bool        `json:"ok"`
	Class   string      `json:"class,omitempty"`
	Next    string      `json:"next,omitempty"`
	Error   string      `json:"error,omitempty"`
}

// Expect is what a probe must get.
type Expect string

// What a probe must get.
const (
	ExpectAllow Expect = "allow"
	ExpectDeny  Expect = "deny"
)

// ProbeResult is what a probe got.
type ProbeResult string

// What a probe got.
const (
	ResultAllowed ProbeResult = "allowed"
	ResultDenied  ProbeResult = "denied"
	ResultFailed  ProbeResult = "failed"  // neither: an error that is not a denial
	ResultSkipped ProbeResult = "skipped" // not sent (nothing to probe, or an earlier probe failed)
)

// VerifyOptions tune verify.
type VerifyOptions struct {
	WriteProbe bool
	Backoff    []time.Duration // retries of AssumeRole for a new role; nil = DefaultBackoff()
	Facts      plan.Facts      // the bucket's settings when known (the owner was connected)
	// Owner, optional, reads an owner-owned access point's alias (custom
	// endpoints) and deletes the probe object if the consumer may not.
	Owner    *Account
	Progress func(Event)
	// AccessPointAlias is the access point's alias when the caller knows it:
	// on a custom endpoint verify then needs no s3control:GetAccessPoint.
	AccessPointAlias string
}

// Verify probes the grant from the consumer account: as a principal the
// plan grants (assuming a named role when the consumer's credentials are
// another identity), through the owner's role for the iam-role method, and
// through the access point (by ARN, or by alias on a custom endpoint).
func Verify(ctx context.Context, p *plan.Plan, consumer *Account, o VerifyOptions) []Probe {
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff()
	}
	v := &verifier{p: p, s: p.Spec, o: o, clients: consumer.Clients, who: consumer.ARN}
	if !v.target(ctx, consumer) {
		return v.probes
	}
	v.become(ctx, consumer)
	if p.Spec.Method == spec.MethodIAMRole && !v.assumeOwnerRole(ctx, consumer) {
		return v.probes
	}
	v.run(ctx)
	return v.probes
}

type verifier struct {
	p       *plan.Plan
	s       spec.Spec
	o       VerifyOptions
	clients Clients
	who     string
	bucket  string // what data calls address: the bucket, an access point ARN or alias
	// mismatch says the probes run as an identity the plan does not grant
	// (become could not assume one it does); it replaces every failure's
	// advice.
	mismatch string
	probes   []Probe
}

func (v *verifier) add(name, req string, expect Expect, err error) bool {
	pr := Probe{Name: name, Request: req, Expect: expect}
	switch {
	case err == nil:
		pr.Result, pr.OK = ResultAllowed, expect == ExpectAllow
		if !pr.OK {
			pr.Class = ClassBucket
			pr.Next = "a request outside the grant was allowed: another statement grants more " +
				"(look for broad Allow statements in the bucket and identity policies)"
		}
	case isDenied(ErrorCode(err)) || httpStatus(err) == 403:
		pr.Result, pr.OK = ResultDenied, expect == ExpectDeny
	default:
		pr.Result = ResultFailed
	}
	if err != nil && !pr.OK {
		pr.Error = shortErr(err)
		if r := DenialReasons(err); len(r) > 0 {
			pr.Error += " (the sandbox says: " + strings.Join(r, "; ") + ")"
		}
		pr.Class, pr.Next = Classify(err, v.o.Facts, v.who)
		if ErrorCode(err) == "NoSuchBucket" && strings.HasSuffix(v.bucket, "-s3alias") {
			pr.Next = "this endpoint does not resolve access point aliases (moto does not): " +
				"verify access points against AWS or the s3grant sandbox"
		}
		if v.mismatch != "" {
			pr.Class, pr.Next = ClassIdentity, v.mismatch
		}
	}
	v.probes = append(v.probes, pr)
	return err == nil
}

// expectedOwner pins the bucket owner on data calls, so a probe can never
// succeed against a same-named bucket elsewhere (not for access point ARNs).
func (v *verifier) expectedOwner() *string {
	if v.s.Method == spec.MethodAccessPoint {
		return nil
	}
	return &v.s.OwnerAccount
}

func (v *verifier) run(ctx context.Context) {
	c := v.clients.S3(v.s.Region)
	b := v.bucket
	switch {
	case v.s.Method == spec.MethodAccessPoint:
	case v.s.Access.Lists() && v.s.WholeBucket():
		_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &b, ExpectedBucketOwner: v.expectedOwner()})
		v.add("head-bucket", "HeadBucket "+b, ExpectAllow, err)
	default:
		// HeadBucket needs s3:ListBucket with no s3:prefix in the request, so a
		// prefix-scoped or write-only grant is rightly denied it.
		v.probes = append(v.probes, Probe{
			Name: "head-bucket", Request: "HeadBucket " + b, Expect: ExpectAllow, Result: ResultSkipped, OK: true,
			Next: "HeadBucket needs s3:ListBucket on the whole bucket, which this grant does not give; " +
				"the list probes below check access",
		})
	}
	var found string
	for _, prefix := range v.s.PrefixList() {
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
			Bucket: &b, Prefix: &prefix, MaxKeys: sdk.Int32(20), ExpectedBucketOwner: v.expectedOwner(),
		})
		expect := ExpectAllow
		if !v.s.Access.Lists() {
			expect = ExpectDeny
		}
		v.add("list "+prefix, "ListObjectsV2 "+b+" prefix "+quote(prefix), expect, err)
		if err == nil && found == "" {
			for _, obj := range out.Contents {
				if k := sdk.ToString(obj.Key); !strings.HasSuffix(k, "/") {
					found = k
					break
				}
			}
		}
	}
	if v.s.Access.Reads() {
		v.readProbes(ctx, c, b, found)
	} else if found != "" {
		// A list grant (a bucket ACL READ included) never lets the consumer
		// read objects: proving that is this grant's must-deny probe.
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{
			Bucket: &b, Key: &found, ExpectedBucketOwner: v.expectedOwner(),
		})
		v.add("read-not-granted", "HeadObject "+b+" "+found+" (reads are not granted)", ExpectDeny, err)
	}
	if v.o.WriteProbe && v.s.Access.Writes() {
		v.writeProbe(ctx, c, b)
	}
	v.denyProbe(ctx, c, b)
	if v.s.Method == spec.MethodAccessPoint {
		v.bypassProbe(ctx, c)
	}
}

func (v *verifier) readProbes(ctx context.Context, c S3API, b, key string) {
	if key == "" {
		v.probes = append(v.probes, Probe{
			Name: "read", Request: "GetObject", Expect: ExpectAllow, Result: ResultSkipped, OK: true,
			Next: "no object found under the prefixes: put one there to prove reads",
		})
		return
	}
	_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b, Key: &key, ExpectedBucketOwner: v.expectedOwner()})
	v.add("head-object", "HeadObject "+b+" "+key, ExpectAllow, err)
	out, err := c.GetObject(ctx, &s3.GetObjectInput{
		Bucket: &b, Key: &key, Range: sdk.String("bytes=0-0"), ExpectedBucketOwner: v.expectedOwner(),
	})
	if err == nil {
		_, _ = io.Copy(io.Discard, out.Body)
		out.Body.Close()
	}
	v.add("get-object", "GetObject "+b+" "+key+" (first byte)", ExpectAllow, err)
}

func (v *verifier) writeProbe(ctx context.Context, c S3API, b string) {
	key := v.s.PrefixList()[0] + fmt.Sprintf("s3grant-probe-%d.txt", time.Now().UnixNano())
	in := &s3.PutObjectInput{
		Bucket: &b, Key: &key, Body: strings.NewReader("s3grant write probe\n"), ExpectedBucketOwner: v.expectedOwner(),
	}
	if v.s.Method == spec.MethodACL {
		in.ACL = "bucket-owner-full-control"
	}
	_, err := c.PutObject(ctx, in)
	if !v.add("put-object", "PutObject "+b+" "+key, ExpectAllow, err) {
		return
	}
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &b, Key: &key, ExpectedBucketOwner: v.expectedOwner()})
	if err != nil && v.o.Owner != nil {
		// The grant has no s3:DeleteObject: the owner cleans up.
		_, err = v.o.Owner.S3(v.s.Region).DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &v.s.Bucket, Key: &key})
	}
	if err != nil {
		v.probes = append(v.probes, Probe{
			Name: "delete-probe", Request: "DeleteObject " + b + " " + key, Expect: ExpectAllow, Result: ResultFailed,
			Error: shortErr(err),
			Next:  "the probe object is left behind: delete s3://" + v.s.Bucket + "/" + key + " as the owner",
		})
	}
}

// denyProbe lists a prefix outside the grant: it must be denied.
func (v *verifier) denyProbe(ctx context.Context, c S3API, b string) {
	if v.s.WholeBucket() && v.s.Access.Lists() {
		v.probes = append(v.probes, Probe{
			Name: "outside-grant", Request: "ListObjectsV2 outside the prefixes",
			Expect: ExpectDeny, Result: ResultSkipped, OK: true,
			Next: "the whole bucket is granted: no prefix lies outside",
		})
		return
	}
	prefix := "s3grant-verify-outside-the-grant/"
	_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket: &b, Prefix: &prefix, MaxKeys: sdk.Int32(1), ExpectedBucketOwner: v.expectedOwner(),
	})
	v.add("outside-grant", "ListObjectsV2 "+b+" prefix "+quote(prefix), ExpectDeny, err)
	if v.s.Access.Reads() && !v.s.WholeBucket() {
		// S3 authorises s3:GetObject before it looks for the key: a 404 for
		// this key (which does not exist) means the read was allowed.
		key := prefix + "probe.txt"
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b, Key: &key, ExpectedBucketOwner: v.expectedOwner()})
		if c := ErrorCode(err); c == "NotFound" || c == "NoSuchKey" {
			err = nil
		}
		v.add("outside-grant-read", "HeadObject "+b+" "+key+" (a read outside the prefixes)", ExpectDeny, err)
	}
}

// bypassProbe lists a granted prefix on the bucket itself, not through the
// access point: the bucket policy delegates to access points only, so it
// must be denied.
func (v *verifier) bypassProbe(ctx context.Context, c S3API) {
	prefix := v.s.PrefixList()[0]
	_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket: &v.s.Bucket, Prefix: &prefix, MaxKeys: sdk.Int32(1), ExpectedBucketOwner: &v.s.OwnerAccount,
	})
	req := "ListObjectsV2 " + v.s.Bucket + " prefix " + quote(prefix) +
		" (the bucket directly, not through the access point)"
	v.add("bypass-access-point", req, ExpectDeny, err)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
