package lesson

import (
	"encoding/json"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"
)

// The demo's names (the sandbox seeds the same ones).
const (
	Owner    = plan.ExOwner
	Consumer = plan.ExConsumer
	Bucket   = plan.ExBucket
	Region   = plan.ExRegion
	// ConsumerRole is the consumer's everyday role; the lesson acts as a
	// session of it.
	ConsumerRole = "analytics"
	// OwnerRole is the role step 4 creates in the owner's account.
	OwnerRole = "analytics-reader"
	// ExternalID is the secret step 4's trust policy asks for.
	ExternalID = "s3grant-lesson-7f3a"
	// KeyID is the sandbox's customer managed key in the owner's account.
	KeyID = "1234abcd-12ab-34cd-56ef-1234567890ab"
	// Report is the object the lesson reads.
	Report = "reports/q1.csv"
	// Export is an object under the prefix the grant leaves out.
	Export = "exports/daily/2026-01-02.json"
	// Encrypted is the demo's object under the customer managed key.
	Encrypted = "exports/daily/2026-01-01.json"
	// OwnerAP and ConsumerAP are step 5's access points.
	OwnerAP    = "analytics-reports"
	ConsumerAP = "consumer-reshare"
)

const part = "aws"

var (
	bucketARN       = arn.Bucket(part, Bucket)
	consumerRoleARN = arn.Role(part, Consumer, ConsumerRole)
	ownerRoleARN    = arn.Role(part, Owner, OwnerRole)
	reportsARN      = arn.Object(part, Bucket, "reports/*")
	keyARN          = arn.Key(part, Region, Owner, KeyID)
)

// APArn is the ARN of access point name in account.
func APArn(account, name string) string { return arn.AccessPoint(part, Region, account, name) }

// stmt is one policy statement, its fields in the order people read them.
type stmt struct {
	Sid       string `json:"Sid,omitempty"`
	Effect    string `json:"Effect"`
	Principal any    `json:"Principal,omitempty"`
	Action    any    `json:"Action"`
	Resource  any    `json:"Resource,omitempty"`
	Condition any    `json:"Condition,omitempty"`
}

type cond map[string]map[string]any

// awsPrincipal is a Principal of the AWS kind.
type awsPrincipal struct {
	AWS string `json:"AWS"`
}

// doc renders a policy document, indented for the learner.
func doc(sts ...stmt) string {
	b, err := json.MarshalIndent(struct {
		Version   string `json:"Version"`
		Statement []stmt `json:"Statement"`
	}{"2012-10-17", sts}, "", "  ")
	if err != nil {
		panic(err) // static data: cannot fail
	}
	return string(b)
}

// readReports lets principal read reports/ (GetObject and a ListBucket
// bounded by s3:prefix). A nil principal makes it an identity policy.
func readReports(principal any) []stmt {
	return []stmt{
		{Sid: "ReadReports", Effect: "Allow", Principal: principal, Action: "s3:GetObject", Resource: reportsARN},
		{
			Sid: "ListReports", Effect: "Allow", Principal: principal, Action: "s3:ListBucket", Resource: bucketARN,
			Condition: cond{"StringLike": {"s3:prefix": "reports/*"}},
		},
	}
}

// denyPlainHTTP is the TLS statement every bucket policy s3grant writes has.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
func denyPlainHTTP() stmt {
	return stmt{
		Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
		Resource:  []string{bucketARN, bucketARN + "/*"},
		Condition: cond{"Bool": {"aws:SecureTransport": "false"}},
	}
}

// ownerHalf is the owner's bucket policy for a consumer principal.
func ownerHalf(principal string) Doc {
	sts := append(readReports(awsPrincipal{principal}), denyPlainHTTP())
	return Doc{Kind: BucketPolicy, Account: Owner, Target: Bucket, Text: doc(sts...), Marked: "ReadReports"}
}

// consumerHalf is the consumer role's identity policy.
func consumerHalf(sts ...stmt) Doc {
	return Doc{Kind: ConsumerRolePol, Account: Consumer, Target: ConsumerRole, Text: doc(sts...), Marked: sts[0].Sid}
}

// unchanged is d as a stage shows it when an earlier stage or step already
// applied it: nothing marked.
func unchanged(d Doc) Doc {
	d.Marked = ""
	return d
}
