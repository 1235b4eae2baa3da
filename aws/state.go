package aws

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// Live is what exists in both accounts for a plan: the state the plan is
// merged with, and each step's document exactly as read.
type Live struct {
	State  *plan.State
	Region string        // the bucket's region
	Refs   []journal.Ref // per plan step
	Docs   []Doc         // per plan step, as read
}

// ReadLive reads everything the plan's steps touch plus the bucket facts
// that change what the method can do.
func ReadLive(ctx context.Context, p *plan.Plan, accts Accounts) (*Live, error) {
	facts, err := ReadFacts(ctx, accts.Owner, p.Spec.Bucket, p.Spec.KMSKey)
	if err != nil {
		return nil, err
	}
	return readGrantLive(ctx, p, accts, facts, nil)
}

// record puts a document read from AWS into the state the plan merges with.
func record(st *plan.State, d *plan.Document, ref journal.Ref, doc Doc) error {
	if d == nil || !doc.Exists {
		return nil
	}
	if ref.Type == journal.BucketACL {
		a, err := parseACL(doc.Raw)
		if err != nil {
			return err
		}
		st.BucketACL = a
		return nil
	}
	pol, err := policy.Parse([]byte(doc.Raw))
	if err != nil {
		return fmt.Errorf("the %s that exists cannot be read, so it cannot be merged safely: %w", describe(ref), err)
	}
	st.SetPolicy(d.Key(), pol)
	return nil
}

// ReadFacts reads the owner's bucket settings: region, Object Ownership,
// default encryption (and whether its key is AWS-managed), Block Public
// Access at bucket and account level, and the owner's canonical ID.
func ReadFacts(ctx context.Context, owner *Account, bucket, planKey string) (plan.Facts, error) {
	region, err := BucketRegion(ctx, owner, bucket)
	if err != nil {
		return plan.Facts{Read: true}, err
	}
	f, _, err := factsIn(ctx, owner, bucket, region, nil)
	return f, err
}

// factsIn is ReadFacts for a bucket whose region is known (ListBuckets
// names it), with the bucket's ACL it reads on the way. acctBPA, when not
// nil, is the account's Block Public Access already read (it is the same
// for every bucket).
func factsIn(
	ctx context.Context, owner *Account, bucket, region string, acctBPA *plan.PublicAccessBlock,
) (plan.Facts, *policy.ACL, error) {
	f, err := bucketFacts(ctx, owner, bucket, region, acctBPA)
	if err != nil {
		return f, nil, err
	}
	acl, err := ReadBucketACL(ctx, owner.S3(region), bucket, owner.ID)
	if err != nil {
		return f, nil, fmt.Errorf("read the ACL of %s: %w", bucket, err)
	}
	f.BucketOwnerID = acl.Owner
	return f, acl, nil
}

func bucketFacts(
	ctx context.Context, owner *Account, bucket, region string, acctBPA *plan.PublicAccessBlock,
) (plan.Facts, error) {
	f := plan.Facts{Read: true, BucketRegion: region}
	var err error
	c := owner.S3(region)
	if f.ObjectOwnership, err = ReadOwnership(ctx, c, bucket, owner.ID); err != nil {
		return f, fmt.Errorf("read Object Ownership of %s: %w", bucket, err)
	}
	if err := readEncryption(ctx, owner, c, bucket, &f); err != nil {
		return f, err
	}
	if f.BucketBPA, err = bucketBPA(ctx, c, bucket, owner.ID); err != nil {
		return f, fmt.Errorf("read Block Public Access of %s: %w", bucket, err)
	}
	if acctBPA != nil {
		f.AccountBPA = *acctBPA
		return f, nil
	}
	if f.AccountBPA, err = accountBPA(ctx, owner.S3Control(region), owner.ID); err != nil {
		return f, fmt.Errorf("read the account's Block Public Access: %w", err)
	}
	return f, nil
}

// BucketRegion finds the bucket's region with HeadBucket, checking that the
// owner account owns it.
func BucketRegion(ctx context.Context, owner *Account, bucket string) (string, error) {
	region, err := headBucketRegion(ctx, owner, bucket)
	if err != nil {
		if httpStatus(err) == 404 || ErrorCode(err) == "NotFound" {
			return "", fmt.Errorf("bucket %s does not exist (HeadBucket as %s): check --bucket", bucket, owner.ID)
		}
		if httpStatus(err) == 403 {
			return "", fmt.Errorf("bucket %s is not owned by %s or the owner profile may not read it "+
				"(HeadBucket: %w)", bucket, owner.ID, err)
		}
		return "", fmt.Errorf("HeadBucket %s: %w", bucket, err)
	}
	return region, nil
}

// headBucketRegion asks HeadBucket for the bucket's region, following S3's
// redirect when asked in the wrong region; the error is the SDK's.
func headBucketRegion(ctx context.Context, owner *Account, bucket string) (string, error) {
	in := &s3.HeadBucketInput{Bucket: &bucket, ExpectedBucketOwner: &owner.ID}
	out, err := owner.S3("").HeadBucket(ctx, in)
	if r := redirectRegion(err); r != "" {
		// Asked in the wrong region: S3 answers 301 and names the right one.
		out, err = owner.S3(r).HeadBucket(ctx, in)
	}
	if err != nil {
		return "", err
	}
	return cmp.Or(sdk.ToString(out.BucketRegion), "us-east-1"), nil
}

// redirectRegion is the region S3 names when a bucket was asked for in
// another region (301 with x-amz-bucket-region), or "".
func redirectRegion(err error) string {
	var re *smithyhttp.ResponseError
	if err == nil || !errors.As(err, &re) || re.Response == nil {
		return ""
	}
	return re.Response.Header.Get("X-Amz-Bucket-Region")
}

