package aws

import (
	"strings"

	"github.com/s3grant/s3grant/wizard"
)

// Failure classes of a probe.
const (
	ClassIdentity    = "identity side"
	ClassBucket      = "bucket side"
	ClassKMS         = "KMS"
	ClassBPA         = "Block Public Access"
	ClassOwnership   = "object ownership"
	ClassPropagation = "propagation"
	ClassNotFound    = "not found"
	ClassOther       = "other"
)

// Classify says which side refused a probe and what to do next. facts are
// the bucket's settings (may be zero); principal is the consumer identity.
func Classify(err error, facts wizard.Facts, principal string) (class, next string) {
	code, msg := ErrorCode(err), errMessage(err)
	low := strings.ToLower(msg)
	switch {
	case code == "AccessControlListNotSupported":
		return ClassOwnership, "ACLs are disabled (BucketOwnerEnforced): drop the x-amz-acl header, or use --method bucket-policy"
	case strings.HasPrefix(code, "KMS.") || strings.Contains(low, "kms:") || strings.Contains(low, "kms key") || code == "KMSAccessDenied":
		if facts.SSEAWSManagedKey {
			return ClassKMS, "objects use the AWS-managed aws/s3 key, which no other account can use: switch to --method iam-role or re-encrypt with a customer managed key"
		}
		return ClassKMS, "the key policy must allow the consumer (kms:Decrypt, and kms:GenerateDataKey to write) and the consumer's identity policy must allow the key ARN: re-run the plan with --kms-key"
	case strings.Contains(low, "public access") || strings.Contains(low, "block public"):
		return ClassBPA, "Block Public Access refuses a public policy: name principals instead of \"*\" or bind \"*\" to a fixed condition (aws:PrincipalOrgID, s3:DataAccessPointAccount)"
	case code == "NoSuchBucket":
		return ClassNotFound, "the bucket does not exist under this name: check --bucket"
	case code == "NoSuchKey", code == "NotFound" && !isDenied(code):
		return ClassNotFound, "the key does not exist (nothing to read there yet); access itself may be fine"
	case code == "PermanentRedirect", code == "AuthorizationHeaderMalformed", code == "IllegalLocationConstraintException":
		return ClassBucket, "the bucket is in another region: set --region to the bucket's region"
	}
	if !isDenied(code) && httpStatus(err) != 403 {
		if IsTransient(err) {
			return ClassOther, "AWS failed temporarily: run verify again"
		}
		return ClassOther, "see the error; run with the AWS CLI to compare: aws s3api ... --profile consumer"
	}
	return classifyDenied(low, facts, principal)
}

func isDenied(code string) bool {
	return code == "AccessDenied" || code == "AccessDeniedException" || code == "Forbidden" || code == "403"
}

// classifyDenied reads AccessDenied messages: AWS names the policy type that
// denied ("no identity-based policy allows", "explicit deny in a
// resource-based policy", "service control policy").
func classifyDenied(low string, facts wizard.Facts, principal string) (string, string) {
	switch {
	case strings.Contains(low, "sts:assumerole"):
		return ClassIdentity, "the consumer's identity policy must allow sts:AssumeRole on the role and the role's trust policy must name " + principal +
			" (with the ExternalId when one is set); a role created minutes ago may not be assumable yet: retry in a minute"
	case strings.Contains(low, "service control policy") || strings.Contains(low, "permissions boundary") || strings.Contains(low, "session policy"):
		return ClassIdentity, "an SCP, permissions boundary or session policy in the consumer account denies it: ask the consumer's administrators"
	case strings.Contains(low, "identity-based policy"):
		return ClassIdentity, "the consumer's identity policy does not allow it: attach s3grant's policy to " + principal
	case strings.Contains(low, "resource-based policy") || strings.Contains(low, "access point policy"):
		return ClassBucket, "the bucket (or access point) policy does not allow it: re-run s3grant apply and check for a Deny statement in the bucket policy"
	case facts.ObjectOwnership == "ObjectWriter":
		return ClassOwnership, "with Object Ownership ObjectWriter, objects uploaded by other accounts belong to them and the bucket policy cannot grant them: set BucketOwnerEnforced"
	case facts.AccountBPA.RestrictPublicBuckets || facts.BucketBPA.RestrictPublicBuckets:
		return ClassBPA, "RestrictPublicBuckets blocks all cross-account access while the bucket policy is public: remove public statements"
	}
	return ClassPropagation, "access denied without detail: if the grant was applied in the last minutes, wait and run verify again; " +
		"otherwise check both halves: the consumer's identity policy and the bucket policy (s3grant check PLAN.json)"
}
