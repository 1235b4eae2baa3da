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

// checkPartition refuses an ARN from another partition than the region's:
// IAM principals and keys of one partition cannot be used in another, so a
// mixed spec would write documents AWS rejects or that never match.
// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
func (s Spec) checkPartition(field, value, example string) *FieldError {
	got, want := arn.PartitionOf(value), s.Partition()
	if got == want {
		return nil
	}
	region := "no --region (the aws partition)"
	if s.Region != "" {
		region = "--region " + s.Region + " (partition " + want + ")"
	}
	return fieldErr(field, example, "%s is in partition %s but the spec has %s: "+
		"every ARN must be in the region's partition; give an ARN in %s or the matching --region",
		value, got, region, want)
}

// regionOr returns the spec's region, or def when none is given.
func (s Spec) regionOr(def string) string {
	if s.Region == "" {
		return def
	}
	return s.Region
}
