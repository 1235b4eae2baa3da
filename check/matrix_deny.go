package check

import (
	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// The requests a plan must deny: each varies one thing from a request the
// plan allows.

func (l *requestList) mustDeny(w *world, c caller) {
	s := w.s
	other := outsiderAccount(s)
	outsiderARN := arn.AssumedRole(s.Partition(), other, "outsider", checkSession)
	outsider := admin(outsiderARN, other, "a role in another account")
	l.addVaried(w, "another account, even one whose admin allows everything", sample(w, outsider))
	l.addVaried(w, "an anonymous request", sample(w, caller{label: "anonymous"}))
	if s.KMSKey != "" && len(templates.KMSActions(s.Access)) > 0 && s.Method != spec.MethodIAMRole {
		l.addKey(w, WantDeny, "another account using the bucket's key", outsider, templates.ActKMSDecrypt)
	}
	// ACL grants go to whole accounts: they cannot name principals. A
	// consumer-owned access point is the consumer's resource: its own
	// principals get in on their identity policies alone, as with any
	// same-account resource, so only the consumer's IAM can narrow them.
	if s.Method != spec.MethodACL && !s.APOwnerIsConsumer() {
		for _, acct := range s.ConsumerAccounts {
			if len(s.PrincipalsIn(acct)) > 0 {
				unnamed := arn.AssumedRole(s.Partition(), acct, "s3grant-not-named", checkSession)
				other := admin(unnamed, acct, "a principal the plan does not name")
				l.addVaried(w, "a principal of "+acct+" the plan does not name", sample(w, other))
			}
		}
	}
	if !s.WholeBucket() {
		call := sample(w, c)
		call.key = keyOrEmpty(call.key, outsidePrefix+checkKeyName)
		call.prefix = prefixOrEmpty(call.prefix, outsidePrefix)
		l.addVaried(w, "another prefix", call)
	}
	beyond := []string{"s3:DeleteObject"}
	if s.Method != spec.MethodAccessPoint { // not an access point action
		beyond = append(beyond, "s3:PutBucketPolicy")
	}
	if !s.Access.Writes() {
		beyond = append(beyond, templates.ActPutObject)
	}
	if !s.Access.Reads() {
		beyond = append(beyond, templates.ActGetObject)
	}
	for _, a := range beyond {
		call := s3Call{who: c, action: a, key: s.PrefixList()[0] + checkKeyName, ctx: consumerContext(s, a)}
		if a == "s3:PutBucketPolicy" {
			call.key = ""
		}
		l.addVaried(w, "an action beyond "+string(s.Access)+" access", call)
	}
	l.methodDenials(w, c)
}

func keyOrEmpty(cur, v string) string {
	if cur == "" {
		return ""
	}
	return v
}

func prefixOrEmpty(cur, v string) string {
	if cur == "" {
		return ""
	}
	return v
}

// methodDenials are the denials one option or method promises: TLS only,
// the organization, the ExternalId, the role as the only way in, and the
// canned ACL on uploads.
func (l *requestList) methodDenials(w *world, c caller) {
	s := w.s
	if s.RequireTLS() {
		call := sample(w, c)
		call.ctx = call.ctx.Clone().Set("aws:SecureTransport", "false")
		l.addVaried(w, "plain HTTP (TLS is required)", call)
	}
	if s.OrgID != "" && s.Method != spec.MethodACL {
		call := sample(w, c)
		call.ctx = call.ctx.Clone().Set("aws:PrincipalOrgID", otherOrgID)
		l.addVaried(w, "a principal outside organization "+s.OrgID, call)
	}
	if s.Method == spec.MethodIAMRole {
		if s.ExternalID != "" {
			call := sample(w, c)
			call.ctx = policy.Context{}
			l.addVaried(w, "assuming the role without the ExternalId", call)
		}
		call := sample(w, c)
		call.direct = true
		l.addVaried(w, "the consumer calling the bucket without assuming the role", call)
	}
	if s.Method == spec.MethodACL && s.Access.Writes() {
		call := s3Call{who: c, action: templates.ActPutObject, key: s.PrefixList()[0] + checkKeyName}
		l.addVaried(w, "an upload without the bucket-owner-full-control ACL", call)
	}
}
