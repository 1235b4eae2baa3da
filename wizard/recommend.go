// Package wizard is the wizard without a terminal: the question table that
// drives both the full-screen form and the line-by-line accessible flow, the
// answers, the method recommendation, the AWS profile names and the
// instructions for the consumer. It imports neither charm nor the AWS SDK.
package wizard

import (
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// MethodInfo is what the method screen says about a method.
type MethodInfo struct {
	Title   string
	Summary string
	Writes  string
	PickIf  string
	Avoid   string
}

// MethodInfos describes each method for the method screen.
func MethodInfos() map[spec.Method]MethodInfo {
	return map[spec.Method]MethodInfo{
		spec.MethodBucketPolicy: {
			Title:   "Bucket policy",
			Summary: "The bucket policy names the consumer; the consumer's identity policy allows the same requests.",
			Writes: "Owner: statements in the bucket policy. " +
				"Consumer: an identity policy pinned to the owner account with s3:ResourceAccount.",
			PickIf: "The default: the simplest grant, visible on both sides, no extra resources.",
			Avoid:  "Objects encrypted with the AWS-managed aws/s3 key cannot be read cross-account this way.",
		},
		spec.MethodIAMRole: {
			Title:   "IAM role to assume",
			Summary: "A role in the owner account with S3 permissions; the consumer assumes it and acts as the owner.",
			Writes: "Owner: a role with a trust policy (optionally with an ExternalId) and a permission policy. " +
				"Consumer: sts:AssumeRole.",
			PickIf: "Objects use the AWS-managed aws/s3 key, or the consumer is a third party (ExternalId).",
			Avoid:  "Sessions from role chaining last at most 1 hour; the consumer must switch credentials.",
		},
		spec.MethodAccessPoint: {
			Title: "Access point",
			Summary: "An S3 access point with its own policy; " +
				"the bucket policy delegates access control to access points.",
			Writes: "An access point (in the owner's account, or the consumer's for cross-account) with its policy, " +
				"and the delegation statement.",
			PickIf: "Several consumers need different views of one bucket, " +
				"or the bucket policy is near its size limit.",
			Avoid: "Needs the bucket's region; clients must address the access point ARN or alias.",
		},
		spec.MethodACL: {
			Title:   "ACL (legacy)",
			Summary: "Bucket ACL grants to the consumer's canonical user ID.",
			Writes:  "Owner: the bucket ACL with the grants added (the owner's FULL_CONTROL kept).",
			PickIf:  "Only when something forces you to: AWS recommends keeping ACLs disabled.",
			Avoid: "Cannot grant reading objects, cannot be limited to prefixes, " +
				"and needs ACLs enabled on the bucket.",
		},
	}
}

// RecommendMethod picks the method to suggest from what is known, with the
// reason shown to the user.
func RecommendMethod(s spec.Spec, facts *plan.Facts) (spec.Method, string) {
	switch {
	case facts != nil && facts.Read && facts.SSEAWSManagedKey:
		return spec.MethodIAMRole, "the bucket encrypts with the AWS-managed aws/s3 key, " +
			"which only principals of the owner account can use"
	case s.ExternalID != "":
		return spec.MethodIAMRole, "an ExternalId was given: the consumer is a third party that assumes a role"
	case len(s.ConsumerAccounts) > 1:
		return spec.MethodAccessPoint, "several consumer accounts: " +
			"an access point keeps their grants out of the bucket policy"
	case facts != nil && facts.Read:
		return spec.MethodBucketPolicy, "the bucket's settings allow the simplest grant"
	}
	return spec.MethodBucketPolicy, "the simplest grant; nothing known about the bucket asks for another"
}
