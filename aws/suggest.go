package aws

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	awsarn "github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/wizard"
)

// Names are what exists in the accounts, offered by the wizard while the
// user types: a convenience, so each list is best effort and short.
type Names struct {
	Buckets      []string // the owner's buckets
	Roles        []string // the consumer's role ARNs
	AccessPoints []string // the owner's access point names
}

// maxNames bounds each list: one page, enough to complete a name.
const maxNames = 200

// The listing calls only suggestions make (the SDK clients have them).
type (
	bucketLister interface {
		ListBuckets(context.Context, *s3.ListBucketsInput, ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
	}
	roleLister interface {
		ListRoles(context.Context, *iam.ListRolesInput, ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	}
	accessPointLister interface {
		ListAccessPoints(
			context.Context, *s3control.ListAccessPointsInput, ...func(*s3control.Options),
		) (*s3control.ListAccessPointsOutput, error)
	}
)

// SuggestNames lists the owner's buckets and access points and the
// consumer's roles. A list the credentials may not read is left empty: the
// first error is returned beside what could be read.
func SuggestNames(ctx context.Context, owner, consumer *Account, region string) (Names, error) {
	var n Names
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	if l, ok := owner.S3(region).(bucketLister); ok {
		out, err := l.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: sdk.Int32(maxNames)})
		keep(err)
		if out != nil {
			for _, b := range out.Buckets {
				n.Buckets = append(n.Buckets, sdk.ToString(b.Name))
			}
		}
	}
	if l, ok := owner.S3Control(region).(accessPointLister); ok {
		in := &s3control.ListAccessPointsInput{AccountId: sdk.String(owner.ID), MaxResults: maxNames}
		out, err := l.ListAccessPoints(ctx, in)
		keep(err)
		if out != nil {
			for _, ap := range out.AccessPointList {
				n.AccessPoints = append(n.AccessPoints, sdk.ToString(ap.Name))
			}
		}
	}
	if consumer != nil {
		if l, ok := consumer.IAM().(roleLister); ok {
			out, err := l.ListRoles(ctx, &iam.ListRolesInput{MaxItems: sdk.Int32(maxNames)})
			keep(err)
			if out != nil {
				for _, r := range out.Roles {
					n.Roles = append(n.Roles, sdk.ToString(r.Arn))
				}
			}
		}
	}
	sort.Strings(n.Buckets)
	sort.Strings(n.AccessPoints)
	sort.Strings(n.Roles)
	return n, first
}

// AccessPointAlias returns the alias AWS gave an access point (usable where
// a bucket name goes), or "" when it has none.
func AccessPointAlias(ctx context.Context, acct *Account, region, name string) (string, error) {
	in := &s3control.GetAccessPointInput{AccountId: sdk.String(acct.ID), Name: sdk.String(name)}
	out, err := acct.S3Control(region).GetAccessPoint(ctx, in)
	if err != nil {
		return "", fmt.Errorf("s3control:GetAccessPoint %s: %w", name, err)
	}
	return sdk.ToString(out.Alias), nil
}

// The reads behind the wizard's defaults: what the owner's bucket and the
// consumer's account say about the questions. Each answer is a
// wizard.Finding: a value with its source, or the one-line reason there is
// none, so a denied or failed read never stops the wizard (it asks).
type (
	locationGetter interface {
		GetBucketLocation(
			context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options),
		) (*s3.GetBucketLocationOutput, error)
	}
)

// SuggestBucket reads the bucket's region and, when its default encryption
// is SSE-KMS with a customer managed key, that key's ARN.
func SuggestBucket(ctx context.Context, owner *Account, bucket string) (region, key wizard.Finding) {
	r, err := suggestRegion(ctx, owner, bucket)
	if err != nil {
		why := readFailure(err, bucket)
		return wizard.Finding{Why: why}, wizard.Finding{Why: why}
	}
	return wizard.Finding{Value: r, Source: "the bucket's location"}, suggestKey(ctx, owner, bucket, r)
}

// suggestRegion asks HeadBucket first, as AWS recommends for finding a
// bucket's region; an owner profile without s3:ListBucket is refused
// HeadBucket, so GetBucketLocation (s3:GetBucketLocation) is asked then.
// GetBucketLocation answers an empty LocationConstraint for us-east-1 and
// "EU" for eu-west-1:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
func suggestRegion(ctx context.Context, owner *Account, bucket string) (string, error) {
	region, err := headBucketRegion(ctx, owner, bucket)
	if err == nil || httpStatus(err) != http.StatusForbidden {
		return region, err
	}
	l, ok := owner.S3("").(locationGetter)
	if !ok {
		return "", err
	}
	out, lerr := l.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: &bucket, ExpectedBucketOwner: &owner.ID})
	if r := redirectRegion(lerr); r != "" && httpStatus(lerr) == http.StatusMovedPermanently {
		return r, nil // asked in another region: S3 named the bucket's
	}
	if lerr != nil {
		return "", err // HeadBucket's refusal says more than a second one
	}
	return LocationRegion(string(out.LocationConstraint)), nil
}

