package arn

// Resource ARN formats: S3
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-resources-for-iam-policies
// IAM and STS
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
// KMS
// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN

// Bucket returns arn:P:s3:::BUCKET.
func Bucket(partition, bucket string) string {
	return ARN{Partition: partition, Service: "s3", Resource: bucket}.String()
}

// Object returns arn:P:s3:::BUCKET/KEY (KEY may be a pattern such as "*").
func Object(partition, bucket, key string) string { return Bucket(partition, bucket) + "/" + key }

// AccessPoint returns arn:P:s3:REGION:ACCOUNT:accesspoint/NAME.
func AccessPoint(partition, region, account, name string) string {
	return ARN{
		Partition: partition, Service: "s3", Region: region, Account: account,
		Resource: "accesspoint/" + name,
	}.String()
}

// IAM returns arn:P:iam::ACCOUNT:RESOURCE, e.g. Role, User, Root and Policy
// below; ACCOUNT "aws" names an AWS managed policy.
func IAM(partition, account, resource string) string {
	return ARN{Partition: partition, Service: "iam", Account: account, Resource: resource}.String()
}

// Role returns arn:P:iam::ACCOUNT:role/NAME (NAME may carry a path).
func Role(partition, account, name string) string { return IAM(partition, account, "role/"+name) }

// User returns arn:P:iam::ACCOUNT:user/NAME.
func User(partition, account, name string) string { return IAM(partition, account, "user/"+name) }

// Root returns arn:P:iam::ACCOUNT:root, the account principal.
func Root(partition, account string) string { return IAM(partition, account, "root") }

// Policy returns arn:P:iam::ACCOUNT:policy/NAME, a customer managed policy.
func Policy(partition, account, name string) string { return IAM(partition, account, "policy/"+name) }

// ManagedPolicy returns arn:P:iam::aws:policy/NAME, an AWS managed policy.
func ManagedPolicy(partition, name string) string { return IAM(partition, "aws", "policy/"+name) }

// AssumedRole returns arn:P:sts::ACCOUNT:assumed-role/ROLE/SESSION.
func AssumedRole(partition, account, role, session string) string {
	return ARN{
		Partition: partition, Service: "sts", Account: account,
		Resource: "assumed-role/" + role + "/" + session,
	}.String()
}

// Key returns arn:P:kms:REGION:ACCOUNT:key/ID.
func Key(partition, region, account, id string) string {
	return ARN{
		Partition: partition, Service: "kms", Region: region, Account: account,
		Resource: "key/" + id,
	}.String()
}

// Alias returns arn:P:kms:REGION:ACCOUNT:alias/NAME (NAME without "alias/").
func Alias(partition, region, account, name string) string {
	return ARN{
		Partition: partition, Service: "kms", Region: region, Account: account,
		Resource: "alias/" + name,
	}.String()
}
