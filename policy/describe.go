package policy

import (
	"strings"
)

// DescribeOptions says where a statement lives: an absent Principal or
// Resource, and a Resource of "*", mean different things in different kinds
// of document.
type DescribeOptions struct {
	Kind Kind // the document's kind
	// Holder is the ARN the document is attached to (the role or user of an
	// identity policy, the role of a trust policy); empty when unknown.
	Holder string
	// Version is the document's Version: policy variables are only variables
	// under 2012-10-17. DescribePolicy fills it in.
	Version string
}

// DescribePolicy returns one plain-English sentence per statement, in
// statement order.
func DescribePolicy(p *Policy, o DescribeOptions) []string {
	if p == nil {
		return nil
	}
	o.Version = p.Version
	out := make([]string, len(p.Statement))
	for i, s := range p.Statement {
		out[i] = Describe(s, o)
	}
	return out
}

// Describe returns one deterministic sentence saying who may (or may not) do
// what on which resources under which conditions, e.g. "Role analytics in
// account 222233334444 may read objects under analytics-exports/reports/ -
// only when the request is over HTTPS." Where a value has no exact plain
// reading it is quoted literally rather than guessed at.
func Describe(s Statement, o DescribeOptions) string {
	vars := &descVars{literal: o.Version != Version2012}
	var b strings.Builder
	b.WriteString(describeWho(s, o))
	assume := descOnlyAssume(s)
	switch {
	case s.Effect == Deny && !s.NotAction.Empty():
		b.WriteString(" may not perform any action except ")
		b.WriteString(describeActions(s.NotAction.Values))
	case s.Effect == Deny:
		b.WriteString(" may not ")
		b.WriteString(describeActions(s.Action.Values))
	case !s.NotAction.Empty():
		b.WriteString(" may perform any action except ")
		b.WriteString(describeActions(s.NotAction.Values))
	case descAssumeHow(s) != "":
		b.WriteString(" may assume")
	default:
		b.WriteString(" may ")
		b.WriteString(describeActions(s.Action.Values))
	}
	b.WriteString(" ")
	b.WriteString(describeResources(s, o, assume, vars))
	if s.Effect == Allow && s.NotAction.Empty() {
		b.WriteString(descAssumeHow(s))
	}
	if len(s.Condition) > 0 {
		if s.Effect == Deny {
			b.WriteString(" - when ")
		} else {
			b.WriteString(" - only when ")
		}
		b.WriteString(describeConditions(s.Condition, vars))
	}
	if notes := vars.String(); notes != "" {
		b.WriteString(" (")
		b.WriteString(notes)
		b.WriteString(")")
	}
	b.WriteString(".")
	return descCapitalize(vars.restore(b.String()))
}

// descOnlyAssume reports whether every action is an sts:AssumeRole* action,
// so that "may assume role X" reads without a preposition.
func descOnlyAssume(s Statement) bool {
	if s.Action.Empty() {
		return false
	}
	for _, a := range s.Action.Values {
		if !strings.HasPrefix(strings.ToLower(a), "sts:assumerole") {
			return false
		}
	}
	return true
}

// descAssumeHow reads a statement whose every action is the same
// federated assume-role action, so that it says "may assume this role with a
// SAML assertion" rather than naming the action.
func descAssumeHow(s Statement) string {
	how := ""
	for i, a := range s.Action.Values {
		var h string
		switch strings.ToLower(a) {
		case "sts:assumerolewithsaml":
			h = " with a SAML assertion"
		case "sts:assumerolewithwebidentity":
			h = " with a web identity token"
		default:
			return ""
		}
		if i > 0 && h != how {
			return ""
		}
		how = h
	}
	return how
}

func descCapitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// descJoinAnd joins phrases as English: "a", "a and b", "a, b and c".
func descJoinAnd(items []string) string {
	return descJoinWith(items, " and ")
}

func descJoinWith(items []string, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// descQuote writes a value in double quotes, the literal form every fallback uses.
func descQuote(s string) string { return `"` + s + `"` }

func descQuoteAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = descQuote(s)
	}
	return out
}

// descUnique keeps the first of equal strings, in order.
func descUnique(v []string) []string {
	seen := map[string]bool{}
	out := v[:0:0]
	for _, s := range v {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
