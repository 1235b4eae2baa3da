package policy

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every known disagreement with the oracle, with its reason. The rules
// behind them are covered by table tests from the AWS documentation.
const (
	// A role always has a trust policy, and sts:AssumeRole needs it to allow
	// even within one account; with no trust policy given the oracle treats
	// the role like a resource without a resource policy and lets the
	// caller's identity policy alone allow it. s3grant refuses, per
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html
	// ("trust policy ... defines the principals that you trust to assume
	// the role") and
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
	// (covered by TestEvaluateCoreRules "role trust policy must allow even in
	// one account").
	knownNoTrustPolicy = "sts:AssumeRole with no trust policy: AWS requires the trust policy to allow; the oracle lets the identity policy alone allow it"

	// A NotPrincipal Deny spares a caller in s3grant only when it lists the
	// caller's account as well as the caller (or its role), because AWS
	// "might validate the account first, then the role, and then the
	// assumed-role user"; the oracle spares a caller named by any one entry.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
	// (covered by TestEvaluateMatching "NotPrincipal deny ...").
	// Date operators take epoch (UNIX) seconds as well as ISO 8601 dates; the
	// oracle does not read epoch values, so such a condition never holds there.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
	// (covered by TestConditionOperators "DateGreaterThanEquals ... 1700000000").
	knownEpochDate = "a Date condition with an epoch-seconds value: AWS accepts it, the oracle does not"

	knownNotPrincipalAccount = "NotPrincipal Deny listing the caller without its account (or the account without the caller): AWS may check each, s3grant denies; the oracle spares the caller"
)

// knownDisagreement explains a case where s3grant and the oracle differ on
// purpose; "" when the disagreement is not a known one (the test fails).
func knownDisagreement(t testing.TB, c *oracleCase, ours, theirs Decision) string {
	t.Helper()
	noResourcePolicy := len(c.ResourcePolicy) == 0 || string(c.ResourcePolicy) == "null"
	if c.family == "sts-trust" && noResourcePolicy && ours == ImplicitlyDenied && theirs == Allowed {
		return knownNoTrustPolicy
	}
	if epochDateCondition(t, c) && (c.stages != nil || withoutEpochDates(c).decideSingle(t) == theirs) {
		return knownEpochDate // and, for single cases, the oracle's reading reproduces its answer
	}
	if ours == ExplicitlyDenied && theirs != ExplicitlyDenied && partialNotPrincipal(t, c) {
		return knownNotPrincipalAccount
	}
	return ""
}

// partialNotPrincipal reports whether a resource policy of the case has a
// NotPrincipal Deny that names the caller by only some of its identities.
func partialNotPrincipal(t testing.TB, c *oracleCase) bool {
	docs := []*oracleCase{c}
	if c.stages != nil {
		docs = c.stages
	}
	caller := ParsePrincipal(c.Principal)
	for _, d := range docs {
		if len(d.ResourcePolicy) == 0 || string(d.ResourcePolicy) == "null" {
			continue
		}
		for _, s := range mustParse(t, string(d.ResourcePolicy)).Statement {
			if s.Effect == Deny && s.NotPrincipal != nil && s.NotPrincipal.match(caller) != principalNone && !s.NotPrincipal.excludes(caller) {
				return true
			}
		}
	}
	return false
}

// epochDateCondition reports whether any document of the case has a Date
// operator with an all-digits (epoch) value.
func epochDateCondition(t testing.TB, c *oracleCase) bool {
	parts := []*oracleCase{c}
	if c.stages != nil {
		parts = c.stages
	}
	for _, part := range parts {
		raws := append([]json.RawMessage{part.ResourcePolicy}, part.IdentityPolicies...)
		for _, raw := range raws {
			if len(raw) == 0 || string(raw) == "null" {
				continue
			}
			for _, s := range mustParse(t, string(raw)).Statement {
				for op, kv := range s.Condition {
					if !strings.Contains(op, "Date") {
						continue
					}
					for _, v := range kv {
						for _, x := range v.Strings() {
							if _, err := strconv.ParseInt(x, 10, 64); err == nil {
								return true
							}
						}
					}
				}
			}
		}
	}
	return false
}

// withoutEpochDates copies a case with every epoch date made unreadable, as
// the oracle reads it.
func withoutEpochDates(c *oracleCase) *oracleCase {
	out := *c
	fix := func(raw json.RawMessage) json.RawMessage {
		return json.RawMessage(epochValue.ReplaceAllString(string(raw), `"$1": "not-a-date"`))
	}
	out.ResourcePolicy = fix(c.ResourcePolicy)
	out.IdentityPolicies = nil
	for _, r := range c.IdentityPolicies {
		out.IdentityPolicies = append(out.IdentityPolicies, fix(r))
	}
	return &out
}

var epochValue = regexp.MustCompile(`"(aws:CurrentTime|aws:EpochTime|aws:TokenIssueTime)":\s*"\d+"`)
