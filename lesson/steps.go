package lesson

import "fmt"

// Steps is the course, in order.
func Steps() []Step {
	return []Step{stepNothing(), stepOwnerHalf(), stepBothHalves(), stepRole(), stepAccessPoint(), stepKMS(), stepACL()}
}

// crossAccountPage is AWS's page on policy evaluation across accounts.
const crossAccountPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html" //nolint:lll // URL

func read(key string, expect Decision, because string) Req {
	return Req{Op: GetObject, Key: key, Expect: expect, Because: because}
}

func stepNothing() Step {
	return Step{
		Number: 1, Title: "No grant: the consumer is denied",
		Stages: []Stage{{
			Title:    "Nothing applied",
			Requests: []Req{read(Report, Denied, "bucket policy")},
			Note: "The bucket belongs to another account and no document of either account says yes: " +
				"an implicit deny.",
		}},
		Rule: "Across accounts, a request is allowed only when the owner's resource policy " +
			"AND the caller's identity policy both allow it; with neither, it is denied.",
		Link: crossAccountPage,
	}
}

func stepOwnerHalf() Step {
	return Step{
		Number: 2, Title: "Only the owner's half: still denied",
		Stages: []Stage{{
			Title:    "The owner's bucket policy names the consumer's role",
			Apply:    []Doc{ownerHalf(consumerRoleARN)},
			Requests: []Req{read(Report, Denied, "identity")},
			Note: "The bucket now says yes, but the consumer's own account has not given its role any S3 permission: " +
				"its identity policy decides no.",
		}},
		Rule: "A bucket policy that names a principal in another account is only half a grant: " +
			"that account must also allow the action in the principal's identity policy.",
		Link: crossAccountPage,
	}
}

func stepBothHalves() Step {
	return Step{
		Number: 3, Title: "Both halves: allowed, and only what both allow",
		Stages: []Stage{
			{
				Title: "The consumer's identity policy allows reports/",
				Apply: []Doc{unchanged(ownerHalf(consumerRoleARN)), consumerHalf(readReports(nil)...)},
				Requests: []Req{
					read(Report, Allowed, ""),
					read(Export, Denied, "no statement allows"),
					{Op: ListObjects, Prefix: "reports/", Expect: Allowed},
					{Op: ListObjects, Prefix: "exports/", Expect: Denied, Because: "ListReports"},
					{Op: GetObject, Key: Report, PlainHTTP: true, Expect: Denied, Because: "DenyInsecureTransport"},
				},
				Note: "reports/ is allowed by both halves. exports/ is outside every statement's Resource, " +
					"and the listing's s3:prefix condition only matches reports/. " +
					"Plain HTTP meets the owner's explicit Deny, which wins over every Allow.",
			},
		},
		Rule: "The grant is the intersection of both halves, narrowed by Resource and conditions such as s3:prefix, " +
			"and an explicit Deny (here: no TLS) beats any Allow.",
		Link: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
	}
}

// Command is the request in the AWS CLI's words, so a learner can send it
// again by hand against `s3grant sandbox serve`.
func Command(r Req) string {
	if r.AsOwner {
		r.AsOwner = false
		return "(as the owner's admin) " + Command(r)
	}
	scheme := ""
	if r.PlainHTTP {
		scheme = "  # over plain http://"
	}
	switch r.Op {
	case GetObject:
		prefix := ""
		if r.ViaRole {
			prefix = "(as role " + OwnerRole + ") "
			if r.ExternalID != "" {
				prefix = "(as role " + OwnerRole + ", assumed with --external-id " + r.ExternalID + ") "
			}
		}
		return fmt.Sprintf("%saws s3api get-object --bucket %s --key %s out%s", prefix, Bucket, r.Key, scheme)
	case GetViaAPAlias:
		return fmt.Sprintf("aws s3api get-object --bucket %s --key %s out", r.AccessPoint, r.Key)
	case ListObjects:
		return fmt.Sprintf("aws s3api list-objects-v2 --bucket %s --prefix %s", Bucket, r.Prefix)
	case AssumeRole:
		s := fmt.Sprintf("aws sts assume-role --role-arn %s --role-session-name lesson", ownerRoleARN)
		if r.ExternalID != "" {
			s += " --external-id " + r.ExternalID
		}
		return s
	case PutObjectACL:
		if r.ACL == "" {
			return fmt.Sprintf("aws s3api put-object --bucket %s --key %s --body file", Bucket, r.Key)
		}
		return fmt.Sprintf("aws s3api put-object --bucket %s --key %s --body file --acl %s", Bucket, r.Key, r.ACL)
	}
	return string(r.Op)
}
