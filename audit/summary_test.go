package audit

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/policy"
)

// TestAccountSummary: the messy bucket's row counts its findings by
// severity and lists who outside the account can reach what (the public
// read, the other accounts' principals, with what the evaluator allows); a
// clean bucket has no reach; an unreadable bucket counts as one high
// finding, sorts first and says why; the totals add up; the JSON has the
// same rows.
func TestAccountSummary(t *testing.T) {
	messy := Audit(messyState(t))
	clean := Audit(State{
		Bucket: "clean-bucket", Region: "us-west-2", OwnerAccount: auditOwner, OwnerCanonicalID: auditOwnerCID,
		BucketACL: &policy.ACL{Owner: auditOwnerCID, Grants: []policy.Grant{{Type: policy.GranteeCanonicalUser, ID: auditOwnerCID, Permission: policy.PermFullControl}}},
		Logging:   &LoggingState{}, TrailsRead: true,
	})
	s := NewAccountSummary(auditOwner)
	s.Add(clean)
	s.Add(messy)
	s.AddUnreadable("locked-bucket", "eu-west-1", "read the bucket policy of locked-bucket: AccessDenied")
	s.Sort()

	if got := []string{s.Buckets[0].Bucket, s.Buckets[1].Bucket, s.Buckets[2].Bucket}; strings.Join(got, ",") != "messy-bucket,locked-bucket,clean-bucket" {
		t.Errorf("order %v, want the most high findings first", got)
	}
	var want SeverityCounts
	for _, f := range messy.Findings {
		want.add(f.Severity, 1)
	}
	if m := s.Buckets[0]; m.Findings != want || m.Findings.High == 0 {
		t.Errorf("messy counts %+v, want %+v (with highs)", m.Findings, want)
	}
	if tot := s.Totals; tot.High != want.High+1+s.Buckets[2].Findings.High || s.Unreadable != 1 {
		t.Errorf("totals %+v unreadable %d", tot, s.Unreadable)
	}
	if n := s.Totals.AtOrAbove(policy.SevHigh); n != s.Totals.High {
		t.Errorf("AtOrAbove(high) = %d, want %d", n, s.Totals.High)
	}
	if n := s.Totals.AtOrAbove(policy.SevInfo); n != s.Totals.High+s.Totals.Warning+s.Totals.Info {
		t.Errorf("AtOrAbove(info) = %d", n)
	}
	if len(s.Buckets[2].Reach) != 0 {
		t.Errorf("clean bucket reachable by %+v", s.Buckets[2].Reach)
	}
	reach := map[string]Reach{}
	for _, r := range s.Buckets[0].Reach {
		reach[r.Who] = r
	}
	if r := reach["*"]; r.Kind != "anyone" {
		t.Errorf("the public statements are not in the reach: %+v", reach)
	}
	if r := reach[policy.GroupAllUsers]; strings.Join(r.Allowed, ",") != "s3:ListBucket on arn:aws:s3:::messy-bucket" {
		t.Errorf("the public ACL grant's reach: %+v", r)
	}
	// The analytics role reads directly (the bucket policy's statement, in
	// its organization: audit decides under the condition values that let
	// it) and through the access point.
	wantAnalytics := []string{
		"s3:GetObject on arn:aws:s3:::messy-bucket/reports/s3grant-audit-sample",
		"s3:GetObject on " + auditAPARN + "/object/reports/s3grant-audit-sample via " + auditAPARN,
	}
	if r := reach["arn:aws:iam::222233334444:role/analytics"]; r.Account != "222233334444" || !slices.Equal(r.Allowed, wantAnalytics) {
		t.Errorf("the analytics role's reach: %+v, want %q", r, wantAnalytics)
	}
	// Granted by the bucket policy, but the customer key does not admit it.
	if r, ok := reach["arn:aws:iam::444455556666:role/reporting"]; !ok || len(r.Allowed) != 0 {
		t.Errorf("the reporting role's reach: %+v", r)
	}
	for _, r := range s.Buckets[0].Reach {
		if r.Account == auditOwner {
			t.Errorf("a principal of the owner account is listed as outside: %+v", r)
		}
	}

	var text bytes.Buffer
	if err := s.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, w := range []string{
		"3 buckets, 1 could not be read", "BUCKET", "messy-bucket", "us-west-2", "unknown: could not be read",
		"arn:aws:iam::444455556666:role/reporting (role)\n      the evaluator allows none of the audited requests", "allowed s3:ListBucket on arn:aws:s3:::messy-bucket",
		"s3://locked-bucket: read the bucket policy of locked-bucket: AccessDenied",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("text lacks %q:\n%s", w, out)
		}
	}
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back AccountSummary
	if err := json.Unmarshal(js, &back); err != nil || len(back.Buckets) != 3 || back.Buckets[1].Error == "" || back.Buckets[0].Report == nil {
		t.Errorf("JSON round trip: %v %s", err, js[:min(len(js), 400)])
	}
}
