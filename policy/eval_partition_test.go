package policy

import (
	"strings"
	"testing"
)

// inPartition rewrites the commercial ARNs of a document or caller into p.
func inPartition(s, p string) string { return strings.ReplaceAll(s, "arn:aws:", "arn:"+p+":") }

// TestAuthorizeS3InPartition: a direct request to a China or GovCloud bucket
// is decided on that partition's bucket and object ARNs. The request model
// used to name arn:aws:s3:::b whenever no access point was involved, so a
// bucket policy in the bucket's own partition never matched and every
// China/GovCloud grant (and an anonymous or principal-less audit request)
// was denied.
func TestAuthorizeS3InPartition(t *testing.T) {
	for _, p := range []string{"aws-cn", "aws-us-gov"} {
		caller := RoleSession(inPartition(roleB, p), "s")
		id := []Doc{{Name: "identity", Policy: mustParse(t, inPartition(stmts(idGetReports), p))}}
		set := S3Setup{Identity: id, BucketPolicy: mustParse(t, inPartition(stmts(rpGetToRoleB), p))}
		req := getReport(caller)
		req.Partition = p
		if r := AuthorizeS3(req, set); r.Decision != Allowed {
			t.Errorf("%s: %s, want Allowed: %v", p, r.Decision, r.Reasons)
		}
		if got, want := req.S3ResourceARN(), "arn:"+p+":s3:::b/reports/q1.csv"; got != want {
			t.Errorf("S3ResourceARN = %s, want %s", got, want)
		}
		// Without an explicit partition the caller's is the bucket's (IAM
		// does not cross partitions).
		req.Partition = ""
		if r := AuthorizeS3(req, set); r.Decision != Allowed {
			t.Errorf("%s, partition from the caller: %s, want Allowed: %v", p, r.Decision, r.Reasons)
		}
		// An anonymous request (the audit's) to a public bucket policy.
		public := mustParse(t, inPartition(stmts(`{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), p))
		anon := getReport("")
		anon.Partition = p
		if r := AuthorizeS3(anon, S3Setup{BucketPolicy: public}); r.Decision != Allowed {
			t.Errorf("%s anonymous: %s, want Allowed: %v", p, r.Decision, r.Reasons)
		}
		// A commercial-partition policy does not grant on a partition's bucket.
		req.Partition = p
		set.BucketPolicy = mustParse(t, stmts(rpGetToRoleB))
		if r := AuthorizeS3(req, set); r.Allowed() {
			t.Errorf("%s: an arn:aws bucket policy allowed a %s request", p, p)
		}
	}
}
