package policy

import (
	"strings"
	"testing"
)

// Table tests for the three semantics issue 17 fixed, each from the AWS
// page that defines it: service principals, KMS aliases, and Allow with
// NotPrincipal.

const (
	urlServicePrincipal = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services"
	urlS3Logging        = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html"
	urlCloudTrailBucket = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html"
	urlLambdaRole       = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"
	urlCloudTrailKMS    = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html"
	urlAliasAccess      = "https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html"
	urlNotPrincipal     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
	// The page's earlier text, which documents what an Allow with NotPrincipal does.
	urlNotPrincipalAllow = "https://github.com/awsdocs/iam-user-guide/blob/614c30d1d9ac171ed8d245f126a71db083b250fc/doc_source/reference_policies_elements_notprincipal.md"

	aliasA = "arn:aws:kms:eu-west-1:111122223333:alias/exports"
	keyA   = "arn:aws:kms:eu-west-1:111122223333:key/k1"
)

func TestEvaluateServicePrincipals(t *testing.T) {
	for _, c := range servicePrincipalCases() {
		t.Run(c.name, c.run)
	}
}

func servicePrincipalCases() []evalCase {
	return []evalCase{
		{
			name: "S3 server access logging: the bucket policy alone admits logging.s3.amazonaws.com", url: urlS3Logging,
			who: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: "arn:aws:s3:::b/logs/x", owner: acctA,
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}`),
			ctx:  Context{}.Set("aws:SourceAccount", acctA), want: Allowed,
		},
		{
			name: "the logging condition still holds: another source account is refused", url: urlS3Logging,
			who: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: "arn:aws:s3:::b/logs/x", owner: acctA,
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}`),
			ctx:  Context{}.Set("aws:SourceAccount", acctB), want: ImplicitlyDenied,
		},
		{
			name: "CloudTrail writes its logs with the bucket policy alone", url: urlCloudTrailBucket,
			who: "cloudtrail.amazonaws.com", action: "s3:PutObject", resource: "arn:aws:s3:::b/AWSLogs/111122223333/x", owner: acctA,
			rpol: stmts(`{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}`),
			ctx:  Context{}.Set("s3:x-amz-acl", "bucket-owner-full-control"), want: Allowed,
		},
		{
			name: "CloudTrail reads the bucket ACL with the bucket policy alone", url: urlCloudTrailBucket,
			who: "cloudtrail.amazonaws.com", action: "s3:GetBucketAcl", resource: bucket, owner: acctA,
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::b"}`), want: Allowed,
		},
		{
			name: "Lambda assumes its execution role through the trust policy alone", url: urlLambdaRole,
			who: "lambda.amazonaws.com", action: "sts:AssumeRole", resource: roleA, owner: acctA, kind: KindTrustPolicy,
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}`), want: Allowed,
		},
		{
			name: "CloudTrail uses a key its key policy admits it to", url: urlCloudTrailKMS,
			who: "cloudtrail.amazonaws.com", action: "kms:GenerateDataKey", resource: keyA, owner: acctA, kind: KindKeyPolicy,
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"}`), want: Allowed,
		},
		{
			name: "a service the policy does not name is refused", url: urlServicePrincipal,
			who: "lambda.amazonaws.com", action: "s3:PutObject", resource: "arn:aws:s3:::b/logs/x", owner: acctA,
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/logs/*"}`),
			want: ImplicitlyDenied, reason: "a service principal has no identity policies",
		},
		{
			name: "an AWS-account principal does not name a service", url: urlServicePrincipal,
			who: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: "arn:aws:s3:::b/logs/x", owner: acctA,
			rpol: stmts(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:PutObject","Resource":"*"}`), want: ImplicitlyDenied,
		},
		{
			name: "a Deny still wins over the service's allow", url: urlEval,
			who: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: "arn:aws:s3:::b/logs/x", owner: acctA,
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}`,
				`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`),
			ctx: Context{}.Set("aws:SecureTransport", "false"), want: ExplicitlyDenied,
		},
	}
}

func TestEvaluateKMSAliases(t *testing.T) {
	for _, c := range kmsAliasCases() {
		t.Run(c.name, c.run)
	}
}

func kmsAliasCases() []evalCase {
	keyPolicyAll := stmts(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::222233334444:root"]},"Action":"kms:*","Resource":"*"}`)
	return []evalCase{
		{
			name: "kms:CreateAlias on the alias comes from an IAM policy; the key policy does not apply", url: urlAliasAccess,
			who: userA, action: "kms:CreateAlias", resource: aliasA, owner: acctA, kind: KindKeyPolicy,
			identity: stmts(`{"Effect":"Allow","Action":["kms:CreateAlias","kms:UpdateAlias","kms:DeleteAlias"],"Resource":"arn:aws:kms:eu-west-1:111122223333:alias/exports"}`),
			rpol:     stmts(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"kms:*","Resource":"*"}`), want: Allowed,
		},
		{
			name: "a key policy allowing kms:* does not allow an alias operation without IAM", url: urlAliasAccess,
			who: userA, action: "kms:DeleteAlias", resource: aliasA, owner: acctA, kind: KindKeyPolicy,
			rpol: stmts(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:*","Resource":"*"}`),
			want: ImplicitlyDenied, reason: "is an alias, not a key",
		},
		{
			name: "another account cannot manage the alias, whatever both policies say", url: urlAliasAccess,
			who: roleB, action: "kms:UpdateAlias", resource: aliasA, owner: acctA, kind: KindKeyPolicy,
			identity: stmts(`{"Effect":"Allow","Action":"kms:*","Resource":"*"}`), rpol: keyPolicyAll, want: ImplicitlyDenied,
		},
		{
			name: "an IAM Deny on the alias wins", url: urlEval,
			who: userA, action: "kms:DeleteAlias", resource: aliasA, owner: acctA, kind: KindKeyPolicy,
			identity: stmts(`{"Effect":"Allow","Action":"kms:*","Resource":"*"}`, `{"Effect":"Deny","Action":"kms:DeleteAlias","Resource":"arn:aws:kms:*:*:alias/*"}`),
			rpol:     keyPolicyAll, want: ExplicitlyDenied,
		},
		{
			name: "a key ARN is still decided by its key policy", url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
			who: userA, action: "kms:Decrypt", resource: keyA, owner: acctA, kind: KindKeyPolicy,
			identity: stmts(`{"Effect":"Allow","Action":"kms:*","Resource":"*"}`),
			rpol:     stmts(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"kms:*","Resource":"*"}`), want: ImplicitlyDenied,
		},
	}
}

func TestEvaluateNotPrincipalAllow(t *testing.T) {
	for _, c := range notPrincipalAllowCases() {
		t.Run(c.name, c.run)
	}
}

func notPrincipalAllowCases() []evalCase {
	allowNot := stmts(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::333344445555:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`)
	return []evalCase{
		{
			name: "Allow with NotPrincipal grants a principal it does not list", url: urlNotPrincipalAllow,
			who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports), rpol: allowNot, want: Allowed,
		},
		{
			name: "Allow with NotPrincipal grants anonymous requests", url: urlNotPrincipalAllow,
			who: "", action: "s3:GetObject", resource: objRep, owner: acctA, rpol: allowNot, want: Allowed,
		},
		{
			name: "Allow with NotPrincipal does not grant a principal of a listed account", url: urlNotPrincipalAllow,
			who: "arn:aws:iam::333344445555:role/other", action: "s3:GetObject", resource: objRep, owner: acctA,
			identity: stmts(idGetReports), rpol: allowNot, want: ImplicitlyDenied,
		},
		{
			name: "Allow with NotPrincipal \"*\" grants no one", url: urlNotPrincipal,
			who: "", action: "s3:GetObject", resource: objRep, owner: acctA,
			rpol: stmts(`{"Effect":"Allow","NotPrincipal":"*","Action":"s3:GetObject","Resource":"*"}`), want: ImplicitlyDenied,
		},
	}
}

// TestNotPrincipalAllowAgreement: the describer, the linter and the
// evaluator read an Allow with NotPrincipal the same way: everyone not
// listed, anonymous requests included.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func TestNotPrincipalAllowAgreement(t *testing.T) {
	p := mustParse(t, stmts(`{"Sid":"Open","Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::333344445555:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`))
	words := strings.ToLower(strings.Join(DescribePolicy(p, DescribeOptions{Kind: KindBucketPolicy}), "\n"))
	if !strings.Contains(words, "anyone not listed in notprincipal") || !strings.Contains(words, "anonymous") {
		t.Errorf("describer: %q does not say anyone not listed, anonymous included", words)
	}
	var high bool
	for _, f := range Lint(p, LintTarget{Kind: KindBucketPolicy, Name: "bucket policy", OwnerAccount: acctA}) {
		high = high || (f.Code == LintNotPrincipal && f.Severity == SevHigh)
	}
	if !high {
		t.Error("linter: no high notprincipal-allow finding")
	}
	for _, who := range []string{"", roleB, "arn:aws:iam::444455556666:user/u"} {
		got := Evaluate(Input{
			Request:  Request{Principal: who, Action: "s3:GetObject", Resource: objRep, ResourceAccount: acctA},
			Identity: []Doc{{Name: "id", Kind: KindIdentityPolicy, Policy: mustParse(t, stmts(idGetReports))}},
			Resource: &Doc{Name: "bucket policy", Kind: KindBucketPolicy, Policy: p},
		})
		if !got.Allowed() {
			t.Errorf("evaluator: %q not allowed by the NotPrincipal Allow the describer reads as anyone's:\n%s", who, reasonText(got))
		}
	}
}
