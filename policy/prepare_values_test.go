package policy

import (
	"fmt"
	"testing"
)

// TestPreparedDateAndIPValues: the compiled Date and IpAddress values (a
// time as Unix seconds and nanoseconds, a CIDR as its address and length)
// decide as Evaluate does at the edges: fractions of a second, times
// before 1970, equal instants written in other zones, host bits in a CIDR,
// IPv6, zones, IPv4-mapped addresses, values that do not parse.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
func TestPreparedDateAndIPValues(t *testing.T) {
	dates := []string{
		"2025-06-01T00:00:00Z", "2025-06-01T00:00:00.5Z", "2025-06-01T00:00:00.499999999Z",
		"2025-06-01T02:00:00+02:00", "1969-12-31T23:59:59.75Z", "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
		"1748736000", "not a date",
	}
	ips := []string{
		"203.0.113.7", "203.0.113.0/24", "203.0.113.7/24", "198.51.100.9/32", "0.0.0.0/0", "2001:db8::1",
		"2001:db8::/32", "::ffff:203.0.113.7", "fe80::1%eth0", "not an ip",
	}
	checked := 0
	for _, op := range []string{"DateEquals", "DateLessThan", "DateGreaterThanEquals", "DateNotEquals"} {
		for _, pv := range dates {
			for _, rv := range dates {
				checkPreparedValue(t, op, "aws:CurrentTime", pv, rv)
				checked++
			}
		}
	}
	for _, op := range []string{"IpAddress", "NotIpAddress"} {
		for _, pv := range ips {
			for _, rv := range ips {
				checkPreparedValue(t, op, "aws:SourceIp", pv, rv)
				checked++
			}
		}
	}
	if checked < 300 {
		t.Fatalf("only %d comparisons", checked)
	}
}

func checkPreparedValue(t *testing.T, op, key, pv, rv string) {
	t.Helper()
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",`+
		`"Resource":"*","Condition":{%q:{%q:%q}}}]}`, op, key, pv)
	in := Input{
		Request: Request{
			Principal: "arn:aws:iam::111122223333:user/u", Action: "s3:GetObject",
			Resource: "arn:aws:s3:::b/k", ResourceAccount: "111122223333", Context: Context{}.Set(key, rv),
		},
		Identity: []Doc{{Name: "id", Kind: KindIdentityPolicy, Policy: mustParse(t, doc)}},
	}
	want := Evaluate(in).Decision
	if got := Prepare(in).Decide(in.Request); got != want {
		t.Errorf("%s %s %q, request %q: Decide %s, Evaluate %s", op, key, pv, rv, got, want)
	}
}
