package audit

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
)

// ExternalGrant is one grant to a principal outside the owner account: who,
// through which document and statement, in words, and what the evaluator
// says that principal can do.
type ExternalGrant struct {
	// Who is the principal as written: "*", an ARN, an account ID, a
	// canonical ID or a group URI.
	Who string `json:"who"`
	// Kind is anyone, account, role, user, session, federated-user,
	// service, federated, canonical-user or group.
	Kind      string `json:"kind"`
	Account   string `json:"account,omitempty"` // the principal's account, when known
	Document  string `json:"document"`
	Statement string `json:"statement"` // Sid, "statement N", or "grant N" for ACL grants
	InWords   string `json:"in_words"`
	// Access is what the evaluator decides for sample requests the grant
	// covers, assuming the principal's own account allows them (the owner
	// cannot see the other side), under every class of condition values
	// the owner's documents distinguish: allowed with the values that
	// allow, or denied under all of them.
	Access []AccessCheck `json:"access,omitempty"`
	// NotEvaluated says why Access is empty.
	NotEvaluated string `json:"not_evaluated,omitempty"`
	// AsRole is the owner's role the principal assumes (grants through a
	// role's trust policy); Access is then what the role can do.
	AsRole string `json:"as_role,omitempty"`
}

// AccessCheck is one evaluated request.
type AccessCheck struct {
	Action   string          `json:"action"`
	Resource string          `json:"resource"`
	Via      string          `json:"via,omitempty"` // the access point the request goes through
	Decision policy.Decision `json:"decision"`
	Why      string          `json:"why,omitempty"` // the first reason when not allowed
	// When lists the condition values under which the request is allowed,
	// one clause per key whose value matters ("s3:prefix is like
	// reports/*", "over HTTPS only"); empty: any value. With WhenAnyOf the
	// clauses are alternatives, any one of which allows; otherwise they
	// all hold together.
	When      []string `json:"when,omitempty"`
	WhenAnyOf bool     `json:"when_any_of,omitempty"`
	// As is the caller the request was evaluated as, when the grant names
	// no one ("*" bounded by conditions).
	As string `json:"as,omitempty"`
}

// policyDoc is one resource policy the owner can see.
type policyDoc struct {
	name   string
	kind   policy.Kind
	target string // the bucket, access point or key ARN
	p      *policy.Policy
	ap     *AccessPointState // for access point policies
}

var (
	ownedSid = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^` + policy.SidPrefix + `([0-9A-F]{8})`)
	})
	orphanedID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(AROA|AIDA)[A-Z0-9]{12,}$`) })
)

// partition is the bucket's partition, from its region: every ARN the audit
// builds (the bucket's, the callers' it evaluates) is in it.
func (a *auditor) partition() string { return arn.Partition(a.st.Region) }

func (a *auditor) bucketARN() string { return arn.Bucket(a.partition(), a.st.Bucket) }

// policyDocs lists the resource policies in the order the report shows them.
func (a *auditor) policyDocs() []policyDoc {
	var out []policyDoc
	if a.st.BucketPolicy != nil {
		out = append(out, policyDoc{
			name: "bucket policy " + a.bucketARN(), kind: policy.KindBucketPolicy,
			target: a.bucketARN(), p: a.st.BucketPolicy,
		})
	}
	for i := range a.st.AccessPoints {
		ap := &a.st.AccessPoints[i]
		if ap.Policy != nil {
			out = append(out, policyDoc{
				name: "access point policy " + ap.ARN, kind: policy.KindAccessPointPolicy,
				target: ap.ARN, p: ap.Policy, ap: ap,
			})
		}
	}
	if e := a.st.Encryption; e.KeyARN != "" && e.KeyPolicy != nil {
		out = append(out, policyDoc{
			name: "key policy " + e.KeyARN, kind: policy.KindKeyPolicy,
			target: e.KeyARN, p: e.KeyPolicy,
		})
	}
	return out
}

// documents explains every document read.
func (a *auditor) documents() {
	for _, d := range a.policyDocs() {
		words := plan.PolicyInWords(d.p, d.kind, d.target)
		a.report.Documents = append(a.report.Documents, Document{Name: d.name, Words: words})
	}
	if a.st.BucketACL != nil {
		d := &plan.Document{ACL: a.st.BucketACL}
		name := "bucket ACL " + a.bucketARN()
		a.report.Documents = append(a.report.Documents, Document{Name: name, Words: d.InWords()})
	}
}

// grants walks every Allow statement of every resource policy and every ACL
// grant, keeping the principals outside the owner account.
func (a *auditor) grants() {
	for _, d := range a.policyDocs() {
		words := plan.PolicyInWords(d.p, d.kind, d.target)
		for i, s := range d.p.Statement {
			label := words[i].Label
			a.ownedStatement(d, s, label)
			a.orphans(d, s, label)
			if s.Effect != policy.Allow {
				continue
			}
			for _, g := range a.statementGrants(d, s) {
				g.Document, g.Statement, g.InWords = d.name, label, words[i].Text
				a.evaluate(&g, d, s)
				a.report.Grants = append(a.report.Grants, g)
				a.grantFindings(g, d, s)
				a.deadGrant(g, d)
			}
		}
	}
	a.roleGrants()
	a.aclGrants()
}

