package policy

import (
	"strings"
	"testing"
)

const (
	acctA   = "111122223333" // resource owner
	acctB   = "222233334444" // consumer
	roleB   = "arn:aws:iam::222233334444:role/analytics"
	sessB   = "arn:aws:sts::222233334444:assumed-role/analytics/s1"
	userA   = "arn:aws:iam::111122223333:user/alice"
	roleA   = "arn:aws:iam::111122223333:role/app"
	bucket  = "arn:aws:s3:::b"
	objRep  = "arn:aws:s3:::b/reports/q1.csv"
	urlEval = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
	urlX    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
)

func mustParse(t testing.TB, s string) *Policy {
	t.Helper()
	p, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return p
}

func stmts(ss ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(ss, ",") + `]}`
}

// evalCase is one request against an identity policy and an optional
// resource policy.
type evalCase struct {
	name     string
	url      string // the AWS page the expectation follows
	who      string
	action   string
	resource string
	owner    string
	identity string // "" = none
	rpol     string
	kind     Kind
	ctx      Context
	want     Decision
	reason   string // a fragment the reasons must hold
}

func (c evalCase) run(t *testing.T) {
	t.Helper()
	in := Input{Request: Request{Principal: c.who, Action: c.action, Resource: c.resource, ResourceAccount: c.owner, Context: c.ctx}}
	if c.identity != "" {
		in.Identity = []Doc{{Name: "identity policy", Kind: KindIdentityPolicy, Policy: mustParse(t, c.identity)}}
	}
	if c.rpol != "" {
		k := c.kind
		if k == "" {
			k = KindBucketPolicy
		}
		in.Resource = &Doc{Name: string(k), Kind: k, Policy: mustParse(t, c.rpol)}
	}
	got := Evaluate(in)
	if got.Decision != c.want {
		t.Fatalf("%s (per %s): got %s, want %s; reasons:\n%s", c.name, c.url, got.Decision, c.want, reasonText(got))
	}
	if c.reason != "" && !strings.Contains(reasonText(got), c.reason) {
		t.Fatalf("%s: reasons lack %q:\n%s", c.name, c.reason, reasonText(got))
	}
}

func reasonText(r Result) string {
	var b strings.Builder
	for _, x := range r.Reasons {
		b.WriteString(x.String() + "\n")
	}
	return b.String()
}

