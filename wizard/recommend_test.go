package wizard

import (
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// TestRecommendMethod: what is known about the bucket and the answers
// picks the method, with a reason to show.
func TestRecommendMethod(t *testing.T) {
	two := []string{"222233334444", "444455556666"}
	cases := []struct {
		name  string
		s     spec.Spec
		facts *plan.Facts
		want  spec.Method
	}{
		{"nothing known", spec.Spec{}, nil, spec.MethodBucketPolicy},
		{"aws/s3 key", spec.Spec{ConsumerAccounts: two}, &plan.Facts{Read: true, SSEAWSManagedKey: true}, spec.MethodIAMRole},
		{"aws/s3 key unread", spec.Spec{}, &plan.Facts{SSEAWSManagedKey: true}, spec.MethodBucketPolicy},
		{"external id", spec.Spec{ExternalID: "x", ConsumerAccounts: two}, nil, spec.MethodIAMRole},
		{"several consumers", spec.Spec{ConsumerAccounts: two}, nil, spec.MethodAccessPoint},
		{"plain bucket", spec.Spec{}, &plan.Facts{Read: true}, spec.MethodBucketPolicy},
	}
	for _, c := range cases {
		got, why := RecommendMethod(c.s, c.facts)
		if got != c.want || why == "" {
			t.Errorf("%s: %s (%q), want %s", c.name, got, why, c.want)
		}
		if _, ok := MethodInfos()[got]; !ok {
			t.Errorf("%s: no description of %s", c.name, got)
		}
	}
}
