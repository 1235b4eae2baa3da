package policy

import (
	"sort"
	"strings"
	"testing"
)

func codes(fs []Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

const tlsDeny = `{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`

func TestLint(t *testing.T) {
	bucket := LintTarget{Kind: KindBucketPolicy, Name: "bucket policy", OwnerAccount: acctA, Complete: true}
	cases := []struct {
		name   string
		url    string
		target LintTarget
		doc    string
		want   string // sorted codes
	}{
		{"clean bucket policy", urlBPA, bucket, stmts(rpGetToRoleB, tlsDeny), ""},
		{"public statement", urlBPA, bucket, stmts(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`, tlsDeny), LintPublicStatement},
		{
			"Principal * bound to an access point account is not public", urlBPA, bucket,
			stmts(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`, tlsDeny), "",
		},
		{
			"wildcard action and resource", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
			LintTarget{Kind: KindIdentityPolicy, Name: "identity"},
			stmts(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), LintWildcardAction + "," + LintWildcardResource,
		},
		{
			"NotAction with Allow", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
			LintTarget{Kind: KindIdentityPolicy, Name: "identity"},
			stmts(`{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::b/*"}`), LintWildcardAction,
		},
		{
			"whole-account grant", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts",
			bucket, stmts(rpGetToAcctB, tlsDeny), LintWholeAccount,
		},
		{"the owner's own root is not a whole-account grant", urlX, bucket, stmts(rpGetToAcctA, tlsDeny), ""},
		{"missing TLS deny", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html", bucket, stmts(rpGetToRoleB), LintMissingTLSDeny},
		{"no TLS finding on a partial document", urlBPA, LintTarget{Kind: KindBucketPolicy, Name: "b", OwnerAccount: acctA}, stmts(rpGetToRoleB), ""},
		{
			"NotPrincipal with Allow", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html", bucket,
			stmts(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`, tlsDeny), LintNotPrincipal,
		},
		{
			"object action on the bucket ARN", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html", bucket,
			stmts(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b"}`, tlsDeny), LintActionResource,
		},
		{
			"bucket action on object ARNs", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html", bucket,
			stmts(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"}`, tlsDeny), LintActionResource,
		},
		{
			"object action on access point object ARNs is fine", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html",
			LintTarget{Kind: KindAccessPointPolicy, Name: "ap", OwnerAccount: acctA},
			stmts(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":["s3:GetObject"],"Resource":"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/reports/*"}`), "",
		},
		{
			"orphaned unique ID", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids", bucket,
			stmts(`{"Effect":"Allow","Principal":{"AWS":"AROAEXAMPLEID1234567"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`, tlsDeny), LintOrphanedID,
		},
		{
			"key policy without the owner's administration", "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
			LintTarget{Kind: KindKeyPolicy, Name: "key", OwnerAccount: acctA, Complete: true},
			stmts(keyToRoleB), LintOwnerLockout,
		},
		{
			"bucket policy denying everyone s3:* locks the owner out", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html", bucket,
			stmts(`{"Sid":"Freeze","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}`, tlsDeny), LintOwnerLockout,
		},
		{
			"key policy with the root statement", "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
			LintTarget{Kind: KindKeyPolicy, Name: "key", OwnerAccount: acctA, Complete: true},
			stmts(keyRootA, keyToRoleB), "",
		},
	}
	for _, c := range cases {
		got := codes(Lint(mustParse(t, c.doc), c.target))
		if got != c.want {
			t.Errorf("%s: codes %q, want %q (per %s)", c.name, got, c.want, c.url)
		}
	}
}

func TestLintACL(t *testing.T) {
	owner := "1111111111111111111111111111111111111111111111111111111111111111"
	a := &ACL{Owner: owner, Grants: []Grant{
		{Type: GranteeCanonicalUser, ID: owner, Permission: PermFullControl},
		{Type: GranteeCanonicalUser, ID: canonB, Permission: PermRead},
		{Type: GranteeGroup, URI: GroupAllUsers, Permission: PermRead},
	}}
	if got := codes(LintACL(a, "acl")); got != LintACLUse+","+LintPublicACL {
		t.Errorf("codes %q (per %s)", got, urlOwn)
	}
}