const (
	idGetReports = `{"Sid":"IdGet","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/reports/*"}`
	rpGetToRoleB = `{"Sid":"RpGet","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	rpGetToAcctB = `{"Sid":"RpAcct","Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	rpDenyAll    = `{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`
	rpGetToUserA = `{"Sid":"ToAlice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	rpGetToAcctA = `{"Sid":"ToA","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	idDenyGet    = `{"Sid":"IdDeny","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}`
	trustToAcctB = `{"Sid":"Trust","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":"sts:AssumeRole"}`
	idAssume     = `{"Sid":"Assume","Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/app"}`
	keyToRoleB   = `{"Sid":"KeyB","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"kms:Decrypt","Resource":"*"}`
	keyRootA     = `{"Sid":"EnableIAM","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`
	idKMSDecrypt = `{"Sid":"IdKMS","Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:eu-west-1:111122223333:key/k1"}`
	keyARN       = "arn:aws:kms:eu-west-1:111122223333:key/k1"
)

func TestEvaluateCoreRules(t *testing.T) {
	cases := []evalCase{
		{
			name: "cross-account: identity and resource allow", url: urlX, who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA,
			identity: stmts(idGetReports), rpol: stmts(rpGetToRoleB), want: Allowed, reason: "RpGet",
		},
		{
			name: "cross-account: identity only", url: urlX, who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA,
			identity: stmts(idGetReports), want: ImplicitlyDenied, reason: "the resource owner 111122223333 must allow too",
		},
		{
			name: "cross-account: resource only", url: urlX, who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA,
			rpol: stmts(rpGetToRoleB), want: ImplicitlyDenied, reason: "no identity policy statement",
		},
		{
			name: "cross-account: account principal delegates to the account's IAM", url: urlX, who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA,
			identity: stmts(idGetReports), rpol: stmts(rpGetToAcctB), want: Allowed, reason: "as a whole",
		},
		{
			name: "explicit deny in the resource policy wins", url: urlEval, who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA,
			identity: stmts(idGetReports), rpol: stmts(rpGetToRoleB, rpDenyAll), want: ExplicitlyDenied, reason: "DenyAll",
		},
		{
			name: "explicit deny in the identity policy wins", url: urlEval, who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA,
			identity: stmts(idGetReports, idDenyGet), rpol: stmts(rpGetToRoleB), want: ExplicitlyDenied, reason: "IdDeny",
		},
		{
			name: "same account: resource policy naming the user grants alone", url: urlEval, who: userA, action: "s3:GetObject", resource: objRep, owner: acctA,
			rpol: stmts(rpGetToUserA), want: Allowed, reason: "ToAlice",
		},
		{
			name: "same account: naming only the account does not grant alone", url: urlEval, who: userA, action: "s3:GetObject", resource: objRep, owner: acctA,
			rpol: stmts(rpGetToAcctA), want: ImplicitlyDenied, reason: "names only the account",
		},
		{
			name: "same account: identity policy alone grants", url: urlEval, who: userA, action: "s3:GetObject", resource: objRep, owner: acctA,
			identity: stmts(idGetReports), want: Allowed,
		},
		{name: "no policy at all: implicit deny", url: urlEval, who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, want: ImplicitlyDenied},
		{
			name: "role trust policy must allow even in one account", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
			who: userA, action: "sts:AssumeRole", resource: roleA, owner: acctA, identity: stmts(idAssume),
			rpol: stmts(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`), kind: KindTrustPolicy, want: ImplicitlyDenied, reason: "must allow explicitly",
		},
		{
			name: "trust policy naming the other account plus identity allow", url: urlX, who: roleB, action: "sts:AssumeRole", resource: roleA, owner: acctA,
			identity: stmts(idAssume), rpol: stmts(trustToAcctB), kind: KindTrustPolicy, want: Allowed,
		},
		{
			name: "trust policy naming the other account without identity allow", url: urlX, who: roleB, action: "sts:AssumeRole", resource: roleA, owner: acctA,
			rpol: stmts(trustToAcctB), kind: KindTrustPolicy, want: ImplicitlyDenied,
		},
		{
			name: "key policy must allow explicitly: identity alone is not enough", url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
			who: roleA, action: "kms:Decrypt", resource: keyARN, owner: acctA, identity: stmts(idKMSDecrypt), rpol: stmts(keyToRoleB), kind: KindKeyPolicy, want: ImplicitlyDenied,
		},
		{
			name: "key policy root statement delegates to IAM", url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
			who: roleA, action: "kms:Decrypt", resource: keyARN, owner: acctA, identity: stmts(idKMSDecrypt), rpol: stmts(keyRootA), kind: KindKeyPolicy, want: Allowed,
		},
		{
			name: "cross-account key: key policy and identity policy", url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
			who: roleB, action: "kms:Decrypt", resource: keyARN, owner: acctA, identity: stmts(idKMSDecrypt), rpol: stmts(keyRootA, keyToRoleB), kind: KindKeyPolicy, want: Allowed,
		},
		{
			name: "cross-account key: identity alone", url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
			who: roleB, action: "kms:Decrypt", resource: keyARN, owner: acctA, identity: stmts(idKMSDecrypt), rpol: stmts(keyRootA), kind: KindKeyPolicy, want: ImplicitlyDenied,
		},
		{
			name: "role session matches the role ARN in a resource policy", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles",
			who: sessB, action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports), rpol: stmts(rpGetToRoleB), want: Allowed,
		},
		{
			name: "a session of another role does not match", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles",
			who: "arn:aws:sts::222233334444:assumed-role/other/s1", action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports), rpol: stmts(rpGetToRoleB), want: ImplicitlyDenied,
		},
		{
			name: "account ID principal is the account root", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts",
			who: sessB, action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports), rpol: stmts(rpGetToAcctB), want: Allowed,
		},
		{
			name: "anonymous needs Principal *", url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
			who: "", action: "s3:GetObject", resource: objRep, owner: acctA, rpol: stmts(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), want: Allowed,
		},
		{
			name: "anonymous is not an account principal", url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
			who: "", action: "s3:GetObject", resource: objRep, owner: acctA, rpol: stmts(rpGetToAcctB), want: ImplicitlyDenied,
		},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

func TestEvaluateMatching(t *testing.T) {
	ctx := Context{}.Set("aws:SecureTransport", "true")
	id := func(s string) string { return stmts(s) }
	cases := []evalCase{
		{
			name: "actions are case-insensitive", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, identity: id(`{"Effect":"Allow","Action":"S3:getobject","Resource":"*"}`), want: Allowed,
		},
		{
			name: "action wildcard *", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
			who: userA, action: "s3:GetObjectTagging", resource: objRep, owner: acctA, identity: id(`{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}`), want: Allowed,
		},
		{
			name: "action wildcard ?", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, identity: id(`{"Effect":"Allow","Action":"s3:?etObject","Resource":"*"}`), want: Allowed,
		},
		{
			name: "resources are case-sensitive", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, identity: id(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/Reports/*"}`), want: ImplicitlyDenied,
		},
		{
			name: "resource ? matches one character", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, identity: id(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/reports/q?.csv"}`), want: Allowed,
		},
		{
			name: "NotAction allows every other action", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, identity: id(`{"Effect":"Allow","NotAction":"s3:Delete*","Resource":"*"}`), want: Allowed,
		},
		{
			name: "NotAction excludes the listed action", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
			who: userA, action: "s3:DeleteObject", resource: objRep, owner: acctA, identity: id(`{"Effect":"Allow","NotAction":"s3:Delete*","Resource":"*"}`), want: ImplicitlyDenied,
		},
		{
			name: "NotResource deny spares the listed resource", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, ctx: ctx,
			identity: id(`{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::b/reports/*"}`), want: Allowed,
		},
		{
			name: "NotResource deny hits other resources", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
			who: userA, action: "s3:GetObject", resource: "arn:aws:s3:::b/private/x", owner: acctA,
			identity: id(`{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::b/reports/*"}`), want: ExplicitlyDenied,
		},
		{
			name: "NotPrincipal deny spares the listed principal", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports),
			rpol: stmts(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]},"Action":"s3:*","Resource":"*"}`), want: Allowed,
		},
		{
			name: "NotPrincipal deny hits everyone else", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
			who: roleB, action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports),
			rpol: stmts(rpGetToRoleB, `{"Sid":"OnlyAlice","Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:*","Resource":"*"}`), want: ExplicitlyDenied, reason: "OnlyAlice",
		},
		{
			name: "NotPrincipal naming the user but not its account still denies", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
			who: userA, action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports),
			rpol: stmts(`{"Sid":"NotAlice","Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:*","Resource":"*"}`), want: ExplicitlyDenied, reason: "NotAlice",
		},
		{
			name: "NotPrincipal naming the role and its account spares its sessions", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
			who: sessB, action: "s3:GetObject", resource: objRep, owner: acctA, identity: stmts(idGetReports),
			rpol: stmts(rpGetToRoleB, `{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::222233334444:role/analytics","222233334444"]},"Action":"s3:*","Resource":"*"}`), want: Allowed,
		},
		{
			name: "policy variable in a resource", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
			who: userA, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x", owner: acctA,
			identity: id(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}`), want: Allowed,
		},
		{
			name: "policy variable without a value matches nothing", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
			who: roleA, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x", owner: acctA,
			identity: id(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}`), want: ImplicitlyDenied,
		},
		{
			name: "policy variable default value", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-default-values",
			who: roleA, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/shared/x", owner: acctA,
			identity: id(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username, 'shared'}/*"}`), want: Allowed,
		},
		{
			name: "${*} is a literal star", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars",
			who: userA, action: "s3:GetObject", resource: "arn:aws:s3:::b/x/y", owner: acctA,
			identity: id(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}"}`), want: ImplicitlyDenied,
		},
		{
			name: "variables are literal in Version 2008-10-17", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
			who: userA, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x", owner: acctA,
			identity: `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}`, want: ImplicitlyDenied,
		},
		{
			name: "wildcard in one ARN segment does not cross colons", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
			who: userA, action: "s3:GetObject", resource: "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/x", owner: acctA,
			identity: id(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:*:111122223333:accesspoint/ap/object/*"}`), want: Allowed,
		},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}
