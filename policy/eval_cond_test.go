package policy

import (
	"slices"
	"strings"
	"testing"
	"unsafe"
)

const (
	urlOps  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	urlSets = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
)

// TestConditionOperators checks each operator, with the key present,
// absent, and in its IfExists and set forms.
func TestConditionOperators(t *testing.T) {
	ctx := Context{}.
		Set("aws:SecureTransport", "false").
		Set("s3:prefix", "reports/2024/").
		Set("aws:SourceIp", "203.0.113.7").
		Set("s3:max-keys", "50").
		Set("aws:CurrentTime", "2026-11-28T05:00:00Z").
		Set("aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:topic").
		Set("aws:TagKeys", "team", "env").
		Set("aws:username", "alice")
	cases := []struct {
		url  string
		op   string
		key  string
		vals []string
		want bool
	}{
		{urlOps, "StringEquals", "s3:prefix", []string{"reports/2024/"}, true},
		{urlOps, "StringEquals", "S3:Prefix", []string{"reports/2024/"}, true}, // key names are case-insensitive
		{urlOps, "StringEquals", "s3:prefix", []string{"Reports/2024/"}, false},
		{urlOps, "StringEqualsIgnoreCase", "s3:prefix", []string{"Reports/2024/"}, true},
		{urlOps, "StringNotEquals", "s3:prefix", []string{"x", "y"}, true},
		{urlOps, "StringNotEquals", "s3:prefix", []string{"reports/2024/"}, false},
		{urlOps, "StringNotEqualsIgnoreCase", "s3:prefix", []string{"REPORTS/2024/"}, false},
		{urlOps, "StringLike", "s3:prefix", []string{"reports/*"}, true},
		{urlOps, "StringLike", "s3:prefix", []string{"reports/20??/"}, true},
		{urlOps, "StringLike", "s3:prefix", []string{"exports/*", "reports/*"}, true}, // values OR
		{urlOps, "StringNotLike", "s3:prefix", []string{"reports/*"}, false},
		{urlOps, "StringLike", "s3:prefix", []string{"reports/${aws:username}/*"}, false},
		{urlOps, "StringEquals", "s3:prefix", []string{"${aws:username, 'x'}"}, false},
		{urlOps, "StringEquals", "aws:username", []string{"${aws:username}"}, true},
		// an unresolved variable voids the statement, even under a negated operator
		{"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value", "StringNotLike", "s3:prefix", []string{"${aws:PrincipalTag/team}/*"}, false},
		{urlOps, "Bool", "aws:SecureTransport", []string{"false"}, true},
		{urlOps, "Bool", "aws:SecureTransport", []string{"true"}, false},
		{urlOps, "Bool", "aws:MultiFactorAuthPresent", []string{"false"}, false}, // absent key: positive operator is false
		{urlOps, "BoolIfExists", "aws:MultiFactorAuthPresent", []string{"false"}, true},
		{urlOps, "IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, true},
		{urlOps, "IpAddress", "aws:SourceIp", []string{"198.51.100.0/24"}, false},
		{urlOps, "NotIpAddress", "aws:SourceIp", []string{"198.51.100.0/24"}, true},
		{urlOps, "IpAddress", "aws:SourceIp", []string{"203.0.113.7"}, true},
		{urlOps, "NumericLessThan", "s3:max-keys", []string{"100"}, true},
		{urlOps, "NumericLessThanEquals", "s3:max-keys", []string{"50"}, true},
		{urlOps, "NumericGreaterThan", "s3:max-keys", []string{"50"}, false},
		{urlOps, "NumericGreaterThanEquals", "s3:max-keys", []string{"50"}, true},
		{urlOps, "NumericEquals", "s3:max-keys", []string{"50.0"}, true},
		{urlOps, "NumericNotEquals", "s3:max-keys", []string{"50"}, false},
		{urlOps, "NumericEquals", "s3:max-keys", []string{"abc"}, false},
		{urlOps, "DateLessThan", "aws:CurrentTime", []string{"2027-01-01T00:00:00Z"}, true},
		{urlOps, "DateGreaterThan", "aws:CurrentTime", []string{"2027-01-01"}, false},
		{urlOps, "DateGreaterThanEquals", "aws:CurrentTime", []string{"1700000000"}, true}, // epoch seconds
		{urlOps, "DateEquals", "aws:CurrentTime", []string{"2026-11-28T05:00:00Z"}, true},
		{urlOps, "DateNotEquals", "aws:CurrentTime", []string{"2026-11-28T05:00:00Z"}, false},
		{urlOps, "DateLessThanEquals", "aws:CurrentTime", []string{"2026-11-28T05:00:00Z"}, true},
		{urlOps, "ArnEquals", "aws:SourceArn", []string{"arn:aws:sns:eu-west-1:111122223333:topic"}, true},
		{urlOps, "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*:111122223333:*"}, true},
		{urlOps, "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*:999999999999:*"}, false},
		{urlOps, "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sqs:*"}, true},
		{urlOps, "ArnNotEquals", "aws:SourceArn", []string{"arn:aws:sns:eu-west-1:111122223333:topic"}, false},
		{urlOps, "StringNotEquals", "aws:PrincipalOrgID", []string{"o-abc"}, true},         // absent key: negated operator is true
		{urlOps, "StringNotEqualsIfExists", "aws:PrincipalOrgID", []string{"o-abc"}, true}, // absent: IfExists true
		{urlOps, "StringEqualsIfExists", "s3:prefix", []string{"nope"}, false},             // present: evaluated
		{urlOps, "Null", "aws:PrincipalOrgID", []string{"true"}, true},
		{urlOps, "Null", "s3:prefix", []string{"true"}, false},
		{urlOps, "Null", "s3:prefix", []string{"false"}, true},
		{urlSets, "ForAnyValue:StringEquals", "aws:TagKeys", []string{"env"}, true},
		{urlSets, "ForAnyValue:StringEquals", "aws:TagKeys", []string{"cost"}, false},
		{urlSets, "ForAllValues:StringEquals", "aws:TagKeys", []string{"team", "env", "cost"}, true},
		{urlSets, "ForAllValues:StringEquals", "aws:TagKeys", []string{"team"}, false},
		{urlSets, "ForAllValues:StringEquals", "aws:RequestTag/x", []string{"team"}, true}, // absent: ForAllValues true
		{urlSets, "ForAnyValue:StringEquals", "aws:RequestTag/x", []string{"team"}, false}, // absent: ForAnyValue false
		{urlSets, "ForAnyValue:StringNotEquals", "aws:TagKeys", []string{"team"}, true},
		{urlSets, "ForAllValues:StringNotEquals", "aws:TagKeys", []string{"team"}, false},
		{urlSets, "ForAnyValue:StringLike", "aws:TagKeys", []string{"t*"}, true},
	}
	for _, c := range cases {
		got := evalCondition(c.op, c.key, c.vals, ctx, true)
		if got != c.want {
			t.Errorf("%s %s %v: got %v, want %v (per %s)", c.op, c.key, c.vals, got, c.want, c.url)
		}
	}
}

