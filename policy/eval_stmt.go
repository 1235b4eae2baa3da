package policy

import (
	"fmt"
	"strings"
)

// docOutcome sorts the statements of one or more documents that applied to
// a request.
type docOutcome struct {
	denies  []Reason
	allows  []Reason // identity documents: every matching Allow
	direct  []Reason // resource documents: Allows naming the principal itself (or "*")
	account []Reason // resource documents: Allows naming only the principal's account
	near    []Reason // Allows that matched all but their conditions
}

func (o *docOutcome) add(x docOutcome) {
	o.denies = append(o.denies, x.denies...)
	o.allows = append(o.allows, x.allows...)
	o.direct = append(o.direct, x.direct...)
	o.account = append(o.account, x.account...)
	o.near = append(o.near, x.near...)
}

// StatementID names a statement in reasons and findings: its Sid, or its
// position when it has none.
func StatementID(s Statement, i int) string {
	if s.Sid != "" {
		return s.Sid
	}
	return fmt.Sprintf("Statement[%d]", i)
}

// evalDoc matches every statement of d against req. Principals are checked
// only in resource-based documents (identity documents have none).
func evalDoc(d Doc, req Request, resource bool) docOutcome {
	var out docOutcome
	if d.Policy == nil {
		return out
	}
	vars := d.Policy.Version == Version2012
	caller := ParsePrincipal(req.Principal)
	for i, s := range d.Policy.Statement {
		match := principalExact
		if resource {
			match = statementPrincipal(s, caller)
			if match == principalNone {
				continue
			}
		}
		if !actionMatches(s, req.Action) || !resourceMatches(s, req, vars) {
			continue
		}
		r := Reason{Document: d.Name, Statement: StatementID(s, i), Effect: s.Effect}
		if failed := failedCondition(s.Condition, req.Context, vars); failed != "" {
			if s.Effect == Allow {
				r.Message = fmt.Sprintf("would allow %s on %s, but its condition %s is not met",
					req.Action, req.Resource, failed)
				r.Effect = ""
				out.near = append(out.near, r)
			}
			continue
		}
		switch {
		case s.Effect == Deny:
			r.Message = fmt.Sprintf("denies %s on %s%s", req.Action, req.Resource, condNote(s))
			out.denies = append(out.denies, r)
		case !resource:
			r.Message = fmt.Sprintf("allows %s on %s%s", req.Action, req.Resource, condNote(s))
			out.allows = append(out.allows, r)
		case match == principalAccount:
			r.Message = fmt.Sprintf("allows %s on %s to account %s as a whole (it delegates to that account's IAM)",
				req.Action, req.Resource, caller.Account)
			out.account = append(out.account, r)
		default:
			r.Message = fmt.Sprintf("allows %s on %s for %s%s",
				req.Action, req.Resource, principalLabel(req.Principal), condNote(s))
			out.direct = append(out.direct, r)
		}
	}
	return out
}

func principalLabel(p string) string {
	if p == "" {
		return "anonymous"
	}
	return p
}

func condNote(s Statement) string {
	if len(s.Condition) == 0 {
		return ""
	}
	return " (its conditions are met)"
}

// statementPrincipal reports how a resource policy statement's Principal or
// NotPrincipal applies to the caller. A Deny with NotPrincipal applies to
// everyone but the principals it spares (see excludes). An Allow with
// NotPrincipal is no longer accepted in new policies, but AWS documents what
// one does: it allows every principal not named, anonymous callers included;
// a caller named by an entry (itself, its role, or its account) is not
// allowed by it. The describer and the linter read it the same way.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// The older page's "NotPrincipal with Allow" section says it outright:
// https://github.com/awsdocs/iam-user-guide/blob/614c30d1d9ac171ed8d245f126a71db083b250fc/doc_source/reference_policies_elements_notprincipal.md
func statementPrincipal(s Statement, caller PrincipalInfo) principalMatch {
	switch {
	case s.Principal != nil:
		return s.Principal.match(caller)
	case s.NotPrincipal != nil && s.Effect == Deny:
		if s.NotPrincipal.excludes(caller) {
			return principalNone
		}
		return principalExact
	case s.NotPrincipal != nil && s.Effect == Allow:
		if s.NotPrincipal.Wildcard || s.NotPrincipal.match(caller) != principalNone {
			return principalNone
		}
		return principalExact
	}
	return principalNone
}

func actionMatches(s Statement, action string) bool {
	if !s.NotAction.Empty() {
		return !anyAction(s.NotAction.Values, action)
	}
	return anyAction(s.Action.Values, action)
}

func anyAction(patterns []string, action string) bool {
	for _, p := range patterns {
		if globFold(p, action) {
			return true
		}
	}
	return false
}

// resourceMatches: a statement without Resource or NotResource (a trust
// policy) applies to the resource it is attached to. A Resource value whose
// policy variable has no value matches nothing; in NotResource such a value
// makes the statement not apply at all, as AWS says an unresolved variable
// can invalidate the whole statement.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
func resourceMatches(s Statement, req Request, vars bool) bool {
	switch {
	case !s.NotResource.Empty():
		hit, ok := anyResource(s.NotResource.Values, req, vars)
		return ok && !hit
	case !s.Resource.Empty():
		hit, _ := anyResource(s.Resource.Values, req, vars)
		return hit
	}
	return true
}

// anyResource reports whether a pattern matches; resolved is false when a
// pattern had a variable without a value.
func anyResource(patterns []string, req Request, vars bool) (hit, resolved bool) {
	resolved = true
	for _, p := range patterns {
		if vars && strings.Contains(p, "${") {
			var ok bool
			if p, ok = substitute(p, keyLookup{ctx: req.Context}, true); !ok {
				resolved = false
				continue
			}
		}
		if arnMatches(p, req.Resource) {
			hit = true
		}
	}
	return hit, resolved
}

// excludes reports whether a NotPrincipal element spares the caller: AWS may
// validate the account first, then the role, then the assumed-role session,
// so the account must be listed as well as the principal itself.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func (p *Principal) excludes(c PrincipalInfo) bool {
	if p.Wildcard || c.Anonymous {
		return p.Wildcard
	}
	account, self := false, false
	for kind, vals := range p.Types {
		for _, v := range vals.Values {
			switch matchOne(kind, v, c) {
			case principalAccount:
				account = true
			case principalExact:
				self = true
				if ParsePrincipal(v).Kind == "root" || v == "*" || kind == "Service" {
					account = true
				}
			default: // no special case
			}
		}
	}
	return self && (account || c.Service != "")
}
