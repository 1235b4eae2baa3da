package aws

import "testing"

// TestActsAs: which caller ARNs (GetCallerIdentity) are a plan's principal.
func TestActsAs(t *testing.T) {
	cases := []struct {
		caller, principal string
		want              bool
	}{
		{"arn:aws:sts::222233334444:assumed-role/analytics/s", "arn:aws:iam::222233334444:role/analytics", true},
		{"arn:aws:sts::222233334444:assumed-role/analytics/s", "arn:aws:iam::222233334444:role/team/analytics", true}, // sessions drop the path
		{"arn:aws:sts::222233334444:assumed-role/analytics2/s", "arn:aws:iam::222233334444:role/analytics", false},
		{"arn:aws:sts::222233334444:assumed-role/analytics/s", "arn:aws:iam::444455556666:role/analytics", false},
		{"arn:aws:iam::222233334444:user/etl", "arn:aws:iam::222233334444:user/etl", true},
		{"arn:aws:iam::222233334444:user/admin", "arn:aws:iam::222233334444:user/etl", false},
		{"arn:aws:iam::222233334444:user/admin", "arn:aws:iam::222233334444:role/analytics", false},
		{"arn:aws:iam::222233334444:user/admin", "arn:aws:iam::222233334444:root", true},
		{"arn:aws:iam::222233334444:user/admin", "arn:aws:iam::111122223333:root", false},
		{"arn:aws-cn:sts::222233334444:assumed-role/analytics/s", "arn:aws-cn:iam::222233334444:role/analytics", true},
	}
	for _, c := range cases {
		if got := actsAs(c.caller, c.principal); got != c.want {
			t.Errorf("actsAs(%s, %s) = %v, want %v", c.caller, c.principal, got, c.want)
		}
	}
}