// TestConditionBlockLogic: operators AND, keys AND, values OR, and the
// reason names the failing operator and key.
func TestConditionBlockLogic(t *testing.T) {
	url := "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html"
	c := Conditions{}.
		Add("StringEquals", "s3:prefix", CondStrings("a/", "b/")).
		Add("Bool", "aws:SecureTransport", CondStrings("true"))
	ok := Context{}.Set("s3:prefix", "b/").Set("aws:SecureTransport", "true")
	if f := failedCondition(c, ok, true); f != "" {
		t.Errorf("all hold, got failure %q (per %s)", f, url)
	}
	bad := Context{}.Set("s3:prefix", "b/").Set("aws:SecureTransport", "false")
	if f := failedCondition(c, bad, true); f != "Bool aws:SecureTransport" {
		t.Errorf("want Bool aws:SecureTransport to fail, got %q (per %s)", f, url)
	}
}

// TestImpliedContext: the global keys a request implies.
func TestImpliedContext(t *testing.T) {
	ctx := ImpliedContext(Request{Principal: sessB, ResourceAccount: acctA})
	want := map[string]string{
		"aws:PrincipalArn": "arn:aws:iam::222233334444:role/analytics", "aws:PrincipalAccount": acctB,
		"aws:SecureTransport": "true", "aws:PrincipalType": "AssumedRole", "aws:ResourceAccount": acctA,
	}
	for k, v := range want {
		if got, _ := ctx.Get(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s = %v, want %s", k, got, v)
		}
	}
	given := ImpliedContext(Request{Principal: userA, Context: Context{}.Set("aws:SecureTransport", "false")})
	if v, _ := given.Get("aws:securetransport"); v[0] != "false" {
		t.Errorf("a given key must not be overwritten, got %v", v)
	}
	if v, _ := given.Get("aws:username"); len(v) != 1 || v[0] != "alice" {
		t.Errorf("aws:username = %v", v)
	}
}

func TestInternedKeysSorted(t *testing.T) {
	if !slices.IsSorted(internedKeys[:]) {
		t.Fatal("internedKeys must be sorted for internKey's binary search")
	}
	for _, k := range internedKeys {
		if k != strings.ToLower(k) {
			t.Errorf("%s: internedKeys holds lower-cased names, as Context stores them", k)
		}
		// The same copy: a map lookup then compares pointers only.
		if got, ok := internKey(strings.Clone(k)); !ok || unsafe.StringData(got) != unsafe.StringData(k) {
			t.Errorf("internKey(%q) = %q, %v: not the interned copy", k, got, ok)
		}
	}
	if got, ok := internKey("aws:nosuchkey"); ok || got != "aws:nosuchkey" {
		t.Errorf("internKey of an unknown key = %q, %v", got, ok)
	}
}
