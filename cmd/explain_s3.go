package cmd

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

func isS3ARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[2] == "s3"
}

// s3Request splits an S3 resource ARN into bucket, key and access point.
func (o *explainOptions) s3Request(r policy.Request) (policy.S3Request, error) {
	out := policy.S3Request{
		Principal: r.Principal, Action: r.Action, BucketAccount: r.ResourceAccount, Context: r.Context,
	}
	res := strings.SplitN(o.resource, ":", 6)[5]
	if name, ok := strings.CutPrefix(res, "accesspoint/"); ok {
		if o.bucket == "" {
			return out, fmt.Errorf("bucket: is required with an access point resource " +
				"(the bucket policy is evaluated too), e.g. --bucket analytics-exports")
		}
		name, key, _ := strings.Cut(name, "/object/")
		// Without --resource-account the bucket is taken to be in the
		// access point's account (the ARN's account field).
		out.AccessPoint = o.resource[:len(o.resource)-len(res)] + "accesspoint/" + name
		out.Bucket, out.Key = o.bucket, key
		return out, nil
	}
	out.Bucket, out.Key, _ = strings.Cut(res, "/")
	return out, nil
}

func (o *explainOptions) s3Setup(in explainInput) policy.S3Setup {
	set := policy.S3Setup{Identity: in.identity, BucketPolicy: in.resource, AccessPointPolicy: in.ap, BPA: in.bpa}
	if in.key != nil || o.kmsKey != "" {
		key := o.kmsKey
		if key == "" {
			// The key policy's statements name "*" as their resource: the key
			// ARN only decides the key's account, which is the bucket's (and
			// its partition, the resource's).
			res, _ := arn.Parse(o.resource)
			key = arn.Key(res.Partition, res.Region, o.resourceAccount, "given-key-policy")
		}
		set.Key = &policy.KeySetup{ARN: key, Policy: in.key}
	}
	return set
}

// genericInput evaluates a non-S3 request: a role's trust policy, a key's
// key policy, or any other resource policy.
func (o *explainOptions) genericInput(in explainInput) policy.Input {
	pin := policy.Input{Request: in.req, Identity: in.identity}
	parts := strings.SplitN(o.resource, ":", 6)
	switch {
	case parts[2] == "kms" || (in.key != nil && in.resource == nil):
		pin.Resource = &policy.Doc{Name: "key policy " + o.resource, Kind: policy.KindKeyPolicy, Policy: in.key}
		if in.key == nil {
			pin.Resource.Policy = in.resource
		}
	case parts[2] == "iam" && strings.HasPrefix(parts[5], "role/") &&
		strings.HasPrefix(strings.ToLower(o.action), "sts:"):
		pin.Resource = &policy.Doc{
			Name: "trust policy " + o.resource, Kind: policy.KindTrustPolicy, Policy: in.resource,
		}
	case in.resource != nil:
		pin.Resource = &policy.Doc{Name: "resource policy " + o.resource, Kind: "resource-policy", Policy: in.resource}
	}
	return pin
}
