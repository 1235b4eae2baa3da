package plan

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// warnings are what the user must know before applying the plan.
func warnings(s spec.Spec, state *State, p *Plan) []policy.Finding {
	var out []policy.Finding
	add := func(code string, sev policy.Severity, format string, a ...any) {
		out = append(out, policy.Finding{Code: code, Severity: sev, Message: fmt.Sprintf(format, a...)})
	}
	if s.Method == spec.MethodACL {
		add("acl-legacy", policy.SevHigh,
			"ACLs are a legacy access model: "+
				"AWS recommends keeping them disabled (Object Ownership BucketOwnerEnforced). "+
				"Apply needs ACLs enabled on the bucket; "+
				"if they are disabled it stops unless --allow-acl-downgrade is given and confirmed. "+
				"Prefer --method bucket-policy.")
	}
	for _, acct := range s.ConsumerAccounts {
		if len(s.PrincipalsIn(acct)) == 0 {
			add("whole-account-grant", policy.SevWarning,
				"account %s is granted as a whole: any role or user its administrators allow gets in. "+
					"Name principals with --consumer-principal to narrow it.", acct)
		}
	}
	if !s.RequireTLS() {
		add("tls-not-required", policy.SevWarning,
			"--no-require-tls: the bucket policy will not deny plain-HTTP requests.")
	}
	out = append(out, keyWarnings(s, state)...)
	if s.Access.Lists() && !s.WholeBucket() {
		add("prefix-listing", policy.SevInfo,
			"listing is limited to %s: `aws s3 ls s3://%s/` (the bucket root) is denied; "+
				"list with the prefix, e.g. `aws s3 ls s3://%s/%s`.",
			strings.Join(s.Prefixes, ", "), s.Bucket, s.Bucket, s.Prefixes[0])
	}
	if s.Method == spec.MethodIAMRole {
		add("role-chaining", policy.SevInfo,
			"a consumer that assumes this role from another role's session (role chaining) "+
				"gets at most 1 hour per session.")
		if s.ExternalID == "" {
			add("no-external-id", policy.SevInfo,
				"no --external-id: add one when the consumer is a third party acting for several customers "+
					"(it prevents the confused deputy); it is not a secret.")
		}
	}
	if s.APOwnerIsConsumer() && len(s.ConsumerPrincipals) > 0 {
		add("consumer-owned-access-point", policy.SevInfo,
			"the consumer owns the access point and its policy (account %s): "+
				"the bucket policy names the consumer's principals and the access point, "+
				"so what the consumer adds to its own access point policy reaches nothing else in the bucket.",
			s.ConsumerAccounts[0])
	}
	if s.Access.Writes() && s.Method != spec.MethodACL && !state.Facts.Read {
		// Known settings are checked by checkOwnership; unknown ones must be
		// checked by hand before apply.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
		add("object-ownership", policy.SevHigh,
			"CHECK Object Ownership before applying: it was not read (use --live). "+
				"Unless bucket %s is BucketOwnerEnforced, "+
				"objects the consumer writes belong to the consumer and the owner cannot read them. "+
				"Check with: aws s3api get-bucket-ownership-controls --bucket %s",
			s.Bucket, s.Bucket)
	}
	if !state.Known {
		add("state-not-read", policy.SevInfo,
			"current documents were not read from AWS: each document is shown as s3grant's statements alone; "+
				"apply re-reads and merges with what exists.")
	}
	return out
}

func keyWarnings(s spec.Spec, state *State) []policy.Finding {
	var out []policy.Finding
	f := state.Facts
	if f.Read && f.SSEAWSManagedKey && s.Method != spec.MethodIAMRole {
		out = append(out, policy.Finding{
			Code: "aws-managed-key", Severity: policy.SevHigh,
			Message: "the bucket encrypts with the AWS-managed aws/s3 key, " +
				"which cannot be shared with another account: " +
				"the consumer will be denied on objects it encrypts. " +
				"Use --method iam-role, or re-encrypt with a customer managed key.",
		})
	}
	needsKey := s.KMSKey == "" && s.Access != spec.AccessList && s.Method != spec.MethodIAMRole
	if f.Read && f.SSEUnread != "" && f.SSEKeyARN == "" && needsKey {
		out = append(out, policy.Finding{
			Code: "encryption-not-read", Severity: policy.SevWarning,
			Message: "the bucket's default encryption could not be read (" + f.SSEUnread + "), " +
				"so s3grant cannot tell whether the consumer also needs a KMS key: " +
				"if objects are encrypted with a customer managed key, give it with --kms-key; " +
				"with the AWS-managed aws/s3 key, only --method iam-role works for them.",
		})
	}
	if !f.Read && needsKey {
		out = append(out, policy.Finding{
			Code: "aws-managed-key", Severity: policy.SevInfo,
			Message: "if objects are encrypted with the AWS-managed aws/s3 key, " +
				"only --method iam-role works for them; " +
				"with a customer managed key, give it with --kms-key.",
		})
	}
	if f.Read && f.SSEKeyARN != "" && !f.SSEAWSManagedKey && s.KMSKey == "" {
		out = append(out, policy.Finding{
			Code: "kms-key-not-given", Severity: policy.SevWarning,
			Message: fmt.Sprintf("the bucket encrypts with %s but no --kms-key was given: "+
				"the consumer will be denied on those objects.", f.SSEKeyARN),
		})
	}
	if s.KMSKey != "" && s.Access == spec.AccessList {
		out = append(out, policy.Finding{
			Code: "kms-not-needed", Severity: policy.SevInfo,
			Message: "--access list does not read or write objects, so the key is not changed.",
		})
	}
	return out
}