// statementGrants returns one grant per outside principal the statement
// names (or one "anyone" grant for a "*" or NotPrincipal statement).
func (a *auditor) statementGrants(d policyDoc, s policy.Statement) []ExternalGrant {
	if s.NotPrincipal != nil || s.Principal != nil && s.Principal.Wildcard {
		return []ExternalGrant{{Who: "*", Kind: "anyone"}}
	}
	if s.Principal == nil {
		return nil
	}
	var out []ExternalGrant
	for _, v := range s.Principal.Values("AWS") {
		if g, ok := a.awsPrincipalGrant(v); ok {
			out = append(out, g)
		}
	}
	for _, v := range s.Principal.Values("Service") {
		out = append(out, ExternalGrant{Who: v, Kind: "service"})
	}
	for _, v := range s.Principal.Values("Federated") {
		out = append(out, ExternalGrant{Who: v, Kind: "federated"})
	}
	for _, v := range s.Principal.Values("CanonicalUser") {
		if v != a.st.OwnerCanonicalID {
			out = append(out, ExternalGrant{Who: v, Kind: "canonical-user"})
		}
	}
	return out
}

// awsPrincipalGrant classifies one AWS principal; false for principals of the
// owner account and for orphaned unique IDs (which match no one).
func (a *auditor) awsPrincipalGrant(v string) (ExternalGrant, bool) {
	switch {
	case v == "*":
		return ExternalGrant{Who: "*", Kind: "anyone"}, true
	case orphanedID().MatchString(v):
		return ExternalGrant{}, false
	}
	info := policy.ParsePrincipal(v)
	if info.Account == a.st.OwnerAccount {
		return ExternalGrant{}, false
	}
	kind := info.Kind
	switch kind {
	case "root":
		kind = "account"
	case "assumed-role":
		kind = "session"
	case "":
		kind = "unknown"
	}
	return ExternalGrant{Who: v, Kind: kind, Account: info.Account}, true
}

// ownedStatement flags statements s3grant wrote, with the run that wrote them.
func (a *auditor) ownedStatement(d policyDoc, s policy.Statement, label string) {
	m := ownedSid().FindStringSubmatch(s.Sid)
	if m == nil {
		return
	}
	runs := a.st.Runs[m[1]]
	msg := fmt.Sprintf("written by s3grant (grant ID %s); no run of this machine's journal wrote it", m[1])
	if len(runs) > 0 {
		var refs []string
		for _, r := range runs {
			ref := r.ID
			if r.Time != "" {
				ref += " at " + r.Time
			}
			refs = append(refs, ref)
		}
		last := runs[len(runs)-1].ID
		msg = fmt.Sprintf("written by s3grant (grant ID %s) in run %s: `s3grant undo %s` removes it",
			m[1], strings.Join(refs, ", "), last)
	}
	a.add(policy.Finding{
		Code: "s3grant-statement", Severity: policy.SevInfo, Document: d.name, Statement: label,
		Message: msg,
	})
}

// orphans flags unique IDs left by deleted principals: they match no one,
// and AWS rejects every later write of the document until they are removed.
func (a *auditor) orphans(d policyDoc, s policy.Statement, label string) {
	for _, p := range []*policy.Principal{s.Principal, s.NotPrincipal} {
		for _, v := range p.Values("AWS") {
			if orphanedID().MatchString(v) {
				kind := "role"
				if strings.HasPrefix(v, "AIDA") {
					kind = "user"
				}
				a.add(policy.Finding{
					Code: "orphaned-principal", Severity: policy.SevWarning, Document: d.name, Statement: label,
					Message: fmt.Sprintf("%s names %s, the unique ID of a deleted %s: it matches no one, "+
						"and AWS refuses later writes of this policy until it is removed", label, v, kind),
				})
			}
		}
	}
}

// deadGrant flags a grant no request can use: under every class of
// condition values the owner's documents distinguish, none of the
// requests it covers is allowed (conditions that contradict each other or
// the documents' denies, a resource the bucket does not have). It grants
// nothing as the documents stand, yet reads as a grant, and starts to
// grant when whatever stops it changes.
func (a *auditor) deadGrant(g ExternalGrant, d policyDoc) {
	if len(g.Access) == 0 || anyAllowed(g.Access) {
		return
	}
	a.add(policy.Finding{
		Code: "grant-never-allows", Severity: policy.SevWarning, Document: d.name, Statement: g.Statement,
		Message: fmt.Sprintf("no request meets this grant to %s: none of the requests it covers (%d) "+
			"is allowed under any condition values the documents distinguish (%s); "+
			"remove it or fix what stops it",
			g.Who, len(g.Access), g.Access[0].Why),
	})
}
