package aws

import (
	"context"
	"fmt"
	"sort"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
)

// Names are what exists in the accounts, offered by the wizard while the
// user types: a convenience, so each list is best effort and short.
type Names struct {
	Buckets      []string // the owner's buckets
	Roles        []string // the consumer's role ARNs
	AccessPoints []string // the owner's access point names
}

// maxNames bounds each list: one page, enough to complete a name.
const maxNames = 200

// The listing calls only suggestions make (the SDK clients have them).
type (
	bucketLister interface {
		ListBuckets(context.Context, *s3.ListBucketsInput, ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
	}
	roleLister interface {
		ListRoles(context.Context, *iam.ListRolesInput, ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	}
	accessPointLister interface {
		ListAccessPoints(context.Context, *s3control.ListAccessPointsInput, ...func(*s3control.Options)) (*s3control.ListAccessPointsOutput, error)
	}
)

// SuggestNames lists the owner's buckets and access points and the
// consumer's roles. A list the credentials may not read is left empty: the
// first error is returned beside what could be read.
func SuggestNames(ctx context.Context, owner, consumer *Account, region string) (Names, error) {
	var n Names
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	if l, ok := owner.S3(region).(bucketLister); ok {
		out, err := l.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: sdk.Int32(maxNames)})
		keep(err)
		if out != nil {
			for _, b := range out.Buckets {
				n.Buckets = append(n.Buckets, sdk.ToString(b.Name))
			}
		}
	}
	if l, ok := owner.S3Control(region).(accessPointLister); ok {
		out, err := l.ListAccessPoints(ctx, &s3control.ListAccessPointsInput{AccountId: sdk.String(owner.ID), MaxResults: maxNames})
		keep(err)
		if out != nil {
			for _, ap := range out.AccessPointList {
				n.AccessPoints = append(n.AccessPoints, sdk.ToString(ap.Name))
			}
		}
	}
	if consumer != nil {
		if l, ok := consumer.IAM().(roleLister); ok {
			out, err := l.ListRoles(ctx, &iam.ListRolesInput{MaxItems: sdk.Int32(maxNames)})
			keep(err)
			if out != nil {
				for _, r := range out.Roles {
					n.Roles = append(n.Roles, sdk.ToString(r.Arn))
				}
			}
		}
	}
	sort.Strings(n.Buckets)
	sort.Strings(n.AccessPoints)
	sort.Strings(n.Roles)
	return n, first
}

// AccessPointAlias returns the alias AWS gave an access point (usable where
// a bucket name goes), or "" when it has none.
func AccessPointAlias(ctx context.Context, acct *Account, region, name string) (string, error) {
	out, err := acct.S3Control(region).GetAccessPoint(ctx, &s3control.GetAccessPointInput{AccountId: sdk.String(acct.ID), Name: sdk.String(name)})
	if err != nil {
		return "", fmt.Errorf("s3control:GetAccessPoint %s: %w", name, err)
	}
	return sdk.ToString(out.Alias), nil
}
