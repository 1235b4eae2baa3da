package aws

import (
	"context"
	"fmt"
	"sync"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"github.com/s3grant/s3grant/audit"
)

// BucketRef is a bucket of the account and the region ListBuckets names for it.
type BucketRef struct {
	Name   string
	Region string
}

// listBucketsPage is the page size ListBuckets is asked for. Paginated
// requests are what S3 recommends, and the only ones it accepts from an
// account whose bucket quota is above 10,000:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
const listBucketsPage = 1000

// ListBuckets lists every general purpose bucket the account owns, in every
// region, with its region, following continuation tokens; pageSize 0 asks
// for listBucketsPage buckets a page.
func ListBuckets(ctx context.Context, owner *Account, pageSize int32) ([]BucketRef, error) {
	l, ok := owner.S3("").(bucketLister)
	if !ok {
		return nil, fmt.Errorf("this S3 client cannot list buckets")
	}
	if pageSize <= 0 {
		pageSize = listBucketsPage
	}
	var out []BucketRef
	in := &s3.ListBucketsInput{MaxBuckets: sdk.Int32(pageSize)}
	for {
		page, err := l.ListBuckets(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("s3:ListBuckets as %s: %w", owner.ID, err)
		}
		for _, b := range page.Buckets {
			out = append(out, BucketRef{Name: sdk.ToString(b.Name), Region: sdk.ToString(b.BucketRegion)})
		}
		next := sdk.ToString(page.ContinuationToken)
		if next == "" || len(page.Buckets) == 0 {
			return out, nil
		}
		in.ContinuationToken = &next
	}
}

// AuditAllOptions say how ReadAuditAll reads the account's buckets.
type AuditAllOptions struct {
	AuditOptions
	// Parallel bounds the buckets read at once (at least 1).
	Parallel int
	// PageSize is ListBuckets' page size; 0 is listBucketsPage.
	PageSize int32
}

// BucketAudit is one bucket's state, or why it could not be read.
type BucketAudit struct {
	Bucket string
	Region string
	State  audit.State
	Err    error // the bucket could not be read (AccessDenied, deleted meanwhile)
}

// ReadAuditAll reads, for every bucket of the owner account, what ReadAudit
// reads, Parallel buckets at a time, each in its own region. What belongs
// to the account (its roles, organization, journal runs, and each region's
// trails) is read once. A bucket that cannot be read is reported in its
// BucketAudit, not as an error: only listing the buckets, or a cancelled
// ctx, fails the whole audit. Results are in ListBuckets' (name) order.
func ReadAuditAll(ctx context.Context, owner *Account, o AuditAllOptions) ([]BucketAudit, error) {
	buckets, err := ListBuckets(ctx, owner, o.PageSize)
	if err != nil {
		return nil, err
	}
	acct := readAccountAudit(ctx, owner, o.AuditOptions)
	if bpa, err := accountBPA(ctx, owner.S3Control(""), owner.ID); err == nil {
		acct.accountBPA = &bpa // else each bucket reads it and reports why it cannot
	}
	trails := &trailCache{owner: owner, regions: map[string]*regionTrails{}}
	out := make([]BucketAudit, len(buckets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.Parallel, 1))
	for i, b := range buckets {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			region := b.Region
			if region == "" { // an endpoint that does not name regions
				r, err := BucketRegion(gctx, owner, b.Name)
				if err != nil {
					out[i] = BucketAudit{Bucket: b.Name, Err: err}
					return nil
				}
				region = r
			}
			bucketTrails := func(ctx context.Context) ([]audit.TrailState, bool) {
				return trails.forBucket(ctx, b.Name, region)
			}
			st, err := readBucketAudit(gctx, owner, b.Name, region, acct, bucketTrails)
			out[i] = BucketAudit{Bucket: b.Name, Region: region, State: st, Err: err}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, ctx.Err()
}

// trailCache reads each region's trails once for all its buckets.
type trailCache struct {
	owner   *Account
	mu      sync.Mutex
	regions map[string]*regionTrails
}

type regionTrails struct {
	once   sync.Once
	trails []regionTrail
	ok     bool
}

func (c *trailCache) forBucket(ctx context.Context, bucket, region string) ([]audit.TrailState, bool) {
	c.mu.Lock()
	r := c.regions[region]
	if r == nil {
		r = &regionTrails{}
		c.regions[region] = r
	}
	c.mu.Unlock()
	r.once.Do(func() { r.trails, r.ok = listTrails(ctx, c.owner, region) })
	if !r.ok {
		return nil, false
	}
	return trailsFor(r.trails, bucket, region), true
}
