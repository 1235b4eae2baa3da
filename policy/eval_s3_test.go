package policy

import (
	"strings"
	"testing"
)

const (
	apA     = "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap"
	apB     = "arn:aws:s3:eu-west-1:222233334444:accesspoint/ap"
	canonB  = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
	urlAP   = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html"
	urlBPA  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
	urlACL  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions"
	urlOwn  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html"
	urlKMSx = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html"
	urlAWSK = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html"
)

type s3Case struct {
	name string
	url  string
	req  S3Request
	set  S3Setup
	want Decision
	why  string
}

func getReport(who string) S3Request {
	return S3Request{Principal: who, Action: "s3:GetObject", Bucket: "b", Key: "reports/q1.csv", BucketAccount: acctA, CanonicalID: canonB}
}

func via(r S3Request, ap string) S3Request { r.AccessPoint = ap; return r }

func TestAuthorizeS3(t *testing.T) {
	idAP := []Doc{{Name: "identity", Policy: mustParse(t, stmts(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:eu-west-1:*:accesspoint/ap/object/reports/*"}`))}}
	idBucket := []Doc{{Name: "identity", Policy: mustParse(t, stmts(idGetReports))}}
	idBoth := []Doc{idBucket[0], {Name: "kms", Policy: mustParse(t, stmts(idKMSDecrypt))}}
	apPolicy := mustParse(t, stmts(`{"Sid":"APGet","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/reports/*"}`))
	apPolicyB := mustParse(t, strings.ReplaceAll(stmts(`{"Sid":"APGet","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/reports/*"}`), "111122223333:accesspoint", "222233334444:accesspoint"))
	delegateA := mustParse(t, stmts(`{"Sid":"Delegate","Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`))
	delegateArnB := mustParse(t, stmts(`{"Sid":"DelegateB","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:DataAccessPointArn":"arn:aws:s3:eu-west-1:222233334444:accesspoint/ap"}}}`))
	bpToRoleB := mustParse(t, stmts(rpGetToRoleB))
	public := mustParse(t, stmts(`{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`))
	aclB := &ACL{Grants: []Grant{{Type: GranteeCanonicalUser, ID: canonB, Permission: PermRead}}}
	aclAll := &ACL{Grants: []Grant{{Type: GranteeGroup, URI: GroupAllUsers, Permission: PermRead}}}
	keyB := &KeySetup{ARN: keyARN, Policy: mustParse(t, stmts(keyRootA, keyToRoleB))}
	keyRootOnly := &KeySetup{ARN: keyARN, Policy: mustParse(t, stmts(keyRootA))}
	cases := []s3Case{
		{
			"access point in A: identity on AP + AP policy + delegating bucket policy", urlAP, via(getReport(roleB), apA),
			S3Setup{Identity: idAP, AccessPointPolicy: apPolicy, BucketPolicy: delegateA},
			Allowed, "Delegate",
		},
		{
			"access point: bucket policy does not delegate", urlAP, via(getReport(roleB), apA),
			S3Setup{Identity: idAP, AccessPointPolicy: apPolicy},
			ImplicitlyDenied, "[bucket]",
		},
		{
			"access point: no access point policy", urlAP, via(getReport(roleB), apA),
			S3Setup{Identity: idAP, BucketPolicy: delegateA},
			ImplicitlyDenied, "[access point]",
		},
		{
			"access point: identity policy on the bucket ARN does not cover the AP", urlAP, via(getReport(roleB), apA),
			S3Setup{Identity: idBucket, AccessPointPolicy: apPolicy, BucketPolicy: delegateA},
			ImplicitlyDenied, "no identity policy statement",
		},
		{
			"cross-account access point in B: bucket policy names the AP ARN", urlAP, via(getReport(roleB), apB),
			S3Setup{Identity: idAP, AccessPointPolicy: apPolicyB, BucketPolicy: delegateArnB},
			Allowed, "DelegateB",
		},
		{
			"cross-account access point in B: delegation to A's access points only", urlAP, via(getReport(roleB), apB),
			S3Setup{Identity: idAP, AccessPointPolicy: apPolicyB, BucketPolicy: delegateA},
			ImplicitlyDenied, "[bucket]",
		},
		{
			"direct request: the delegation statement does not apply without an access point", urlAP, getReport(roleB),
			S3Setup{Identity: idBucket, BucketPolicy: delegateA},
			ImplicitlyDenied, "",
		},
		{
			"RestrictPublicBuckets blocks cross-account access to a public bucket", urlBPA, getReport(roleB),
			S3Setup{Identity: idBucket, BucketPolicy: mustParse(t, stmts(rpGetToRoleB, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}`)), BPA: BlockPublicAccess{RestrictPublicBuckets: true}},
			ImplicitlyDenied, "RestrictPublicBuckets",
		},
		{
			"RestrictPublicBuckets keeps same-account access", urlBPA, getReport(userA),
			S3Setup{BucketPolicy: public, BPA: BlockPublicAccess{RestrictPublicBuckets: true}},
			Allowed, "",
		},
		{
			"RestrictPublicBuckets does not touch a non-public policy", urlBPA, getReport(roleB),
			S3Setup{Identity: idBucket, BucketPolicy: bpToRoleB, BPA: BlockPublicAccess{RestrictPublicBuckets: true}},
			Allowed, "",
		},
		{"public policy without BPA admits anonymous", urlBPA, getReport(""), S3Setup{BucketPolicy: public}, Allowed, "Public"},
		{
			"bucket ACL READ does not grant GetObject", urlACL, getReport(roleB),
			S3Setup{Identity: idBucket, BucketACL: aclB, ObjectOwnership: OwnershipObjectWriter},
			ImplicitlyDenied, "",
		},
		{
			"bucket ACL READ grants ListBucket (with identity allow)", urlACL,
			S3Request{Principal: roleB, Action: "s3:ListBucket", Bucket: "b", BucketAccount: acctA, CanonicalID: canonB},
			S3Setup{Identity: []Doc{{Name: "id", Policy: mustParse(t, stmts(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`))}}, BucketACL: aclB, ObjectOwnership: OwnershipBucketOwnerPreferred},
			Allowed, "Grant[0]",
		},
		{
			"ACLs are ignored under BucketOwnerEnforced", urlOwn,
			S3Request{Principal: roleB, Action: "s3:ListBucket", Bucket: "b", BucketAccount: acctA, CanonicalID: canonB},
			S3Setup{Identity: []Doc{{Name: "id", Policy: mustParse(t, stmts(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`))}}, BucketACL: aclB, ObjectOwnership: OwnershipBucketOwnerEnforced},
			ImplicitlyDenied, "",
		},
		{
			"object ACL READ grants GetObject", urlACL, getReport(roleB),
			S3Setup{Identity: idBucket, ObjectACL: aclB, ObjectOwnership: OwnershipObjectWriter},
			Allowed, "object ACL",
		},
		{
			"IgnorePublicAcls drops an AllUsers grant", urlBPA, getReport(""),
			S3Setup{ObjectACL: aclAll, ObjectOwnership: OwnershipObjectWriter, BPA: BlockPublicAccess{IgnorePublicAcls: true}},
			ImplicitlyDenied, "IgnorePublicAcls",
		},
		{
			"AllUsers object grant admits anonymous", urlACL, getReport(""),
			S3Setup{ObjectACL: aclAll, ObjectOwnership: OwnershipObjectWriter},
			Allowed, "AllUsers",
		},
		{
			"object written by B under ObjectWriter: A's bucket policy cannot grant it", urlOwn, getReport("arn:aws:iam::333344445555:role/r"),
			S3Setup{Identity: idBucket, BucketPolicy: mustParse(t, stmts(`{"Effect":"Allow","Principal":{"AWS":"333344445555"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`)), ObjectOwnership: OwnershipObjectWriter, ObjectWriter: acctB},
			ImplicitlyDenied, "",
		},
		{
			"object written by B under ObjectWriter: the bucket owner cannot read it", urlOwn, getReport(userA),
			S3Setup{Identity: idBucket, ObjectOwnership: OwnershipObjectWriter, ObjectWriter: acctB},
			ImplicitlyDenied, "",
		},
		{
			"object written by B with bucket-owner-full-control under BucketOwnerPreferred belongs to A", urlOwn, getReport(userA),
			S3Setup{Identity: idBucket, ObjectOwnership: OwnershipBucketOwnerPreferred, ObjectWriter: acctB, ObjectWrittenWithOwnerFullControl: true},
			Allowed, "",
		},
		{
			"object written by B under BucketOwnerEnforced belongs to A", urlOwn, getReport(roleB),
			S3Setup{Identity: idBucket, BucketPolicy: bpToRoleB, ObjectWriter: acctB},
			Allowed, "",
		},
		{
			"SSE-KMS customer key: key policy and identity policy allow", urlKMSx, getReport(roleB),
			S3Setup{Identity: idBoth, BucketPolicy: bpToRoleB, Key: keyB},
			Allowed, "KeyB",
		},
		{
			"SSE-KMS customer key: key policy does not name B", urlKMSx, getReport(roleB),
			S3Setup{Identity: idBoth, BucketPolicy: bpToRoleB, Key: keyRootOnly},
			ImplicitlyDenied, "[key]",
		},
		{
			"SSE-KMS customer key: identity lacks kms:Decrypt", urlKMSx, getReport(roleB),
			S3Setup{Identity: idBucket, BucketPolicy: bpToRoleB, Key: keyB},
			ImplicitlyDenied, "kms:Decrypt",
		},
		{
			"AWS-managed key: never cross-account", urlAWSK, getReport(roleB),
			S3Setup{Identity: idBoth, BucketPolicy: bpToRoleB, Key: &KeySetup{ARN: keyARN, AWSManaged: true}},
			ImplicitlyDenied, "AWS-managed",
		},
		{
			"AWS-managed key: same account works", urlAWSK, getReport(userA),
			S3Setup{Identity: idBucket, Key: &KeySetup{ARN: keyARN, AWSManaged: true}},
			Allowed, "",
		},
		{
			"explicit deny in the bucket policy blocks an access point request", urlAP, via(getReport(roleB), apA),
			S3Setup{Identity: idAP, AccessPointPolicy: apPolicy, BucketPolicy: mustParse(t, stmts(`{"Sid":"Delegate","Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`, rpDenyAll))},
			ExplicitlyDenied, "DenyAll",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := AuthorizeS3(c.req, c.set)
			if got.Decision != c.want {
				t.Fatalf("per %s: got %s, want %s; reasons:\n%s", c.url, got.Decision, c.want, reasonText(got))
			}
			if c.why != "" && !strings.Contains(reasonText(got), c.why) {
				t.Fatalf("reasons lack %q:\n%s", c.why, reasonText(got))
			}
			if d := PrepareS3(c.set).Decide(c.req); d != c.want {
				t.Fatalf("PreparedS3.Decide: %s, AuthorizeS3 %s", d, c.want)
			}
		})
	}
}

func TestIsPublicStatement(t *testing.T) {
	cases := []struct {
		stmt string
		want bool
	}{
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`, true},
		{`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}`, true},
		{`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}`, false},
		{`{"Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"s3:GetObject","Resource":"*"}`, false},
		{`{"Effect":"Allow","NotPrincipal":{"AWS":"222233334444"},"Action":"s3:GetObject","Resource":"*"}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"s3:DataAccessPointArn":"arn:aws:s3:eu-west-1:111122223333:accesspoint/*"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"s3:DataAccessPointAccount":"*"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:userid":"AROAEXAMPLE:*"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`, true},
	}
	for _, c := range cases {
		p := mustParse(t, stmts(c.stmt))
		if got := IsPublicStatement(p.Statement[0]); got != c.want {
			t.Errorf("IsPublicStatement(%s) = %v, want %v (per %s)", c.stmt, got, c.want, urlBPA+"#access-control-block-public-access-policy-status")
		}
	}
}
