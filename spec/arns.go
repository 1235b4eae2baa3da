package spec

import "github.com/s3grant/s3grant/arn"

// The ARNs a spec names, all in the partition of its region (package arn
// builds them), so no caller writes "arn:aws" by hand.

// Partition returns the ARN partition of the spec's region (aws when none).
func (s Spec) Partition() string { return arn.Partition(s.Region) }

// BucketARN returns the bucket's ARN.
func (s Spec) BucketARN() string { return arn.Bucket(s.Partition(), s.Bucket) }

// ObjectARN returns the ARN of key (or a key pattern) in the bucket.
func (s Spec) ObjectARN(key string) string { return arn.Object(s.Partition(), s.Bucket, key) }

// RoleARN returns the ARN of the IAM role the iam-role method creates in the
// owner account.
func (s Spec) RoleARN() string { return arn.Role(s.Partition(), s.OwnerAccount, s.RoleName) }

// AccessPointARN returns the ARN of the spec's access point in account.
func (s Spec) AccessPointARN(account string) string {
	return arn.AccessPoint(s.Partition(), s.Region, account, s.AccessPoint)
}

// RootARN returns the ARN of account's root principal.
func (s Spec) RootARN(account string) string { return arn.Root(s.Partition(), account) }

// IAMARN returns arn:PARTITION:iam::ACCOUNT:RESOURCE, e.g. a role or policy
// in one of the spec's accounts.
func (s Spec) IAMARN(account, resource string) string {
	return arn.IAM(s.Partition(), account, resource)
}