// readEncryption reads the bucket's default encryption into f. A denied
// read does not stop the plan: the owner profile may lack
// s3:GetEncryptionConfiguration or kms:DescribeKey, and the wizard has
// already asked for the key. f.SSEUnread then says what could not be read,
// and the plan warns that the KMS key is the user's answer alone. A key
// named by bare ID or ARN whose DescribeKey is denied is still known by its
// ARN (in the owner's account, region and partition); an alias is not.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
func readEncryption(ctx context.Context, owner *Account, c S3API, bucket string, f *plan.Facts) error {
	in := &s3.GetBucketEncryptionInput{Bucket: &bucket, ExpectedBucketOwner: &owner.ID}
	out, err := c.GetBucketEncryption(ctx, in)
	if err != nil {
		switch {
		case IsNotSet(err):
			return nil
		case deniedErr(err):
			f.SSEUnread = "GetBucketEncryption " + failure(err)
			return nil
		}
		return fmt.Errorf("read default encryption of %s: %w", bucket, err)
	}
	if out.ServerSideEncryptionConfiguration == nil || len(out.ServerSideEncryptionConfiguration.Rules) == 0 {
		return nil
	}
	def := out.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault
	if def == nil {
		return nil
	}
	f.SSEAlgorithm = string(def.SSEAlgorithm)
	if !strings.HasPrefix(f.SSEAlgorithm, "aws:kms") {
		return nil
	}
	keyID := sdk.ToString(def.KMSMasterKeyID)
	if keyID == "" {
		f.SSEAWSManagedKey = true // no key ID: the AWS-managed aws/s3 key
		return nil
	}
	arn, managed, err := DescribeKey(ctx, owner, keyID, f.BucketRegion)
	switch {
	case err == nil:
		f.SSEKeyARN, f.SSEAWSManagedKey = arn, managed
	case deniedErr(err):
		// Whether the key is AWS managed is unknown without DescribeKey.
		f.SSEKeyARN = keyARN(keyID, owner.ID, f.BucketRegion)
		f.SSEUnread = "the bucket names key " + keyID + " and kms:DescribeKey " + failure(err)
	default:
		return fmt.Errorf("describe the bucket's key %s: %w", keyID, err)
	}
	return nil
}

// deniedErr reports an AWS error that is a denial (403 or a denial code).
func deniedErr(err error) bool {
	return isDenied(ErrorCode(err)) || httpStatus(err) == http.StatusForbidden
}

// DescribeKey returns a key's ARN and whether AWS manages it.
func DescribeKey(ctx context.Context, acct *Account, keyID, region string) (string, bool, error) {
	if r := keyRegion(keyID); r != "" {
		region = r
	}
	out, err := acct.KMS(region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &keyID})
	if err != nil {
		return "", false, err
	}
	md := out.KeyMetadata
	return sdk.ToString(md.Arn), md.KeyManager == "AWS", nil
}

func bucketBPA(ctx context.Context, c S3API, bucket, owner string) (plan.PublicAccessBlock, error) {
	out, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: &bucket, ExpectedBucketOwner: &owner})
	if err != nil || out.PublicAccessBlockConfiguration == nil {
		return plan.PublicAccessBlock{}, notSetIsNil(err)
	}
	b := out.PublicAccessBlockConfiguration
	return plan.PublicAccessBlock{
		BlockPublicAcls: sdk.ToBool(b.BlockPublicAcls), IgnorePublicAcls: sdk.ToBool(b.IgnorePublicAcls),
		BlockPublicPolicy: sdk.ToBool(b.BlockPublicPolicy), RestrictPublicBuckets: sdk.ToBool(b.RestrictPublicBuckets),
	}, nil
}

func accountBPA(ctx context.Context, c S3ControlAPI, account string) (plan.PublicAccessBlock, error) {
	out, err := c.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: &account})
	if err != nil || out.PublicAccessBlockConfiguration == nil {
		return plan.PublicAccessBlock{}, notSetIsNil(err)
	}
	b := out.PublicAccessBlockConfiguration
	return plan.PublicAccessBlock{
		BlockPublicAcls: sdk.ToBool(b.BlockPublicAcls), IgnorePublicAcls: sdk.ToBool(b.IgnorePublicAcls),
		BlockPublicPolicy: sdk.ToBool(b.BlockPublicPolicy), RestrictPublicBuckets: sdk.ToBool(b.RestrictPublicBuckets),
	}, nil
}

func notSetIsNil(err error) error {
	if err == nil || IsNotSet(err) {
		return nil
	}
	return err
}

// checkPrincipals makes sure every named consumer role or user exists
// before anything is written: an inline policy needs its principal.
func checkPrincipals(ctx context.Context, p *plan.Plan, accts Accounts) error {
	for _, arn := range p.Spec.ConsumerPrincipals {
		acctID := awsarn.AccountOf(arn)
		acct := accts.For(acctID)
		if acct == nil {
			return fmt.Errorf("consumer principal %s: account %s is not connected "+
				"(give a --consumer-profile for it)", arn, acctID)
		}
		name := lastSegment(arn)
		var err error
		if strings.Contains(arn, ":user/") {
			_, err = acct.IAM().GetUser(ctx, &iam.GetUserInput{UserName: &name})
		} else {
			_, err = acct.IAM().GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
		}
		if IsNotSet(err) {
			return fmt.Errorf("consumer principal %s does not exist in %s: "+
				"create it first, or name another with --consumer-principal", arn, acctID)
		}
		if err != nil {
			return fmt.Errorf("check consumer principal %s: %w", arn, err)
		}
	}
	return nil
}