// LocationRegion is the region a GetBucketLocation LocationConstraint
// means: none is us-east-1, and the legacy "EU" is eu-west-1.
func LocationRegion(constraint string) string {
	switch constraint {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return constraint
}

// suggestKey reads the bucket's default encryption. Only SSE-KMS with a
// customer managed key gives a key: the AWS managed aws/s3 key's policy
// cannot be changed, so no other account can be let use it, and SSE-S3
// needs no KMS permission. KMSMasterKeyID may be a key ID, an alias or an
// ARN; DescribeKey resolves each to the key's ARN.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
func suggestKey(ctx context.Context, owner *Account, bucket, region string) wizard.Finding {
	in := &s3.GetBucketEncryptionInput{Bucket: &bucket, ExpectedBucketOwner: &owner.ID}
	out, err := owner.S3(region).GetBucketEncryption(ctx, in)
	if IsNotSet(err) {
		return wizard.Finding{Why: "the bucket has no default encryption, so no KMS key"}
	}
	if err != nil {
		return wizard.Finding{Why: "GetBucketEncryption " + failure(err)}
	}
	var def *s3types.ServerSideEncryptionByDefault
	if c := out.ServerSideEncryptionConfiguration; c != nil && len(c.Rules) > 0 {
		def = c.Rules[0].ApplyServerSideEncryptionByDefault
	}
	if def == nil || !strings.HasPrefix(string(def.SSEAlgorithm), "aws:kms") {
		return wizard.Finding{Why: "the bucket's default encryption is SSE-S3, which needs no KMS key"}
	}
	const awsManaged = "the bucket's default encryption uses the AWS managed key aws/s3, " +
		"which other accounts cannot use"
	id := sdk.ToString(def.KMSMasterKeyID)
	if id == "" {
		return wizard.Finding{Why: awsManaged}
	}
	const source = "the bucket's default encryption"
	arn, managed, err := DescribeKey(ctx, owner, id, region)
	switch {
	case err == nil && managed:
		return wizard.Finding{Why: awsManaged}
	case err == nil:
		return wizard.Finding{Value: arn, Source: source}
	}
	if built := keyARN(id, owner.ID, region); built != "" {
		return wizard.Finding{Value: built, Source: source + " (kms:DescribeKey " + failure(err) + ")"}
	}
	return wizard.Finding{Why: "the bucket names its key " + id + " and kms:DescribeKey " + failure(err)}
}

// keyARN is the ARN of a key named by ARN or by bare key ID (in the
// bucket owner's account and region, in the region's partition); "" for an
// alias, which only DescribeKey resolves.
func keyARN(id, account, region string) string {
	if a, ok := awsarn.Parse(id); ok {
		if strings.HasPrefix(a.Resource, "key/") {
			return id
		}
		return ""
	}
	if strings.HasPrefix(id, "alias/") {
		return ""
	}
	return awsarn.Key(awsarn.Partition(region), region, account, id)
}

// CanonicalID reads the account's canonical user ID: the Owner of
// ListBuckets (s3:ListAllMyBuckets), asked for one bucket, the way AWS
// documents:
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html#FindCanonicalId
func CanonicalID(ctx context.Context, acct *Account) wizard.Finding {
	l, ok := acct.S3("").(bucketLister)
	if !ok {
		return wizard.Finding{Why: "this connection cannot list buckets"}
	}
	out, err := l.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: sdk.Int32(1)})
	if err != nil {
		return wizard.Finding{Why: "ListBuckets as the consumer " + failure(err)}
	}
	if out.Owner == nil || sdk.ToString(out.Owner.ID) == "" {
		return wizard.Finding{Why: "ListBuckets as the consumer named no owner"}
	}
	return wizard.Finding{Value: sdk.ToString(out.Owner.ID), Source: "the consumer account (ListBuckets)"}
}

// readFailure says in one line why the bucket could not be read.
func readFailure(err error, bucket string) string {
	switch {
	case httpStatus(err) == http.StatusNotFound || ErrorCode(err) == "NotFound" || ErrorCode(err) == "NoSuchBucket":
		return "no bucket " + bucket + " was found (HeadBucket)"
	case httpStatus(err) == http.StatusForbidden:
		return "the owner profile may not read bucket " + bucket +
			", or another account owns it (HeadBucket was denied)"
	}
	return "HeadBucket " + failure(err)
}

// failure is a failed call in a few words: "was denied (AccessDenied)",
// "failed: connection refused".
func failure(err error) string {
	code := ErrorCode(err)
	switch {
	case code == "AccessDenied" || code == "AccessDeniedException" || httpStatus(err) == http.StatusForbidden:
		return "was denied (" + cmp.Or(code, "403") + ")"
	case code != "":
		return "failed (" + code + ")"
	}
	inner := err
	for u := errors.Unwrap(inner); u != nil; u = errors.Unwrap(inner) {
		inner = u
	}
	return "failed: " + inner.Error()
}
