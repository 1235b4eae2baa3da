package plan_test

import (
	"slices"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// TestKeyWarningsWhenEncryptionIsUnread (issue 13): connected, with the
// owner profile denied GetBucketEncryption or kms:DescribeKey, the plan
// is still made and says once what it could not read; a key known by its
// ARN still gets the warning that names it.
func TestKeyWarningsWhenEncryptionIsUnread(t *testing.T) {
	const key = "arn:aws:kms:" + plan.ExRegion + ":" + plan.ExOwner + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	for _, tc := range []struct {
		name  string
		facts plan.Facts
		kms   string
		want  []string
	}{
		{"encryption read, none", plan.Facts{Read: true}, "", nil},
		{
			"GetBucketEncryption denied",
			plan.Facts{Read: true, SSEUnread: "GetBucketEncryption was denied (AccessDenied)"},
			"",
			[]string{"encryption-not-read"},
		},
		{
			"GetBucketEncryption denied, key given",
			plan.Facts{Read: true, SSEUnread: "GetBucketEncryption was denied (AccessDenied)"},
			key, nil,
		},
		{"DescribeKey denied, key known by ARN", plan.Facts{
			Read: true, SSEAlgorithm: "aws:kms", SSEKeyARN: key,
			SSEUnread: "the bucket names key 1234abcd-12ab-34cd-56ef-1234567890ab and kms:DescribeKey was denied (AccessDenied)",
		}, "", []string{"kms-key-not-given"}},
		{"not connected", plan.Facts{}, "", []string{"aws-managed-key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := plan.BaseSpec(spec.MethodBucketPolicy, spec.AccessRead)
			s.KMSKey = tc.kms
			p, err := plan.New(s, &plan.State{Known: true, Facts: tc.facts})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range p.Warnings {
				if slices.Contains([]string{"encryption-not-read", "kms-key-not-given", "aws-managed-key"}, w.Code) {
					got = append(got, w.Code)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("key warnings %v, want %v", got, tc.want)
			}
		})
	}
}
