package aws_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
)

// BenchmarkAuditAllBuckets measures `s3grant audit --all-buckets` (the
// reads, each bucket's audit and the summary table) over 500 buckets of the sandbox (a third in another
// region, every fifth with a cross-account grant), at the command's
// default --parallel and at 32. The target (issue 15) is under 10 s a run.
//
//	go test ./aws/ -run '^$' -bench BenchmarkAuditAllBuckets -benchtime 3x
func BenchmarkAuditAllBuckets(b *testing.B) {
	b.Setenv(testenv.BackendEnv, "sandbox")
	env := testenv.Start(b)
	w := newWorld(b, env, "", 0)
	o := w.owner()
	const n = 500
	g := errgroup.Group{}
	g.SetLimit(16)
	for i := range n - 1 { // and the world's bucket
		g.Go(func() error { return seedAuditBucket(o, i) })
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	for _, parallel := range []int{8, 32} {
		b.Run(fmt.Sprintf("parallel-%d", parallel), func(b *testing.B) {
			for b.Loop() {
				all, err := aws.ReadAuditAll(context.Background(), o, aws.AuditAllOptions{Parallel: parallel})
				if err != nil || len(all) != n {
					b.Fatalf("%d buckets, %v", len(all), err)
				}
				sum := audit.NewAccountSummary(o.ID)
				for _, a := range all {
					if a.Err != nil {
						b.Fatalf("%s: %v", a.Bucket, a.Err)
					}
					sum.Add(audit.Audit(a.State))
				}
				sum.Sort()
				if err := sum.WriteText(io.Discard); err != nil || len(sum.Buckets) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(n, "buckets")
		})
	}
}

func seedAuditBucket(o *aws.Account, i int) error {
	ctx := context.Background()
	name, region := fmt.Sprintf("bench-audit-%03d", i), testenv.Region
	if i%3 == 0 {
		region = otherRegion
	}
	c := o.S3(region).(*s3.Client)
	in := &s3.CreateBucketInput{Bucket: &name}
	in.CreateBucketConfiguration = createIn(region)
	if _, err := c.CreateBucket(ctx, in); err != nil {
		return err
	}
	if i%5 != 0 {
		return nil
	}
	grant := `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testenv.ConsumerAccount +
		`:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::` + name + `","arn:aws:s3:::` + name + `/*"]}]}`
	_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &name, Policy: sdk.String(grant)})
	return err
}
