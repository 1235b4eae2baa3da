package audit

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// conditionState is a bucket whose grants each hold only under some
// condition values: a listing scoped to reports/ by s3:prefix, a grant to
// anyone in an organization, a grant from one network or under another
// prefix, and a grant whose conditions contradict the TLS deny.
func conditionState(t testing.TB) State {
	return State{
		Bucket: "cond-bucket", Region: "eu-west-1", OwnerAccount: auditOwner, ObjectOwnership: policy.OwnershipBucketOwnerEnforced,
		BucketPolicy: mustPolicy(t, `{"Version":"2012-10-17","Statement":[
 {"Sid":"List","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::cond-bucket","Condition":{"StringLike":{"s3:prefix":"reports/*"}}},
 {"Sid":"Org","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::cond-bucket/shared/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},
 {"Sid":"ListA","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/reporting"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::cond-bucket","Condition":{"StringLike":{"s3:prefix":"a/*"}}},
 {"Sid":"ListB","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/reporting"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::cond-bucket","Condition":{"StringLike":{"s3:prefix":"b/*"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
 {"Sid":"PlainHTTP","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/legacy"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::cond-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
 {"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::cond-bucket","arn:aws:s3:::cond-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`),
		BucketBPA: bpaOn(), AccountBPA: bpaOn(), Logging: &LoggingState{}, TrailsRead: true,
	}
}

// TestAuditSaysUnderWhichConditions: each grant's requests are evaluated
// with the condition values that make them work (the proof's value
// classes), so a grant that works never reads "denied": the listing is
// allowed with s3:prefix under reports/, the organization's grant from
// inside it, over HTTPS; two statements for one role are alternatives;
// and the grant no request can meet is a finding.
func TestAuditSaysUnderWhichConditions(t *testing.T) {
	r := Audit(conditionState(t))
	for _, tc := range []struct {
		statement, action string
		when              []string
		anyOf             bool
	}{
		{"List", "s3:ListBucket", []string{"over HTTPS only", "s3:prefix is like reports/*"}, false},
		{"Org", "s3:GetObject", []string{"aws:PrincipalOrgID is o-a1b2c3d4e5", "over HTTPS only"}, false},
		{"ListA", "s3:ListBucket", []string{
			"over HTTPS only and s3:prefix is like a/*",
			"over HTTPS only and aws:SourceIp is in 203.0.113.0/24 and s3:prefix is like b/*",
		}, true},
	} {
		c, ok := accessOf(r, tc.statement, tc.action)
		if !ok || c.Decision != policy.Allowed {
			t.Errorf("%s %s: %+v, want allowed", tc.statement, tc.action, c)
			continue
		}
		if !slices.Equal(c.When, tc.when) || c.WhenAnyOf != tc.anyOf {
			t.Errorf("%s %s allowed when %q (any of: %v), want %q (any of: %v)", tc.statement, tc.action, c.When, c.WhenAnyOf, tc.when, tc.anyOf)
		}
	}
	if c, _ := accessOf(r, "Org", "s3:GetObject"); !strings.Contains(c.As, "a principal of an account no document names") {
		t.Errorf("the organization's grant names no caller: %+v", c)
	}
	if c, _ := accessOf(r, "PlainHTTP", "s3:GetObject"); c.Decision == policy.Allowed {
		t.Errorf("a grant only over plain HTTP, under a TLS deny, is allowed: %+v", c)
	}
	var dead []string
	for _, f := range r.Findings {
		if f.Code == "grant-never-allows" {
			dead = append(dead, f.Statement)
			if f.Severity != policy.SevWarning {
				t.Errorf("grant-never-allows is %s, want warning", f.Severity)
			}
		}
	}
	if !slices.Equal(dead, []string{"PlainHTTP"}) {
		t.Errorf("grant-never-allows on %v, want only PlainHTTP", dead)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	if !strings.Contains(out, "allowed s3:ListBucket on arn:aws:s3:::cond-bucket when over HTTPS only and s3:prefix is like reports/*") {
		t.Errorf("the text report does not say the listing is allowed under reports/:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "denied") && !strings.Contains(l, "s3:GetObject on arn:aws:s3:::cond-bucket/s3grant-audit-sample") {
			t.Errorf("a denied line for a grant that works: %s", l)
		}
	}
}

func bpaOn() plan.PublicAccessBlock {
	return plan.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
}
