package wizard

import (
	"strings"
	"testing"

	"github.com/s3grant/s3grant/spec"
)

// TestConsumerInstructions names what the consumer uses, in the spec's
// partition, and only the commands its access level allows.
func TestConsumerInstructions(t *testing.T) {
	cases := []struct {
		s         spec.Spec
		want, not []string
	}{
		{
			spec.Spec{
				Method: spec.MethodIAMRole, Bucket: "b", OwnerAccount: "111122223333", RoleName: "r", ExternalID: "it's",
				Access: spec.AccessRead, Region: "us-gov-west-1",
			},
			[]string{"arn:aws-us-gov:iam::111122223333:role/r", `--external-id 'it'\''s'`, "aws s3 ls s3://b/", "aws s3 cp s3://b/FILE ."},
			[]string{"cp FILE"},
		},
		{
			spec.Spec{
				Method: spec.MethodAccessPoint, Bucket: "b", OwnerAccount: "111122223333", ConsumerAccounts: []string{"222233334444"},
				AccessPointOwner: spec.APOwnerConsumer, AccessPoint: "ap", Region: "eu-west-1", Access: spec.AccessWrite, Prefixes: []string{"in/"},
			},
			[]string{"arn:aws:s3:eu-west-1:222233334444:accesspoint/ap", "aws s3 cp FILE s3://arn:aws:s3:eu-west-1:222233334444:accesspoint/ap/in/"},
			[]string{"aws s3 ls", "FILE ."},
		},
	}
	for _, c := range cases {
		got := ConsumerInstructions(c.s, "")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", c.s.Method, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: has %q:\n%s", c.s.Method, n, got)
			}
		}
	}
}
