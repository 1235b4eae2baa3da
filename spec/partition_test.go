package spec

import (
	"strings"
	"testing"
)

// TestMixedPartitionsRefused: an ARN from another partition than the
// region's is refused, naming the field, the region, the rule and an
// example in the right partition; matching partitions pass.
func TestMixedPartitionsRefused(t *testing.T) {
	base := Spec{Method: MethodBucketPolicy, Bucket: ExampleBucket, OwnerAccount: ExampleAccount, ConsumerAccounts: []string{"222233334444"}, Access: AccessRead}
	key := func(p, region string) string {
		return "arn:" + p + ":kms:" + region + ":111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	}
	bad := []struct {
		name, field, region, principal, key, example string
	}{
		{"arn:aws principal in GovCloud", "consumer-principal", "us-gov-west-1", ExamplePrincipal, "", "arn:aws-us-gov:iam::222233334444:role/analytics"},
		{"aws-cn principal with no region", "consumer-principal", "", "arn:aws-cn:iam::222233334444:role/r", "", ExamplePrincipal},
		{"aws-us-gov principal in China", "consumer-principal", "cn-north-1", "arn:aws-us-gov:iam::222233334444:role/r", "", "arn:aws-cn:"},
		{"aws-cn key with no region", "kms-key", "", "", key("aws-cn", "cn-north-1"), "arn:aws:kms:eu-west-1:"},
		{"aws-cn key in a commercial region", "kms-key", "eu-west-1", "", key("aws-cn", "eu-west-1"), "arn:aws:kms:eu-west-1:"},
		{"arn:aws key in China", "kms-key", "cn-north-1", "", key("aws", "cn-north-1"), "arn:aws-cn:kms:cn-north-1:"},
	}
	for _, c := range bad {
		s := base
		s.Region, s.KMSKey = c.region, c.key
		if c.principal != "" {
			s.ConsumerPrincipals = []string{c.principal}
		}
		fes := AsFieldErrors(s.Validate())
		if len(fes) != 1 || fes[0].Field != c.field || !strings.Contains(fes[0].Rule, "partition") || !strings.HasPrefix(fes[0].Example, c.example) {
			t.Errorf("%s: got %v, want one %s partition error with an example like %s", c.name, fes, c.field, c.example)
			continue
		}
		if c.region != "" && !strings.Contains(fes[0].Rule, c.region) {
			t.Errorf("%s: the rule does not name the region: %s", c.name, fes[0].Rule)
		}
	}
	for region, p := range map[string]string{"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov", "": "aws", "eu-west-1": "aws"} {
		s := base
		s.Region = region
		s.ConsumerPrincipals = []string{"arn:" + p + ":iam::222233334444:role/r"}
		s.KMSKey = key(p, s.regionOr("eu-west-1"))
		if err := s.Validate(); err != nil {
			t.Errorf("%s with %s ARNs: %v", region, p, err)
		}
	}
}
