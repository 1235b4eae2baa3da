package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// S3API holds the S3 calls s3grant makes; *s3.Client satisfies it.
type S3API interface {
	HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	PutBucketPolicy(context.Context, *s3.PutBucketPolicyInput, ...func(*s3.Options)) (*s3.PutBucketPolicyOutput, error)
	DeleteBucketPolicy(
		context.Context, *s3.DeleteBucketPolicyInput, ...func(*s3.Options),
	) (*s3.DeleteBucketPolicyOutput, error)
	GetBucketOwnershipControls(
		context.Context, *s3.GetBucketOwnershipControlsInput, ...func(*s3.Options),
	) (*s3.GetBucketOwnershipControlsOutput, error)
	PutBucketOwnershipControls(
		context.Context, *s3.PutBucketOwnershipControlsInput, ...func(*s3.Options),
	) (*s3.PutBucketOwnershipControlsOutput, error)
	DeleteBucketOwnershipControls(
		context.Context, *s3.DeleteBucketOwnershipControlsInput, ...func(*s3.Options),
	) (*s3.DeleteBucketOwnershipControlsOutput, error)
	GetBucketEncryption(
		context.Context, *s3.GetBucketEncryptionInput, ...func(*s3.Options),
	) (*s3.GetBucketEncryptionOutput, error)
	GetPublicAccessBlock(
		context.Context, *s3.GetPublicAccessBlockInput, ...func(*s3.Options),
	) (*s3.GetPublicAccessBlockOutput, error)
	GetBucketAcl(context.Context, *s3.GetBucketAclInput, ...func(*s3.Options)) (*s3.GetBucketAclOutput, error)
	PutBucketAcl(context.Context, *s3.PutBucketAclInput, ...func(*s3.Options)) (*s3.PutBucketAclOutput, error)
	GetBucketPolicyStatus(
		context.Context, *s3.GetBucketPolicyStatusInput, ...func(*s3.Options),
	) (*s3.GetBucketPolicyStatusOutput, error)
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(context.Context, *s3.DeleteObjectInput, ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// S3ControlAPI holds the S3 Control calls s3grant makes.
type S3ControlAPI interface {
	GetPublicAccessBlock(
		context.Context, *s3control.GetPublicAccessBlockInput, ...func(*s3control.Options),
	) (*s3control.GetPublicAccessBlockOutput, error)
	GetAccessPoint(
		context.Context, *s3control.GetAccessPointInput, ...func(*s3control.Options),
	) (*s3control.GetAccessPointOutput, error)
	CreateAccessPoint(
		context.Context, *s3control.CreateAccessPointInput, ...func(*s3control.Options),
	) (*s3control.CreateAccessPointOutput, error)
	DeleteAccessPoint(
		context.Context, *s3control.DeleteAccessPointInput, ...func(*s3control.Options),
	) (*s3control.DeleteAccessPointOutput, error)
	GetAccessPointPolicy(
		context.Context, *s3control.GetAccessPointPolicyInput, ...func(*s3control.Options),
	) (*s3control.GetAccessPointPolicyOutput, error)
	PutAccessPointPolicy(
		context.Context, *s3control.PutAccessPointPolicyInput, ...func(*s3control.Options),
	) (*s3control.PutAccessPointPolicyOutput, error)
	DeleteAccessPointPolicy(
		context.Context, *s3control.DeleteAccessPointPolicyInput, ...func(*s3control.Options),
	) (*s3control.DeleteAccessPointPolicyOutput, error)
}

// IAMAPI holds the IAM calls s3grant makes.
type IAMAPI interface {
	GetRole(context.Context, *iam.GetRoleInput, ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	CreateRole(context.Context, *iam.CreateRoleInput, ...func(*iam.Options)) (*iam.CreateRoleOutput, error)
	UpdateAssumeRolePolicy(
		context.Context, *iam.UpdateAssumeRolePolicyInput, ...func(*iam.Options),
	) (*iam.UpdateAssumeRolePolicyOutput, error)
	DeleteRole(context.Context, *iam.DeleteRoleInput, ...func(*iam.Options)) (*iam.DeleteRoleOutput, error)
	GetRolePolicy(context.Context, *iam.GetRolePolicyInput, ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	PutRolePolicy(context.Context, *iam.PutRolePolicyInput, ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error)
	DeleteRolePolicy(
		context.Context, *iam.DeleteRolePolicyInput, ...func(*iam.Options),
	) (*iam.DeleteRolePolicyOutput, error)
	GetUser(context.Context, *iam.GetUserInput, ...func(*iam.Options)) (*iam.GetUserOutput, error)
	GetUserPolicy(context.Context, *iam.GetUserPolicyInput, ...func(*iam.Options)) (*iam.GetUserPolicyOutput, error)
	PutUserPolicy(context.Context, *iam.PutUserPolicyInput, ...func(*iam.Options)) (*iam.PutUserPolicyOutput, error)
	DeleteUserPolicy(
		context.Context, *iam.DeleteUserPolicyInput, ...func(*iam.Options),
	) (*iam.DeleteUserPolicyOutput, error)
	GetPolicy(context.Context, *iam.GetPolicyInput, ...func(*iam.Options)) (*iam.GetPolicyOutput, error)
	GetPolicyVersion(
		context.Context, *iam.GetPolicyVersionInput, ...func(*iam.Options),
	) (*iam.GetPolicyVersionOutput, error)
	CreatePolicy(context.Context, *iam.CreatePolicyInput, ...func(*iam.Options)) (*iam.CreatePolicyOutput, error)
	CreatePolicyVersion(
		context.Context, *iam.CreatePolicyVersionInput, ...func(*iam.Options),
	) (*iam.CreatePolicyVersionOutput, error)
	ListPolicyVersions(
		context.Context, *iam.ListPolicyVersionsInput, ...func(*iam.Options),
	) (*iam.ListPolicyVersionsOutput, error)
	DeletePolicyVersion(
		context.Context, *iam.DeletePolicyVersionInput, ...func(*iam.Options),
	) (*iam.DeletePolicyVersionOutput, error)
	DeletePolicy(context.Context, *iam.DeletePolicyInput, ...func(*iam.Options)) (*iam.DeletePolicyOutput, error)
}

// KMSAPI holds the KMS calls s3grant makes.
type KMSAPI interface {
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error)
	PutKeyPolicy(context.Context, *kms.PutKeyPolicyInput, ...func(*kms.Options)) (*kms.PutKeyPolicyOutput, error)
}

// STSAPI holds the STS calls s3grant makes.
type STSAPI interface {
	GetCallerIdentity(
		context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options),
	) (*sts.GetCallerIdentityOutput, error)
	AssumeRole(context.Context, *sts.AssumeRoleInput, ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}
