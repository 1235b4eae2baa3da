package audit

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/policy"
)

// inRegion moves an audit state to a China or GovCloud region: every ARN
// in its documents into the region's partition.
func inRegion(t *testing.T, st State, region, partition string) State {
	t.Helper()
	move := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, "arn:aws:", "arn:"+partition+":"), "eu-west-1", region)
	}
	movePolicy := func(p *policy.Policy) *policy.Policy {
		if p == nil {
			return nil
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return mustPolicy(t, move(string(b)))
	}
	st.Region = region
	st.BucketPolicy = movePolicy(st.BucketPolicy)
	st.AccessPoints = slices.Clone(st.AccessPoints)
	for i := range st.AccessPoints {
		ap := &st.AccessPoints[i]
		ap.ARN, ap.Policy = move(ap.ARN), movePolicy(ap.Policy)
	}
	st.Encryption.KeyARN, st.Encryption.KeyPolicy = move(st.Encryption.KeyARN), movePolicy(st.Encryption.KeyPolicy)
	st.Trails = nil
	return st
}

// TestAuditInChinaAndGovCloud: the audit of a bucket in cn-north-1 or
// us-gov-west-1 evaluates every grant as it does in eu-west-1 and names
// only the bucket's partition. The audit built arn:aws:s3:::BUCKET for its
// requests, so no statement of a China or GovCloud bucket policy matched and
// every grant read as denied.
func TestAuditInChinaAndGovCloud(t *testing.T) {
	st := messyState(t)
	st.Encryption = EncryptionState{} // let the grants through, so denial is the policy's
	want := Audit(st)
	for region, partition := range map[string]string{"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"} {
		got := Audit(inRegion(t, st, region, partition))
		n := 0
		for _, g := range want.Grants {
			for _, c := range g.Access {
				gc, ok := accessOf(got, g.Statement, c.Action)
				if !ok || gc.Decision != c.Decision {
					t.Errorf("%s: %s %s: %s (%s), want %s as in eu-west-1", region, g.Statement, c.Action, gc.Decision, gc.Why, c.Decision)
				}
				n++
			}
		}
		if c, _ := accessOf(got, "PublicRead", "s3:GetObject"); c.Decision != "Allowed" || !strings.HasPrefix(c.Resource, "arn:"+partition+":s3:::") {
			t.Errorf("%s: the public read is %s on %s, want Allowed on the %s bucket", region, c.Decision, c.Resource, partition)
		}
		b, _ := json.Marshal(got)
		if n == 0 || strings.Contains(string(b), "arn:aws:") {
			t.Errorf("%s: %d checks; the report names arn:aws:\n%s", region, n, b)
		}
	}
}
