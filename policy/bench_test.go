package policy

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkEvaluateDifferentialCases measures evaluations per second on the
// differential test's generated cases (630 requests: identity + resource
// policies, conditions, wildcards, access points), documents parsed
// beforehand as a plan's are.
func BenchmarkEvaluateDifferentialCases(b *testing.B) {
	cases := generateCases(1, 90)
	decide := make([]func() Decision, len(cases))
	for i, c := range cases {
		decide[i] = prepared(b, c)
	}
	b.ResetTimer()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		for _, d := range decide {
			d()
			n++
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "evals/s")
}

// prepared parses a case's documents once and returns its evaluation.
func prepared(t testing.TB, c *oracleCase) func() Decision {
	if c.stages != nil {
		return preparedAccessPoint(t, c)
	}
	in := Input{
		Request:  Request{Principal: c.Principal, Action: c.Action, Resource: c.Resource, ResourceAccount: c.AccountID, Context: goContext(c.Context)},
		Identity: docsOf(t, c.IdentityPolicies, KindIdentityPolicy), Resource: &Doc{Name: "resource", Kind: c.kind},
	}
	if len(c.ResourcePolicy) > 0 && string(c.ResourcePolicy) != "null" {
		in.Resource.Policy = mustParse(t, string(c.ResourcePolicy))
	}
	return func() Decision { return Evaluate(in).Decision }
}

func preparedAccessPoint(t testing.TB, c *oracleCase) func() Decision {
	bucketStage := c.stages[1]
	apARN := c.Resource[:strings.Index(c.Resource, "/object/")]
	key := strings.TrimPrefix(c.Resource, apARN+"/object/")
	req := S3Request{Principal: c.Principal, Action: c.Action, Bucket: "b", Key: key, BucketAccount: bucketStage.AccountID, AccessPoint: apARN, Context: goContext(c.Context)}
	set := S3Setup{
		Identity: docsOf(t, c.IdentityPolicies, KindIdentityPolicy), AccessPointPolicy: mustParse(t, string(c.ResourcePolicy)),
		BucketPolicy: mustParse(t, string(bucketStage.ResourcePolicy)),
	}
	return func() Decision { return AuthorizeS3(req, set).Decision }
}
