package check

import (
	"fmt"
	"testing"

	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/spec"
)

// benchSpec is a grant to 5 consumer accounts (one named role each) on 10
// prefixes, read-write with a customer managed key.
func benchSpec() spec.Spec {
	s := spec.Spec{
		Method: spec.MethodBucketPolicy, Bucket: plan.ExBucket, Region: plan.ExRegion, OwnerAccount: plan.ExOwner,
		Access: spec.AccessReadWrite, KMSKey: plan.ExKMSKey,
	}
	for i := 0; i < 5; i++ {
		acct := fmt.Sprintf("22223333%04d", 4440+i)
		s.ConsumerAccounts = append(s.ConsumerAccounts, acct)
		s.ConsumerPrincipals = append(s.ConsumerPrincipals, fmt.Sprintf("arn:aws:iam::%s:role/reader%d", acct, i))
	}
	for i := 0; i < 10; i++ {
		s.Prefixes = append(s.Prefixes, fmt.Sprintf("data/p%02d/", i))
	}
	return s
}

// BenchmarkCheckPlan5x10 measures building a 5 consumers x 10 prefixes plan
// and checking its access matrix.
func BenchmarkCheckPlan5x10(b *testing.B) {
	s := benchSpec()
	for i := 0; i < b.N; i++ {
		p, err := plan.New(s, nil)
		if err != nil {
			b.Fatal(err)
		}
		if m := Plan(p); !m.OK {
			b.Fatalf("matrix fails:\n%s", failures(m))
		}
	}
}

// TestBenchSpecMatrix keeps the benchmark's plan honest: it must pass, with
// every consumer x action x prefix expected.
func TestBenchSpecMatrix(t *testing.T) {
	m := Plan(planFor(t, benchSpec(), nil))
	if !m.OK {
		t.Fatalf("matrix fails:\n%s", failures(m))
	}
	// per consumer: ListBucket x10, GetBucketLocation, 3 object actions x10, 2 key actions
	if want := 5 * (10 + 1 + 30 + 2); len(m.Expectations) < want {
		t.Fatalf("%d expectations, want at least %d", len(m.Expectations), want)
	}
}
