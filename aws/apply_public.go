package aws

import (
	"context"
	"fmt"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3grant/s3grant/journal"
)

// PolicyStatus is what S3 says, after an apply, about whether a bucket's
// policy makes it public (GetBucketPolicyStatus). Public is nil when it
// could not be checked; Note then says why.
type PolicyStatus struct {
	Bucket  string `json:"bucket"`
	Checked bool   `json:"checked"`
	Public  *bool  `json:"is_public"`
	Note    string `json:"note,omitempty"`
}

// IsPublic reports a bucket S3 called public.
func (s PolicyStatus) IsPublic() bool { return s.Public != nil && *s.Public }

// CheckPolicyStatus asks S3 whether the bucket's policy is public. It never
// fails: a bucket with no policy is not public, and an error or an answer
// without IsPublic (emulators that do not implement the call) means it
// could not be checked, which Note explains.
func CheckPolicyStatus(ctx context.Context, owner *Account, bucket, region string) PolicyStatus {
	st := PolicyStatus{Bucket: bucket}
	in := &s3.GetBucketPolicyStatusInput{Bucket: &bucket, ExpectedBucketOwner: &owner.ID}
	out, err := owner.S3(region).GetBucketPolicyStatus(ctx, in)
	switch {
	case err != nil && ErrorCode(err) == "NoSuchBucketPolicy":
		st.Checked, st.Public = true, sdk.Bool(false)
	case err != nil && isUnsupported(err):
		st.Note = fmt.Sprintf("could not check whether the bucket policy is public: "+
			"this endpoint does not implement GetBucketPolicyStatus (%s)", shortErr(err))
	case err != nil:
		st.Note = fmt.Sprintf("could not check whether the bucket policy is public: "+
			"GetBucketPolicyStatus failed (%s); run aws s3api get-bucket-policy-status --bucket %s",
			shortErr(err), bucket)
	case out.PolicyStatus == nil || out.PolicyStatus.IsPublic == nil:
		st.Note = "could not check whether the bucket policy is public: " +
			"GetBucketPolicyStatus answered without IsPublic (this endpoint does not implement it)"
	default:
		st.Checked, st.Public = true, sdk.Bool(*out.PolicyStatus.IsPublic)
	}
	if st.IsPublic() {
		st.Note = "S3 says the bucket policy of " + bucket + " is PUBLIC: " +
			"anyone may use what its public statements allow, and RestrictPublicBuckets would cut off " +
			"every other account. Remove or condition the statements with Principal \"*\" " +
			"(s3grant audit --bucket " + bucket + " lists them)"
	}
	return st
}

func isUnsupported(err error) bool {
	switch ErrorCode(err) {
	case "NotImplemented", "NotImplementedException", "UnsupportedOperation", "InvalidAction",
		"UnknownOperationException":
		return true
	}
	return httpStatus(err) == 501
}

// checkPublic asks about every bucket of the owner account whose policy or
// settings the run touched (the plan's bucket, a log bucket), once each.
func checkPublic(ctx context.Context, run *journal.Run, accts Accounts) []PolicyStatus {
	if accts.Owner == nil {
		return nil
	}
	var out []PolicyStatus
	seen := map[string]bool{}
	for _, ent := range run.Entries {
		r := ent.Ref
		if r.AccountID != accts.Owner.ID || r.Bucket == "" || seen[r.Bucket] {
			continue
		}
		seen[r.Bucket] = true
		out = append(out, CheckPolicyStatus(ctx, accts.Owner, r.Bucket, r.Region))
	}
	return out
}
