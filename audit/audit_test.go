package audit

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/golden"
	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
)

const (
	auditOwner     = "111122223333"
	auditOwnerCID  = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	auditOtherCID  = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	auditKeyARN    = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	auditAPARN     = "arn:aws:s3:eu-west-1:111122223333:accesspoint/messy-ap"
	auditBareAPARN = "arn:aws:s3:eu-west-1:111122223333:accesspoint/bare-ap"
)

func mustPolicy(t testing.TB, js string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// messyState is a bucket with a bit of everything: a 2008-10-17 policy with a
// public statement, a whole-account grant, an orphaned unique ID, an
// s3grant statement, access point delegation and the TLS deny; ACLs on with a
// grant to another account and a public one; an access point with a policy
// and one without; a customer key shared with another account; no logging.
func messyState(t testing.TB) State {
	return State{
		Bucket: "messy-bucket", Region: "eu-west-1", OwnerAccount: auditOwner, OwnerCanonicalID: auditOwnerCID,
		BucketPolicy: mustPolicy(t, `{"Version":"2008-10-17","Id":"legacy","Statement":[
 {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/public/*"},
 {"Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::messy-bucket"},
 {"Sid":"Reporting","Effect":"Allow","Principal":{"AWS":["AROAJQABLZS4A3QDU576Q","arn:aws:iam::444455556666:role/reporting"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/reports/*"},
 {"Sid":"S3GrantB7C80A24Objects","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/reports/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},
 {"Sid":"Delegate","Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":["arn:aws:s3:::messy-bucket","arn:aws:s3:::messy-bucket/*"],"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}},
 {"Sid":"Admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"s3:*","Resource":"arn:aws:s3:::messy-bucket/*"},
 {"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::messy-bucket","arn:aws:s3:::messy-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`),
		BucketACL: &policy.ACL{Owner: auditOwnerCID, Grants: []policy.Grant{
			{Type: policy.GranteeCanonicalUser, ID: auditOwnerCID, Permission: policy.PermFullControl},
			{Type: policy.GranteeCanonicalUser, ID: auditOtherCID, Permission: policy.PermRead},
			{Type: policy.GranteeGroup, URI: policy.GroupAllUsers, Permission: policy.PermRead},
		}},
		AccessPoints: []AccessPointState{
			{Name: "messy-ap", ARN: auditAPARN, NetworkOrigin: "Internet", Policy: mustPolicy(t, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"`+auditAPARN+`/object/reports/*"}]}`)},
			{Name: "bare-ap", ARN: auditBareAPARN, NetworkOrigin: "Internet"},
		},
		Encryption: EncryptionState{Algorithm: "aws:kms", KeyARN: auditKeyARN, KeyPolicy: mustPolicy(t, `{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"Consumer","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":["kms:Decrypt"],"Resource":"*"}]}`)},
		Logging:    &LoggingState{Enabled: false},
		TrailsRead: true,
		Trails:     []TrailState{{Name: "org-trail", ARN: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail", Logging: true, DataEvents: true, Scope: "all S3 buckets"}},
		Runs:       map[string][]RunRef{"B7C80A24": {{ID: "20260101T000000Z-1a2b3c4d", Time: "2026-01-01T00:00:00Z"}}},
	}
}

func findingCounts(r *Report) map[string]int {
	out := map[string]int{}
	for _, f := range r.Findings {
		out[string(f.Severity)+" "+f.Code]++
	}
	return out
}

// Every finding of the messy bucket appears once, with its severity.
func TestAuditMessyBucket(t *testing.T) {
	r := Audit(messyState(t))
	want := map[string]int{
		"high public-statement":           1,
		"high public-acl":                 1,
		"warning whole-account-grant":     2, // bucket policy and key policy
		"warning orphaned-principal":      1,
		"warning grant-never-allows":      2, // PublicRead and Reporting: the customer key admits neither
		"warning acl-grant":               1,
		"warning acls-enabled":            1,
		"warning access-point-no-policy":  1,
		"warning block-public-access-off": 1,
		"warning access-logging-off":      1,
		"info s3grant-statement":          1,
		"info data-events-on":             1,
	}
	got := findingCounts(r)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d findings, want %d", k, got[k], n)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected finding %s", k)
		}
	}
	if r.Findings[0].Severity != policy.SevHigh {
		t.Errorf("findings are not sorted most severe first: %+v", r.Findings[0])
	}
	for _, f := range r.Findings {
		if f.Code == "s3grant-statement" && !strings.Contains(f.Message, "20260101T000000Z-1a2b3c4d") {
			t.Errorf("the s3grant statement does not name its run: %s", f.Message)
		}
	}
}

// Every principal outside the owner account is listed, through the document
// that names it, and nothing of the owner account is.
func TestAuditListsEveryOutsideGrant(t *testing.T) {
	r := Audit(messyState(t))
	var got []string
	for _, g := range r.Grants {
		got = append(got, g.Kind+" "+g.Who+" @ "+strings.Fields(g.Document)[0]+"/"+g.Statement)
	}
	want := []string{
		"anyone * @ bucket/PublicRead",
		"account 222233334444 @ bucket/statement 2",
		"role arn:aws:iam::444455556666:role/reporting @ bucket/Reporting",
		"role arn:aws:iam::222233334444:role/analytics @ bucket/S3GrantB7C80A24Objects",
		"anyone * @ bucket/Delegate",
		"role arn:aws:iam::222233334444:role/analytics @ access/statement 1",
		"account arn:aws:iam::222233334444:root @ key/Consumer",
		"canonical-user " + auditOtherCID + " @ bucket/grant 2",
		"group " + policy.GroupAllUsers + " @ bucket/grant 3",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("grants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func accessOf(r *Report, statement, action string) (AccessCheck, bool) {
	for _, g := range r.Grants {
		if g.Statement != statement {
			continue
		}
		for _, c := range g.Access {
			if c.Action == action {
				return c, true
			}
		}
	}
	return AccessCheck{}, false
}

// The evaluator's answer follows the bucket's settings.
func TestAuditEvaluatesWhatGrantsAllow(t *testing.T) {
	st := messyState(t)
	r := Audit(st)
	tests := []struct {
		statement, action string
		want              policy.Decision
	}{
		{"PublicRead", "s3:GetObject", policy.ImplicitlyDenied},    // anonymous: the customer key does not admit it
		{"statement 2", "s3:ListBucket", policy.Allowed},           // the whole account
		{"Reporting", "s3:GetObject", policy.ImplicitlyDenied},     // the customer key does not admit 444455556666
		{"S3GrantB7C80A24Objects", "s3:GetObject", policy.Allowed}, // from inside the organization
		{"Consumer", "kms:Decrypt", policy.Allowed},
	}
	for _, tc := range tests {
		c, ok := accessOf(r, tc.statement, tc.action)
		if !ok {
			t.Errorf("%s: %s not evaluated", tc.statement, tc.action)
			continue
		}
		if c.Decision != tc.want {
			t.Errorf("%s %s: %s (%s), want %s", tc.statement, tc.action, c.Decision, c.Why, tc.want)
		}
	}
	c, _ := accessOf(r, "S3GrantB7C80A24Objects", "s3:GetObject")
	if want := []string{"aws:PrincipalOrgID is o-a1b2c3d4e5", "over HTTPS only"}; !slices.Equal(c.When, want) || c.WhenAnyOf {
		t.Errorf("the org-bound grant is allowed when %q (any of: %v), want %q", c.When, c.WhenAnyOf, want)
	}
	if c, _ := accessOf(r, "Reporting", "s3:GetObject"); !strings.Contains(c.Why, "key") {
		t.Errorf("the denial does not point at the key: %s", c.Why)
	}

	st.Encryption = EncryptionState{}
	if c, _ := accessOf(Audit(st), "PublicRead", "s3:GetObject"); c.Decision != policy.Allowed {
		t.Errorf("without a key and Block Public Access, an anonymous read is %s (%s)", c.Decision, c.Why)
	}
	st.BucketBPA = plan.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
	r = Audit(st)
	if c, _ := accessOf(r, "PublicRead", "s3:GetObject"); c.Decision == policy.Allowed {
		t.Errorf("RestrictPublicBuckets on, yet an anonymous read is allowed")
	}
	got := findingCounts(r)
	for k, n := range map[string]int{
		"high public-statement": 0, "warning public-statement-restricted": 1,
		"high public-acl": 0, "warning public-acl-ignored": 1, "warning block-public-access-off": 0,
	} {
		if got[k] != n {
			t.Errorf("with Block Public Access on: %s: %d findings, want %d", k, got[k], n)
		}
	}
}

func TestAuditOrganizationAndSettings(t *testing.T) {
	st := messyState(t)
	st.OrgID = "o-a1b2c3d4e5"
	st.ObjectOwnership = policy.OwnershipBucketOwnerEnforced
	st.Logging = &LoggingState{Enabled: true, TargetBucket: "logs", TargetPrefix: "messy/"}
	st.Trails = nil
	st.Encryption = EncryptionState{Algorithm: "aws:kms", KeyARN: auditKeyARN, AWSManaged: true}
	got := findingCounts(Audit(st))
	for k, n := range map[string]int{
		"warning organization-not-enforced": 3, // account 222233334444, role reporting, the access point's analytics; the S3Grant statement pins the org
		"warning acls-enabled":              0,
		"info acl-grant":                    2, // ignored under BucketOwnerEnforced
		"info access-logging-on":            1,
		"warning no-data-events":            1,
		"warning aws-managed-key":           1,
	} {
		if got[k] != n {
			t.Errorf("%s: %d findings, want %d (all: %v)", k, got[k], n, got)
		}
	}
}

func TestAuditFailOnThreshold(t *testing.T) {
	r := Audit(messyState(t))
	if n := len(r.AtOrAbove(policy.SevHigh)); n != 2 {
		t.Errorf("%d findings at or above high, want 2", n)
	}
	if len(r.AtOrAbove(policy.SevInfo)) != len(r.Findings) {
		t.Error("info does not include every finding")
	}
}

// The text and JSON renderings carry every grant and finding.
func TestAuditRendering(t *testing.T) {
	r := Audit(messyState(t))
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if !strings.Contains(text.String(), f.Message) {
			t.Errorf("text lacks finding %s", f.Code)
		}
	}
	for _, want := range []string{"Server access logging: off", "CloudTrail S3 data events: trail org-trail (all S3 buckets; logging)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, g := range r.Grants {
		if !strings.Contains(text.String(), g.InWords) {
			t.Errorf("text lacks grant %s", g.Who)
		}
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"grants", "findings", "monitoring", "documents"} {
		if _, ok := back[k]; !ok {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

// With the organization's members known, only accounts outside it are
// flagged, and as high.
func TestAuditOrganizationMembers(t *testing.T) {
	st := messyState(t)
	st.OrgID = "o-a1b2c3d4e5"
	st.OrgAccounts = []string{auditOwner, "222233334444"}
	got := findingCounts(Audit(st))
	if got["high outside-organization"] != 1 || got["warning organization-not-enforced"] != 0 {
		t.Errorf("want one high outside-organization (444455556666), got %v", got)
	}
	st.OrgAccounts = []string{auditOwner}
	if got := findingCounts(Audit(st)); got["high outside-organization"] != 5 {
		t.Errorf("want 5 grants outside the organization (the S3Grant one included), got %v", got)
	}
}

// A service principal without a source condition is a confused deputy; with
// aws:SourceAccount it is not.
func TestAuditServiceGrants(t *testing.T) {
	st := State{
		Bucket: "logs", Region: "eu-west-1", OwnerAccount: auditOwner, ObjectOwnership: policy.OwnershipBucketOwnerEnforced,
		BucketPolicy: mustPolicy(t, `{"Version":"2012-10-17","Statement":[
 {"Sid":"Open","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/*"},
 {"Sid":"Pinned","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`),
	}
	r := Audit(st)
	var flagged []string
	for _, f := range r.Findings {
		if f.Code == "service-without-source" {
			flagged = append(flagged, f.Statement)
		}
	}
	if strings.Join(flagged, ",") != "Open" {
		t.Errorf("service-without-source on %v, want only Open", flagged)
	}
	if len(r.Grants) != 2 || r.Grants[0].Kind != "service" || r.Grants[0].NotEvaluated == "" {
		t.Errorf("service grants: %+v", r.Grants)
	}
}

// The messy bucket's report reads as reviewed in
// testdata/golden/audit_messy.txt (go test ./wizard -run AuditGolden -update).
func TestAuditGolden(t *testing.T) {
	var text bytes.Buffer
	if err := Audit(messyState(t)).WriteText(&text); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "audit_messy.txt", text.Bytes())
}

// A role of the owner account that another account may assume, and that can
// read the bucket, is a way in; a role that cannot reach the bucket is not.
func TestAuditRolesAssumableFromOutside(t *testing.T) {
	st := messyState(t)
	st.Roles = []RoleState{
		{
			Name: "partner-reader", ARN: "arn:aws:iam::111122223333:role/partner-reader",
			Trust: mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"partner-7f3c9a"}}},
 {"Sid":"S3GrantB7C80A24Trust","Effect":"Allow","Principal":{"AWS":["AIDAJQABLZS4A3QDU576Q","arn:aws:iam::222233334444:role/analytics"]},"Action":"sts:AssumeRole"}]}`),
			Policies: []policy.Doc{{Name: "inline policy read of role partner-reader", Kind: policy.KindIdentityPolicy, Policy: mustPolicy(t, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/reports/*"},
 {"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`)}},
		},
		{
			Name: "elsewhere", ARN: "arn:aws:iam::111122223333:role/elsewhere",
			Trust: mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/x"},"Action":"sts:AssumeRole"}]}`),
			Policies: []policy.Doc{{Name: "inline policy other of role elsewhere", Kind: policy.KindIdentityPolicy, Policy: mustPolicy(t, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::another-bucket/*"}]}`)}},
		},
	}
	r := Audit(st)
	var through []ExternalGrant
	for _, g := range r.Grants {
		if g.AsRole != "" {
			through = append(through, g)
		}
	}
	if len(through) != 2 || through[0].Who != "arn:aws:iam::222233334444:root" || through[0].AsRole != "arn:aws:iam::111122223333:role/partner-reader" ||
		through[1].Who != "arn:aws:iam::222233334444:role/analytics" {
		t.Fatalf("grants through roles: %+v", through)
	}
	g := through[0]
	if g.Statement != "Partner" || !strings.Contains(g.InWords, "may assume this role") {
		t.Errorf("grant: %+v", g)
	}
	if len(g.Access) != 1 || g.Access[0].Action != "s3:GetObject" || g.Access[0].Decision != policy.Allowed {
		t.Errorf("the role's access: %+v", g.Access)
	}
	got := findingCounts(r)
	if got["warning whole-account-grant"] != 3 || got["info s3grant-statement"] != 2 || got["warning orphaned-principal"] != 2 {
		t.Errorf("the role's trust is not flagged (whole account, s3grant statement, deleted user): %v", got)
	}
	st.AccessPointsNote = "list the access points of messy-bucket: AccessDenied"
	st.RolesNote = "iam:ListRoles: AccessDenied"
	st.Roles = nil
	if got := findingCounts(Audit(st)); got["warning roles-unknown"] != 1 || got["warning access-points-unknown"] != 1 {
		t.Errorf("unreadable roles or access points are not reported: %v", got)
	}
}
