package policy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/oracle"
)

// The table cases for service principals, KMS aliases and Allow with
// NotPrincipal, sent to the oracle too. Where the oracle answers otherwise,
// the AWS page that decides the case is named here: the table tests follow
// the page.
var knownSpecialDisagreements = map[string]string{
	// The oracle applies the key policy given with the request to the alias
	// ARN as if the alias were the key. An alias is its own resource with no
	// policy: kms:*Alias on the alias comes from IAM policies.
	"a key policy allowing kms:* does not allow an alias operation without IAM": "an alias has no key policy; IAM policies decide alias operations: https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html",
	// The oracle lets another account manage the alias when both policies
	// allow; alias permissions come from the IAM policies of the alias's own
	// account, and aliases cannot be managed from another account.
	"another account cannot manage the alias, whatever both policies say": "alias operations are same-account IAM permissions: https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html",
	// The oracle gives an anonymous caller nothing from an Allow with
	// NotPrincipal; AWS documents that such a statement may grant access to
	// anonymous (unauthenticated) users.
	"Allow with NotPrincipal grants anonymous requests": "NotPrincipal with Allow grants everyone not listed, anonymous users included: " + urlNotPrincipalAllow,
}

// TestOracleSpecialCases runs servicePrincipalCases, kmsAliasCases and
// notPrincipalAllowCases through the oracle; every disagreement must be
// listed in knownSpecialDisagreements with the page that decides it.
func TestOracleSpecialCases(t *testing.T) {
	var all []evalCase
	all = append(all, servicePrincipalCases()...)
	all = append(all, kmsAliasCases()...)
	all = append(all, notPrincipalAllowCases()...)
	var cases []oracle.Case
	for i, c := range all {
		ctx := map[string]any{}
		implied := ImpliedContext(Request{Principal: c.who, ResourceAccount: c.owner, Context: c.ctx})
		for _, k := range implied.Keys() {
			v, _ := implied.Get(k)
			ctx[oracleKeyName(k)] = v
		}
		oc := oracle.Case{ID: i + 1, Engine: oracle.EngineSimulate, Principal: c.who, Action: c.action, Resource: c.resource, AccountID: c.owner, Context: ctx}
		if c.identity != "" {
			oc.IdentityPolicies = []json.RawMessage{json.RawMessage(c.identity)}
		}
		if c.rpol != "" {
			oc.ResourcePolicy = json.RawMessage(c.rpol)
		}
		cases = append(cases, oc)
	}
	answers := oracle.Run(t, cases)
	for i, c := range all {
		a := answers[i+1]
		theirs, ok := ParseDecision(a.Decision)
		if a.Error != "" || !ok {
			t.Logf("%s: the oracle cannot decide it (%s%s)", c.name, a.Error, a.Decision)
			if why := knownSpecialDisagreements[c.name]; why == "" {
				t.Errorf("%s: oracle error not listed as known: %s", c.name, a.Error)
			}
			continue
		}
		if theirs == c.want {
			continue
		}
		if why := knownSpecialDisagreements[c.name]; why != "" {
			t.Logf("known disagreement: %s: s3grant %s, oracle %s: %s", c.name, c.want, theirs, why)
			continue
		}
		t.Errorf("%s: s3grant %s (per %s), oracle %s: not a known disagreement", c.name, c.want, c.url, theirs)
	}
}

// oracleKeyName spells a lower-cased context key as AWS documents it.
func oracleKeyName(k string) string {
	for _, name := range []string{
		"aws:SecureTransport", "aws:ResourceAccount", "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType",
		"aws:username", "aws:SourceAccount", "s3:x-amz-acl",
	} {
		if strings.EqualFold(name, k) {
			return name
		}
	}
	return k
}
