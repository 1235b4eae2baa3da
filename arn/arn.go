// Package arn builds and reads Amazon Resource Names. It is the one place
// s3grant writes "arn:PARTITION:...": every ARN in a document, a check or a
// request is built here, with the partition taken from the region, so a
// China or GovCloud plan names its own partition everywhere.
//
// ARN format and partitions:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
// https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html
package arn

import "strings"

// Partitions. Every region is in exactly one partition, and IAM principals
// of one partition cannot be granted access in another:
// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
const (
	AWS      = "aws"        // commercial regions
	China    = "aws-cn"     // cn-north-1, cn-northwest-1
	GovCloud = "aws-us-gov" // us-gov-west-1, us-gov-east-1
)

// regionPrefixes maps a region prefix to its partition, longest first so
// us-gov-/us-iso- win over us-. The isolated and sovereign partitions follow
// the region patterns of the AWS SDK's partition table
// (aws-sdk-go-v2 internal/endpoints/awsrulesfn/partitions.json).
var regionPrefixes = []struct{ prefix, partition string }{
	{"us-gov-", GovCloud},
	{"us-isob-", "aws-iso-b"},
	{"us-isof-", "aws-iso-f"},
	{"us-iso-", "aws-iso"},
	{"eu-isoe-", "aws-iso-e"},
	{"eusc-", "aws-eusc"},
	{"cn-", China},
}

// Partition returns the partition of a region; "" (no region) and every
// commercial region are in aws.
func Partition(region string) string {
	for _, p := range regionPrefixes {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return AWS
}

// Known reports whether p is a partition s3grant knows.
func Known(p string) bool {
	if p == AWS {
		return true
	}
	for _, r := range regionPrefixes {
		if r.partition == p {
			return true
		}
	}
	return false
}

// ARN is an ARN split into its six fields.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String joins the fields back into an ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Parse splits s into its fields; ok is false when s is not an ARN (fewer
// than six colon-separated fields or no "arn:" prefix). The resource keeps
// any further colons.
func Parse(s string) (a ARN, ok bool) {
	// Cut field by field rather than strings.SplitN: the evaluator parses
	// ARNs on every decision, and this allocates nothing.
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, false
	}
	var f [4]string
	for i := range f {
		if f[i], rest, ok = strings.Cut(rest, ":"); !ok {
			return ARN{}, false
		}
	}
	return ARN{Partition: f[0], Service: f[1], Region: f[2], Account: f[3], Resource: rest}, true
}

// AccountOf returns the account field of an ARN, or "".
func AccountOf(s string) string {
	a, _ := Parse(s)
	return a.Account
}

// PartitionOf returns the partition field of an ARN, or "".
func PartitionOf(s string) string {
	a, _ := Parse(s)
	return a.Partition
}
