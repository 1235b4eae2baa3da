package audit

import (
	"fmt"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// outsiderAccount is the account of the caller a "*" grant bounded by
// conditions is evaluated as, when its conditions name no principal: the
// first from 999988887777 down that no document names (a named account
// would bring its own grants along).
func (a *auditor) outsiderAccount() string {
	named := map[string]bool{a.st.OwnerAccount: true}
	for _, d := range a.policyDocs() {
		for _, s := range d.p.Statement {
			for _, pr := range []*policy.Principal{s.Principal, s.NotPrincipal} {
				for _, v := range pr.Values("AWS") {
					named[policy.ParsePrincipal(v).Account] = true
				}
			}
		}
	}
	for n := 999988887777; ; n-- {
		if id := fmt.Sprintf("%012d", n); !named[id] {
			return id
		}
	}
}

// evalPrincipal is the caller the audit evaluates a grant as (and, for a
// "*" grant bounded by conditions, who that is in words); false when the
// grant cannot be evaluated (and why).
func evalPrincipal(g ExternalGrant, s policy.Statement, partition, outsider string) (caller, as, why string, ok bool) {
	switch g.Kind {
	case "anyone":
		if policy.IsPublicStatement(s) {
			return "", "", "", true // anonymous
		}
		if delegatedAPAccount(s) != "" {
			return "", "", "Principal \"*\" bounded by access point conditions: " +
				"evaluated through the grants of the access points it delegates to", false
		}
		return conditionedCaller(s, partition, outsider)
	case "account":
		return arn.Root(partition, g.Account), "", "", true
	case "role", "user", "session", "federated-user":
		return g.Who, "", "", true
	}
	return "", "", "the evaluator does not model " + g.Kind + " principals", false
}

// conditionedCaller is who a "*" statement bounded by conditions (an
// organization, a source network) is evaluated as: the principal its
// aws:PrincipalArn or aws:PrincipalAccount condition names, or else a
// principal of an account no document names, whose organization and
// network the condition value classes then range over.
func conditionedCaller(s policy.Statement, partition, outsider string) (string, string, string, bool) {
	c := policy.ConditionConstants{}
	c.AddPolicy(&policy.Policy{Statement: []policy.Statement{s}})
	if kc := c["aws:principalarn"]; kc != nil {
		v := policy.Instantiate(kc.Values[0])
		if policy.ParsePrincipal(v).Kind == "role" {
			v = policy.RoleSession(v, "s3grant-audit")
		}
		return v, v + " (named by its aws:PrincipalArn condition)", "", true
	}
	acct := outsider
	as := "a principal of an account no document names (" + acct + ")"
	if kc := c["aws:principalaccount"]; kc != nil {
		acct = policy.Instantiate(kc.Values[0])
		as = "a principal of account " + acct + " (named by its aws:PrincipalAccount condition)"
	}
	return arn.AssumedRole(partition, acct, "s3grant-audit", "caller"), as, "", true
}
