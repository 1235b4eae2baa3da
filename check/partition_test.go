package check

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"
)

// partitionRe finds the partition field of every ARN in a text.
var partitionRe = regexp.MustCompile(`arn:([a-z0-9-]+):`)

// TestChinaAndGovCloudPlans: every example of the gallery (every method,
// every access level, every option) moved to a China or GovCloud region
// plans, passes its own access check, and names only its partition in its
// documents, steps and checks. Before package arn the audit-side bucket ARN
// of the S3 request model was arn:aws, so bucket-policy, iam-role and acl
// plans there failed their check (exit 3).
func TestChinaAndGovCloudPlans(t *testing.T) {
	for _, region := range []string{"cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"} {
		want := arn.Partition(region)
		for _, ex := range plan.Examples() {
			ex := ex.InRegion(region)
			t.Run(ex.Name, func(t *testing.T) {
				p := planFor(t, ex.Spec, nil)
				m := Plan(p)
				if !m.OK {
					t.Fatalf("matrix fails:\n%s", failures(m))
				}
				for what, v := range map[string]any{"plan": p, "check": m} {
					b, err := json.Marshal(v)
					if err != nil {
						t.Fatal(err)
					}
					found := partitionRe.FindAllSubmatch(b, -1)
					if len(found) == 0 {
						t.Fatalf("%s names no ARN", what)
					}
					for _, f := range found {
						if string(f[1]) != want {
							t.Errorf("%s names an ARN in partition %s, want %s:\n%s", what, f[1], want, b)
							break
						}
					}
				}
			})
		}
	}
}
