package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/policy"
)

// The audit asks each request under every class of condition values the
// owner's documents distinguish (policy.ConditionConstants, the classes
// the access proof in check/ ranges over), instead of one request "with no
// other context": a statement that lets a role list under reports/ only
// with s3:prefix reports/* is then reported as allowed with that prefix,
// not denied.

// conditionSpace is every key a caller chooses (or that describes it, like
// its organization) with its value classes, from every document the owner
// can see.
type conditionSpace struct {
	consts  policy.ConditionConstants
	classes map[string][]policy.ValueClass // by lower-cased key
}

// space builds the condition space once per audit.
func (a *auditor) space() *conditionSpace {
	if a.conds != nil {
		return a.conds
	}
	c := &conditionSpace{consts: policy.ConditionConstants{}, classes: map[string][]policy.ValueClass{}}
	for _, d := range a.policyDocs() {
		c.consts.AddPolicy(d.p)
	}
	for _, r := range a.st.Roles {
		c.consts.AddPolicy(r.Trust)
		for _, p := range r.Policies {
			c.consts.AddPolicy(p.Policy)
		}
	}
	// aws:SecureTransport is in every request's context (true or false,
	// never absent), so TLS is tried both ways whatever the documents say.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
	c.classes["aws:securetransport"] = []policy.ValueClass{
		{Value: "true", Label: "true"},
		{Value: "false", Label: "false"},
	}
	for k, kc := range c.consts {
		if k == "aws:securetransport" || policy.DerivedKey(k) && k != "s3:prefix" {
			continue
		}
		c.classes[k] = kc.Classes()
	}
	a.conds = c
	return c
}

// keysFor lists the keys a request can carry, sorted: s3: keys the action
// supports (s3:prefix only when listing the bucket), any other key, and
// aws:PrincipalOrgID only for a signed caller (anonymous callers are in no
// organization).
func (c *conditionSpace) keysFor(action string, bucketLevel, signed bool) []string {
	act, known := s3Action(action)
	var out []string
	for k := range c.classes {
		switch {
		case k == "s3:prefix" && !bucketLevel,
			strings.HasPrefix(k, "s3:") && (!known || !act.Supports(k)),
			strings.HasPrefix(k, "kms:") && !strings.HasPrefix(action, "kms:"),
			k == "aws:principalorgid" && !signed:
			continue
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func s3Action(name string) (policy.S3Action, bool) {
	acts := policy.S3Actions()
	i := slices.IndexFunc(acts, func(a policy.S3Action) bool { return strings.EqualFold(a.IAMName(), name) })
	if i < 0 {
		return policy.S3Action{}, false
	}
	return acts[i], true
}

// decide evaluates a request under every combination of the keys' value
// classes. Allowed under some: the check says under which values (When).
// Allowed under none: the decision and reason of the most common request
// (every key at its first class: HTTPS, the documents' own values).
func (c *conditionSpace) decide(
	keys []string,
	eval func(policy.Context) policy.Result,
) (policy.Decision, string, []string, bool) {
	values := map[string][]string{}
	for _, k := range keys {
		for _, vc := range c.classes[k] {
			values[k] = append(values[k], vc.Value)
		}
	}
	combos := policy.Combinations(keys, values)
	var allowing []policy.ContextSet
	var first policy.Result
	for i, combo := range combos {
		res := eval(combo.Apply(policy.Context{}, func(string) bool { return true }))
		if i == 0 {
			first = res
		}
		if res.Allowed() {
			allowing = append(allowing, combo)
		}
	}
	if len(allowing) == 0 {
		why := ""
		if len(first.Reasons) > 0 {
			why = first.Reasons[0].String()
		}
		return first.Decision, why, nil, false
	}
	when, alternatives := c.when(keys, allowing)
	return policy.Allowed, "", when, alternatives
}

// when says which values allow, as few clauses as the allowing
// combinations fold into: combinations that differ in one key only merge
// into one term allowing each of its values, and a key whose every class
// is in a term does not matter to it. One term: its clauses all hold
// together. Several (one key's value depends on another's, or two
// statements allow differently): each term is an alternative.
func (c *conditionSpace) when(keys []string, allowing []policy.ContextSet) ([]string, bool) {
	terms := make([][][]string, len(allowing)) // term, key index, values
	for t, combo := range allowing {
		terms[t] = make([][]string, len(keys))
		for i := range keys {
			terms[t][i] = []string{combo[i].Value}
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range keys {
			merged := mergeOn(terms, i)
			changed = changed || len(merged) < len(terms)
			terms = merged
		}
	}
	var out []string
	for _, term := range terms {
		var parts []string
		for i, k := range keys {
			if len(term[i]) < len(c.classes[k]) {
				parts = append(parts, c.clause(k, term[i]))
			}
		}
		if len(terms) == 1 {
			return parts, false
		}
		out = append(out, strings.Join(parts, " and "))
	}
	return out, true
}

// mergeOn merges the terms that agree on every key but key i, uniting
// their values of key i (in the order the classes were tried).
func mergeOn(terms [][][]string, i int) [][][]string {
	var out [][][]string
	index := map[string]int{}
	for _, term := range terms {
		var sig strings.Builder
		for j, vs := range term {
			if j != i {
				sig.WriteString(strings.Join(slices.Sorted(slices.Values(vs)), "\x01") + "\x02")
			}
		}
		at, ok := index[sig.String()]
		if !ok {
			index[sig.String()] = len(out)
			out = append(out, slices.Clone(term))
			continue
		}
		for _, v := range term[i] {
			if !slices.Contains(out[at][i], v) {
				out[at][i] = append(slices.Clone(out[at][i]), v)
			}
		}
	}
	return out
}

// clause renders one key's allowing classes: "s3:prefix is like reports/*",
// "over HTTPS only".
func (c *conditionSpace) clause(k string, values []string) string {
	if k == "aws:securetransport" && len(values) == 1 {
		if values[0] == "true" {
			return "over HTTPS only"
		}
		return "over plain HTTP only"
	}
	var labels []string
	for _, v := range values {
		for _, vc := range c.classes[k] {
			if vc.Value == v {
				labels = append(labels, vc.Label)
			}
		}
	}
	return fmt.Sprintf("%s is %s", c.keyName(k), strings.Join(labels, " or "))
}

// keyName spells a key as the documents first wrote it.
func (c *conditionSpace) keyName(k string) string {
	if kc := c.consts[k]; kc != nil {
		return kc.Name
	}
	return k
}
