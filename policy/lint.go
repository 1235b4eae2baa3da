package policy

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/arn"
)

// Severity of a lint finding; the values match the plan's warnings.
type Severity string

// Severities, lowest first.
const (
	SevInfo    Severity = "info"
	SevWarning Severity = "warning"
	SevHigh    Severity = "high"
)

// Stable lint codes: tools and tests match on them.
const (
	LintPublicStatement  = "public-statement"
	LintWildcardAction   = "wildcard-action"
	LintWildcardResource = "wildcard-resource"
	LintWholeAccount     = "whole-account-grant"
	LintMissingTLSDeny   = "missing-tls-deny"
	LintNotPrincipal     = "notprincipal-allow"
	LintActionResource   = "action-resource-mismatch"
	LintACLUse           = "acl-use"
	LintPublicACL        = "public-acl"
	LintOrphanedID       = "orphaned-unique-id"
	LintOwnerLockout     = "owner-lockout"
)

// Finding is one lint result.
type Finding struct {
	Code      string   `json:"code"`
	Severity  Severity `json:"severity"`
	Document  string   `json:"document,omitempty"`
	Statement string   `json:"statement,omitempty"`
	Message   string   `json:"message"`
}

// String renders the finding on one line.
func (f Finding) String() string {
	where := f.Document
	if f.Statement != "" {
		where += ", statement " + f.Statement
	}
	return fmt.Sprintf("[%s] %s: %s: %s", f.Severity, f.Code, where, f.Message)
}

// LintTarget says what a document is, so the rules that depend on it apply.
type LintTarget struct {
	Kind         Kind
	Name         string // how findings name the document
	OwnerAccount string // the account the document's resource belongs to
	// Complete means the document is the whole document as it will be
	// written (merged with what exists), so an absence (no TLS deny, no
	// owner access in a key policy) is real.
	Complete bool
}

