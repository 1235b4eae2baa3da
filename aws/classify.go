package aws

import (
	"errors"
	"strings"

	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/s3grant/s3grant/plan"
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
	ClassNotApplied  = "grant not in place"
	ClassOther       = "other"
)

// ReasonHeader carries the s3grant sandbox's explanation of a denial, one
// header per reason of its policy evaluator ("[bucket] bucket policy ...:
// no statement allows ..."). AWS sends nothing like it.
const ReasonHeader = "X-S3grant-Reason"

// DenialReasons returns the sandbox's reasons for a failed call (nil from
// AWS). They matter most for HEAD requests, whose 403 has no body at all.
func DenialReasons(err error) []string {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header.Values(ReasonHeader)
	}
	return nil
}

// Classify says which side refused a probe and what to do next. facts are
// the bucket's settings (may be zero); principal is the consumer identity.
// The text read is the error message plus the sandbox's reasons when
// present.
func Classify(err error, facts plan.Facts, principal string) (class, next string) {
	code := ErrorCode(err)
	low := strings.ToLower(errMessage(err) + "\n" + strings.Join(DenialReasons(err), "\n"))
	switch {
	case code == "AccessControlListNotSupported":
		return ClassOwnership, "ACLs are disabled (BucketOwnerEnforced): drop the x-amz-acl header, " +
			"or use --method bucket-policy"
	case code == "NoSuchBucket":
		return ClassNotFound, "the bucket does not exist under this name: check --bucket"
	case code == "NoSuchAccessPoint":
		return ClassNotFound, "the access point does not exist (or not in this region): " +
			"run s3grant apply, check --access-point and --region"
	case code == "NoSuchKey", code == "NotFound":
		// HEAD requests carry no error body: the SDK names a 404 NotFound,
		// for a missing key (HeadObject) or bucket (HeadBucket) alike.
		return ClassNotFound, "nothing exists under this name (the key, or for HeadBucket the bucket): " +
			"access itself may be fine; put an object there to prove reads"
	case code == "PermanentRedirect", code == "MovedPermanently",
		code == "AuthorizationHeaderMalformed", code == "IllegalLocationConstraintException":
		return ClassBucket, "the bucket is in another region: set --region to the bucket's region"
	case isKMS(code, low):
		if facts.SSEAWSManagedKey {
			return ClassKMS, "objects use the AWS-managed aws/s3 key, which no other account can use: " +
				"switch to --method iam-role or re-encrypt with a customer managed key"
		}
		return ClassKMS, "the key policy must allow the consumer (kms:Decrypt, and kms:GenerateDataKey to write) " +
			"and the consumer's identity policy must allow the key ARN: re-run the plan with --kms-key"
	case strings.Contains(low, "block public access") || strings.Contains(low, "public access is blocked") ||
		strings.Contains(low, "restrictpublicbuckets") || strings.Contains(low, "public policies are blocked"):
		return ClassBPA, "Block Public Access refuses a public policy: name principals instead of \"*\" " +
			"or bind \"*\" to a fixed condition (aws:PrincipalOrgID, s3:DataAccessPointAccount)"
	}
	if !isDenied(code) && httpStatus(err) != 403 {
		if IsTransient(err) {
			return ClassOther, "AWS failed temporarily: run verify again"
		}
		return ClassOther, "see the error; run with the AWS CLI to compare: aws s3api ... --profile consumer"
	}
	return classifyDenied(low, facts, principal)
}

// isKMS reports a refusal by KMS: its own error codes, or S3's AccessDenied
// naming a kms: action or the key ("The ciphertext refers to a customer
// master key that does not exist, ... or you are not allowed to access"),
// or the sandbox's key stage.
func isKMS(code, low string) bool {
	return strings.HasPrefix(code, "KMS.") || code == "KMSAccessDenied" || code == "KMSAccessDeniedException" ||
		strings.Contains(low, "kms:") || strings.Contains(low, "kms key") ||
		strings.Contains(low, "customer master key") || strings.Contains(low, "[key]")
}

