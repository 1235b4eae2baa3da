package aws_test

import (
	"context"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
)

// BenchmarkApply measures an apply against moto per method: wall time (of
// Prepare + Apply; resetting and seeding moto is not timed), the AWS calls
// it makes, and the minimum the plan needs (one per write, plus one
// GetCallerIdentity per account that Connect makes and is not counted here).
//
//	go test ./aws/ -run '^$' -bench BenchmarkApply -benchtime 5x
func BenchmarkApply(b *testing.B) {
	env := testenv.Start(b)
	proxy := env.StartFaultProxy(b)
	for _, name := range []string{
		"bucket-policy/read", "bucket-policy/kms-read-write", "iam-role/kms-read-write",
		"access-point/read", "access-point/cross-account", "acl/write",
	} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			var calls, prepCalls, writes int
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w := newWorld(b, env, proxy.URL, 0)
				file := offlinePlan(b, w.example(b, name))
				start := proxy.Calls()
				b.StartTimer()
				prep, err := aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{AllowACLDowngrade: true})
				if err != nil {
					b.Fatal(err)
				}
				mid := proxy.Calls()
				res, err := aws.Apply(ctx, prep, w.accts, fastApply(w))
				if err != nil || res.Outcome != journal.OutcomeApplied {
					b.Fatalf("apply: %v %+v", err, res)
				}
				b.StopTimer()
				calls += proxy.Calls() - start
				prepCalls += mid - start
				writes += prep.Changes()
			}
			b.ReportMetric(float64(calls)/float64(b.N), "calls/apply")
			b.ReportMetric(float64(prepCalls)/float64(b.N), "read-calls/apply")
			b.ReportMetric(float64(writes)/float64(b.N), "min-calls/apply")
		})
	}
}

// BenchmarkSuggestBucket measures what the wizard reads once a bucket is
// typed (region, default encryption, the key's ARN) and the consumer's
// canonical ID: wall time and AWS calls per read, against moto or, with
// S3GRANT_TEST_BACKEND=sandbox, the sandbox.
//
//	go test ./aws/ -run '^$' -bench BenchmarkSuggestBucket -benchtime 20x
func BenchmarkSuggestBucket(b *testing.B) {
	testenv.SandboxToo(b)
	env := testenv.Start(b)
	proxy := env.StartFaultProxy(b)
	w := newWorld(b, env, proxy.URL, 0)
	setDefaultKey(b, w, w.keyARN)
	ctx := context.Background()
	b.Run("bucket", func(b *testing.B) {
		start := proxy.Calls()
		for i := 0; i < b.N; i++ {
			if _, key := aws.SuggestBucket(ctx, w.owner(), plan.ExBucket); key.Value != w.keyARN {
				b.Fatalf("key %+v", key)
			}
		}
		b.ReportMetric(float64(proxy.Calls()-start)/float64(b.N), "calls/op")
	})
	b.Run("canonical-id", func(b *testing.B) {
		start := proxy.Calls()
		for i := 0; i < b.N; i++ {
			if id := aws.CanonicalID(ctx, w.accts.Consumers[testenv.ConsumerAccount]); id.Value == "" {
				b.Fatalf("canonical ID %+v", id)
			}
		}
		b.ReportMetric(float64(proxy.Calls()-start)/float64(b.N), "calls/op")
	})
}
