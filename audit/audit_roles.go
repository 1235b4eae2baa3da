package audit

import (
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// roleGrants lists the outside principals that may assume one of the
// owner's roles which can reach the bucket: through the role they act inside
// the owner account, where the role's own policies are enough.
func (a *auditor) roleGrants() {
	if a.st.RolesNote != "" {
		a.add(policy.Finding{
			Code: "roles-unknown", Severity: policy.SevWarning, Document: "roles of account " + a.st.OwnerAccount,
			Message: "the roles other accounts may assume could not be read, " +
				"so access through them is not audited: " + a.st.RolesNote,
		})
	}
	for _, r := range a.st.Roles {
		access := a.roleAccess(r)
		if !anyAllowed(access) {
			continue // the role cannot reach this bucket
		}
		d := policyDoc{name: "trust policy " + r.ARN, kind: policy.KindTrustPolicy, target: r.ARN, p: r.Trust}
		words := plan.PolicyInWords(r.Trust, policy.KindTrustPolicy, r.ARN)
		a.report.Documents = append(a.report.Documents, Document{Name: d.name, Words: words})
		for _, pd := range r.Policies {
			pw := plan.PolicyInWords(pd.Policy, pd.Kind, r.ARN)
			a.report.Documents = append(a.report.Documents, Document{Name: pd.Name, Words: pw})
		}
		for i, s := range r.Trust.Statement {
			a.ownedStatement(d, s, words[i].Label)
			a.orphans(d, s, words[i].Label)
			if s.Effect != policy.Allow || !assumesRole(s) {
				continue
			}
			for _, g := range a.trustGrants(s) {
				g.Document, g.Statement, g.InWords, g.AsRole = d.name, words[i].Label, words[i].Text, r.ARN
				g.Access = access
				a.report.Grants = append(a.report.Grants, g)
				a.grantFindings(g, d, s)
			}
		}
	}
}

// trustGrants are the outside principals of a trust statement, federated
// identity providers included.
func (a *auditor) trustGrants(s policy.Statement) []ExternalGrant {
	out := a.statementGrants(policyDoc{kind: policy.KindTrustPolicy}, s)
	for i := range out {
		if out[i].Kind == "federated" {
			if acct := policy.ParsePrincipal(out[i].Who).Account; acct != "" {
				out[i].Account = acct
			}
		}
	}
	return out
}

func assumesRole(s policy.Statement) bool {
	for _, act := range []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"} {
		if coversAction(s, act) {
			return true
		}
	}
	return false
}

// roleAccess evaluates what a session of the role can do on the bucket: the
// sample requests its Allow statements name, decided by its policies, the
// bucket policy, Block Public Access and the key.
func (a *auditor) roleAccess(r RoleState) []AccessCheck {
	session := policy.RoleSession(r.ARN, "s3grant-audit")
	var out []AccessCheck
	seen := map[string]bool{}
	for _, pd := range r.Policies {
		for _, s := range pd.Policy.Statement {
			if s.Effect != policy.Allow {
				continue
			}
			for _, req := range a.sampleRequests(policyDoc{kind: policy.KindIdentityPolicy}, s) {
				id := req.Action + "|" + req.Key
				if seen[id] {
					continue
				}
				seen[id] = true
				req.Principal = session
				set := a.s3Setup(policyDoc{}, session)
				set.Identity = r.Policies
				out = append(out, a.decideS3(req, set))
			}
		}
	}
	return out
}

func anyAllowed(cs []AccessCheck) bool {
	for _, c := range cs {
		if c.Decision == policy.Allowed {
			return true
		}
	}
	return false
}

// roleNote is the line the text report shows for a grant through a role.
func roleNote(g ExternalGrant) string {
	if g.AsRole == "" {
		return ""
	}
	return "then acts as the owner's role " + g.AsRole + ", which the bucket's account trusts like its own"
}