// isDenied reports a denial's code. S3 answers HEAD requests with a bare 403
// and no body, which the SDK names "Forbidden".
func isDenied(code string) bool {
	return code == "AccessDenied" || code == "AccessDeniedException" || code == "Forbidden" || code == "403"
}

// classifyDenied reads AccessDenied messages: AWS names the policy type that
// denied ("because no identity-based policy allows", "with an explicit deny
// in a resource-based policy", "... in a service control policy"), and the
// sandbox's reasons name the stage ("[bucket]", "[access point]",
// "[trust]"). A bare "Access Denied" (cross-account S3 denials, HEAD's 403)
// says nothing: it is never pinned on one side.
func classifyDenied(low string, facts plan.Facts, principal string) (string, string) {
	switch {
	case strings.Contains(low, "sts:assumerole") || strings.Contains(low, "[trust]"):
		return ClassIdentity, "the consumer's identity policy must allow sts:AssumeRole on the role " +
			"and the role's trust policy must name " + principal + " (with the ExternalId when one is set); " +
			"a role created minutes ago may not be assumable yet: retry in a minute"
	case strings.Contains(low, "service control policy") || strings.Contains(low, "permissions boundary") ||
		strings.Contains(low, "session policy"):
		return ClassIdentity, "an SCP, permissions boundary or session policy in the consumer account denies it: " +
			"ask the consumer's administrators"
	case strings.Contains(low, "resource control policy"):
		return ClassBucket, "a resource control policy of the owner's organization denies it: " +
			"ask the owner's administrators"
	case strings.Contains(low, "vpc endpoint policy"):
		return ClassIdentity, "the VPC endpoint the consumer goes through has a policy that does not allow it: " +
			"run verify from outside the VPC or widen the endpoint policy"
	case mentionsIdentity(low) && mentionsResource(low):
		return ClassNotApplied, "neither the consumer's identity policy nor the bucket (or access point) policy " +
			"allows it: the grant is not in place (never applied, or undone): run s3grant apply PLAN.json"
	case mentionsIdentity(low):
		return ClassIdentity, "the consumer's identity policy does not allow it: attach s3grant's policy to " +
			principal + " (s3grant apply does)"
	case mentionsResource(low):
		return ClassBucket, "the bucket (or access point) policy does not allow it: " +
			"re-run s3grant apply and check for a Deny statement in the bucket policy"
	case facts.ObjectOwnership == "ObjectWriter":
		return ClassOwnership, "with Object Ownership ObjectWriter, objects uploaded by other accounts " +
			"belong to them and the bucket policy cannot grant them: set BucketOwnerEnforced"
	}
	next := "access denied without detail (S3 names no policy for cross-account denials or HEAD requests): " +
		"if the grant was applied in the last minutes, wait and run verify again; " +
		"otherwise check both halves: the consumer's identity policy and the bucket policy (s3grant check PLAN.json)"
	if facts.AccountBPA.RestrictPublicBuckets || facts.BucketBPA.RestrictPublicBuckets {
		next += "; RestrictPublicBuckets is on, so a public bucket policy would also block every other account"
	}
	return ClassPropagation, next
}

// mentionsIdentity reports a denial by the identity side: AWS's "no
// identity-based policy allows", the sandbox's "identity policies: ...".
func mentionsIdentity(low string) bool {
	return strings.Contains(low, "identity-based policy") || strings.Contains(low, "identity polic")
}

// mentionsResource reports a denial by the resource side: AWS's "no
// resource-based policy allows", the sandbox's bucket or access point
// policy (or bucket ACL) reasons.
func mentionsResource(low string) bool {
	return strings.Contains(low, "resource-based policy") || strings.Contains(low, "access point policy") ||
		strings.Contains(low, "bucket policy") || strings.Contains(low, "bucket acl")
}
