package policy

import (
	"slices"
	"testing"
)

// TestValueClasses: each operator's constants give one representative per
// cell, and always "absent" (see valueclass.go).
func TestValueClasses(t *testing.T) {
	c := ConditionConstants{}
	c.AddPolicy(&Policy{Statement: []Statement{{Condition: Conditions{}.
		Add("NumericLessThan", "s3:max-keys", CondStrings("10")).
		Add("IpAddress", "aws:SourceIp", CondStrings("203.0.113.0/24")).
		Add("StringLike", "s3:prefix", CondStrings("home/*")).
		Add("Bool", "aws:SecureTransport", CondStrings("false"))}}})
	for key, want := range map[string][]string{
		"s3:max-keys":         {"9", "10", "11", OtherValue, AbsentValue},
		"aws:sourceip":        {"203.0.113.0", "192.0.2.1", OtherValue, AbsentValue},
		"s3:prefix":           {"home/s3grant", OtherValue, AbsentValue},
		"aws:securetransport": {"true", "false", AbsentValue},
	} {
		if got := c[key].Representatives(); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
}
