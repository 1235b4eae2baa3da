package policy

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// failedCondition evaluates a statement's Condition block: every operator
// and every key must hold (AND); within a key any value may match (OR). It
// returns "" when all hold, else the first failing "Operator key".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
func failedCondition(c Conditions, ctx Context, vars bool) string {
	if len(c) == 0 {
		return ""
	}
	ops := make([]string, 0, len(c))
	for op := range c {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		keys := make([]string, 0, len(c[op]))
		for k := range c[op] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !evalCondition(op, k, c[op][k].Strings(), ctx, vars) {
				return op + " " + k
			}
		}
	}
	return ""
}

// negatedBase maps each negated operator to the positive one it inverts.
var negatedBase = map[string]string{
	"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
	"StringNotLike": "StringLike", "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals",
	"ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike", "NotIpAddress": "IpAddress",
}

// condOp is a condition operator read once: its set qualifier
// (ForAllValues, ForAnyValue), the positive operator it is based on, and
// whether it is negated, ...IfExists or Null.
type condOp struct {
	set, base               string
	negated, ifExists, null bool
}

func parseCondOp(op string) condOp {
	var o condOp
	if pre, rest, ok := strings.Cut(op, ":"); ok {
		o.set, op = pre, rest
	}
	if op == "Null" {
		o.null, o.base = true, op
		return o
	}
	o.ifExists = strings.HasSuffix(op, "IfExists")
	op = strings.TrimSuffix(op, "IfExists")
	if o.base, o.negated = negatedBase[op]; !o.negated {
		o.base = op
	}
	return o
}

// evalCondition evaluates one operator on one key. A key absent from the
// request makes a positive operator false and a negated one true; IfExists
// makes it true; ForAllValues is true and ForAnyValue false on an absent or
// empty key; Null tests presence.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func evalCondition(op, key string, policyVals []string, ctx Context, vars bool) bool {
	reqVals, present := ctx.Get(key)
	return parseCondOp(op).holds(policyVals, reqVals, present, keyLookup{ctx: ctx}, vars)
}

// holds applies the operator to the request's values of its key. ctx is
// read only to resolve policy variables in the policy's values.
func (o condOp) holds(policyVals, reqVals []string, present bool, ctx keyLookup, vars bool) bool {
	present = present && len(reqVals) > 0
	if o.null {
		for _, pv := range policyVals {
			if (strings.EqualFold(pv, "true") && !present) || (strings.EqualFold(pv, "false") && present) {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case o.ifExists || o.set == "ForAllValues":
			return true
		case o.set == "ForAnyValue":
			return false
		}
		return o.negated
	}
	pvs, ok := resolvePolicyValues(o.base, policyVals, ctx, vars)
	if !ok {
		return false // an unresolved variable voids the statement, negated operators too
	}
	hits := 0
	for _, rv := range reqVals {
		for _, pv := range pvs {
			if compare(o.base, pv, rv) {
				hits++
				break
			}
		}
	}
	switch {
	case o.set == "ForAllValues" && o.negated:
		return hits == 0
	case o.set == "ForAllValues":
		return hits == len(reqVals)
	case o.set == "ForAnyValue" && o.negated:
		return hits < len(reqVals)
	case o.negated:
		return hits == 0
	}
	return hits > 0
}

// resolvePolicyValues substitutes policy variables in string and ARN
// operator values. ok is false when a variable has no value and no default:
// AWS says that can make the whole statement invalid, so the condition does
// not hold whatever the operator.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
func resolvePolicyValues(base string, vals []string, ctx keyLookup, vars bool) ([]string, bool) {
	if !vars || !(strings.HasPrefix(base, "String") || strings.HasPrefix(base, "Arn")) {
		return vals, true
	}
	if !slices.ContainsFunc(vals, hasVariable) {
		return vals, true
	}
	out := vals[:0:0]
	pattern := base == "StringLike" || strings.HasPrefix(base, "Arn")
	for _, v := range vals {
		if hasVariable(v) {
			var ok bool
			if v, ok = substitute(v, ctx, pattern); !ok {
				return nil, false
			}
		}
		out = append(out, v)
	}
	return out, true
}

// compare applies a positive operator: request value rv against policy
// value pv.
func compare(base, pv, rv string) bool {
	switch base {
	case "StringEquals", "BinaryEquals":
		return pv == rv
	case "StringEqualsIgnoreCase":
		return strings.EqualFold(pv, rv)
	case "StringLike":
		return glob(pv, rv)
	case "Bool":
		return strings.EqualFold(pv, rv)
	case "ArnEquals", "ArnLike":
		return arnMatches(pv, rv)
	case "IpAddress":
		return ipIn(pv, rv)
	}
	if strings.HasPrefix(base, "Numeric") {
		p, err1 := strconv.ParseFloat(pv, 64)
		r, err2 := strconv.ParseFloat(rv, 64)
		return err1 == nil && err2 == nil && ordered(strings.TrimPrefix(base, "Numeric"), cmpFloat(r, p))
	}
	if strings.HasPrefix(base, "Date") {
		p, ok1 := parseDate(pv)
		r, ok2 := parseDate(rv)
		return ok1 && ok2 && ordered(strings.TrimPrefix(base, "Date"), r.Compare(p))
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ordered turns a comparison result into the operator's verdict.
func ordered(rel string, c int) bool {
	switch rel {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThan":
		return c > 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// parseDate reads the ISO 8601 forms AWS accepts and epoch seconds.
func parseDate(s string) (time.Time, bool) {
	// Epoch seconds first: no layout reads a bare integer, and failing
	// layouts allocate their errors on every comparison.
	if strings.TrimLeft(strings.TrimPrefix(s, "-"), "0123456789") == "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0), true
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// ipIn reports whether address rv lies in the CIDR (or single address) pv.
func ipIn(pv, rv string) bool {
	addr, err := netip.ParseAddr(rv)
	if err != nil {
		return false
	}
	if pfx, err := netip.ParsePrefix(pv); err == nil {
		return pfx.Masked().Contains(addr)
	}
	if a, err := netip.ParseAddr(pv); err == nil {
		return a == addr
	}
	return false
}

func hasVariable(s string) bool { return strings.Contains(s, "${") }