// uniqueID matches the unique IDs IAM leaves in a policy when the role,
// user or group a statement named was deleted.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
var uniqueID = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(AROA|AIDA|AGPA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{12,}$`)
})

// IsUniqueID reports whether a principal value is such a unique ID rather
// than an ARN, an account ID or "*".
func IsUniqueID(v string) bool { return uniqueID().MatchString(v) }

// Lint checks a policy document for what s3grant warns about: public or
// NotPrincipal allows, wildcard actions and resources, whole-account grants,
// a missing TLS deny, actions on the wrong kind of resource, orphaned unique
// IDs and a key policy that would lock the owner out.
func Lint(p *Policy, t LintTarget) []Finding {
	if p == nil {
		return nil
	}
	var out []Finding
	add := func(code string, sev Severity, stmt, format string, a ...any) {
		out = append(out, Finding{
			Code: code, Severity: sev,
			Document: t.Name, Statement: stmt,
			Message: fmt.Sprintf(format, a...),
		})
	}
	resourcePolicy := t.Kind != KindIdentityPolicy && t.Kind != KindManagedPolicy
	for i, s := range p.Statement {
		id := StatementID(s, i)
		for _, v := range principalValues(s) {
			if uniqueID().MatchString(v) {
				add(LintOrphanedID, SevHigh, id, "principal %s is a unique ID left by a deleted role or user: "+
					"AWS rejects every later write of this policy until it is removed", v)
			}
		}
		if s.Effect != Allow {
			continue
		}
		if s.NotPrincipal != nil {
			add(LintNotPrincipal, SevHigh, id, "NotPrincipal with Allow grants to everyone not listed "+
				"(and AWS no longer supports it in resource policies): name the principals with Principal")
		} else if resourcePolicy && IsPublicStatement(s) {
			add(LintPublicStatement, SevHigh, id, "allows Principal \"*\" without a fixed-value condition "+
				"(aws:PrincipalOrgID, aws:SourceVpce, s3:DataAccessPointAccount, ...): anyone can use it")
		}
		lintWildcards(s, t, id, add)
		if resourcePolicy {
			lintWholeAccount(s, t, id, add)
		}
		if a, ok := actionResourceMismatch(s); ok {
			add(LintActionResource, SevWarning, id, "%s does not apply to any resource the statement lists "+
				"(object actions need bucket/* or accesspoint/NAME/object/* ARNs; "+
				"bucket actions need the bucket or access point ARN)", a)
		}
	}
	if t.Complete && t.Kind == KindBucketPolicy && !hasTLSDeny(p) {
		add(LintMissingTLSDeny, SevWarning, "",
			"no statement denies requests with aws:SecureTransport false: plain HTTP is not refused")
	}
	if t.Kind == KindBucketPolicy && t.OwnerAccount != "" {
		if id, ok := locksPolicyWrites(p, t.OwnerAccount); ok {
			add(LintOwnerLockout, SevHigh, id,
				"denies s3:PutBucketPolicy to everyone in account %s without a condition: "+
					"only the account's root user could change or delete this bucket policy afterwards",
				t.OwnerAccount)
		}
	}
	if t.Complete && t.Kind == KindKeyPolicy && t.OwnerAccount != "" &&
		!ownerCanAdminister(p, t.OwnerAccount) {
		add(LintOwnerLockout, SevHigh, "", "no statement lets account %s (its root or IAM) administer the key: "+
			"after this write nobody in the owner account could change the key policy again", t.OwnerAccount)
	}
	return out
}

type addFunc func(code string, sev Severity, stmt, format string, a ...any)

func principalValues(s Statement) []string {
	var out []string
	for _, p := range []*Principal{s.Principal, s.NotPrincipal} {
		if p == nil {
			continue
		}
		for _, vals := range p.Types {
			out = append(out, vals.Values...)
		}
	}
	return out
}

func lintWildcards(s Statement, t LintTarget, id string, add addFunc) {
	if !s.NotAction.Empty() {
		add(LintWildcardAction, SevWarning, id,
			"Allow with NotAction grants every action not listed: list the actions instead")
	}
	for _, a := range s.Action.Values {
		if t.Kind == KindKeyPolicy && namesOnlyOwnerRoot(s, t.OwnerAccount) {
			break // the default "Enable IAM User Permissions" statement: kms:* for the owner's IAM
		}
		if a == "*" || strings.HasSuffix(a, ":*") {
			add(LintWildcardAction, SevWarning, id,
				"action %q grants every action%s: list the actions the grant needs", a, serviceOf(a))
			break
		}
	}
	if t.Kind == KindKeyPolicy || t.Kind == KindTrustPolicy {
		return // "*" in a key policy means this key; trust policies have no Resource
	}
	if !s.NotResource.Empty() {
		add(LintWildcardResource, SevWarning, id,
			"Allow with NotResource applies to every resource not listed: list the resources instead")
	}
	for _, r := range s.Resource.Values {
		a, _ := arn.Parse(r)
		if r == "*" || a == (arn.ARN{Partition: a.Partition, Service: "s3", Resource: "*"}) {
			add(LintWildcardResource, SevWarning, id,
				"resource %q covers every resource: name the bucket and prefixes", r)
			break
		}
	}
}

func serviceOf(a string) string {
	if svc, _, ok := strings.Cut(a, ":"); ok {
		return " of " + svc
	}
	return ""
}

func lintWholeAccount(s Statement, t LintTarget, id string, add addFunc) {
	if s.Principal == nil {
		return
	}
	for _, v := range s.Principal.Values("AWS") {
		p := ParsePrincipal(v)
		if p.Kind == "root" && p.Account != "" && p.Account != t.OwnerAccount {
			add(LintWholeAccount, SevWarning, id, "grants to account %s as a whole: "+
				"any role or user its administrators allow gets in; name the principals instead", p.Account)
		}
	}
}

// hasTLSDeny looks for the statement that refuses plain HTTP.
func hasTLSDeny(p *Policy) bool {
	for _, s := range p.Statement {
		if s.Effect != Deny {
			continue
		}
		for op, kv := range s.Condition {
			if strings.TrimSuffix(op, "IfExists") != "Bool" {
				continue
			}
			for k, v := range kv {
				if strings.EqualFold(k, "aws:SecureTransport") && len(v.Items) > 0 &&
					strings.EqualFold(v.Strings()[0], "false") {
					return true
				}
			}
		}
	}
	return false
}

// ownerCanAdminister reports whether some unconditioned Allow gives the
// owner account's root (and so its IAM) kms:PutKeyPolicy.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
func ownerCanAdminister(p *Policy, owner string) bool {
	caller := ParsePrincipal(owner) // the account root; matching compares accounts
	for _, s := range p.Statement {
		if s.Effect != Allow || s.Principal == nil || len(s.Condition) > 0 {
			continue
		}
		if s.Principal.match(caller) != principalNone && actionMatches(s, "kms:PutKeyPolicy") {
			return true
		}
	}
	return false
}

// namesOnlyOwnerRoot reports whether every principal of the statement is
// the owner account itself.
func namesOnlyOwnerRoot(s Statement, owner string) bool {
	vals := principalValues(s)
	for _, v := range vals {
		p := ParsePrincipal(v)
		if p.Kind != "root" || p.Account != owner {
			return false
		}
	}
	return len(vals) > 0 && s.NotPrincipal == nil
}

// locksPolicyWrites finds an unconditioned Deny that keeps the owner's own
// principals from rewriting the bucket policy.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html
func locksPolicyWrites(p *Policy, owner string) (string, bool) {
	someone := ParsePrincipal(arn.Role(arn.AWS, owner, "any")) // matching compares accounts, not partitions
	for i, s := range p.Statement {
		if s.Effect != Deny || len(s.Condition) > 0 || !actionMatches(s, "s3:PutBucketPolicy") {
			continue
		}
		if statementPrincipal(s, someone) != principalNone {
			return StatementID(s, i), true
		}
	}
	return "", false
}

// Rank orders severities: info 1, warning 2, high 3; 0 for an unknown one.
func (s Severity) Rank() int {
	switch s {
	case SevInfo:
		return 1
	case SevWarning:
		return 2
	case SevHigh:
		return 3
	}
	return 0
}
