package policy

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// The value classes of condition keys, shared by the access proof (check)
// and the audit: one representative value per class of values that every
// document decides alike.
//
// Why the value classes cover every value.
//
// A condition compares one request key against the constants a statement
// names, with one operator. Each operator splits the key's values into
// cells by which of those constants it matches: StringEquals/ArnEquals by
// equality with each constant, StringLike/ArnLike by each pattern, Bool by
// true/false, Numeric and Date by order around each constant, IpAddress by
// each CIDR; the negated and IfExists forms reuse the same cells, and
// Null, ForAnyValue and ForAllValues only add the cell "absent". A
// statement is a conjunction of such comparisons, a document a set of
// statements, so two requests whose values fall in the same cell of every
// comparison of every document are decided alike. One representative per
// cell therefore decides the whole cell: each constant itself (or a string
// the pattern matches), a value just below and above each ordered
// constant, a value no constant names, and "absent".
// KeyConstants.Representatives builds exactly those, per key, from every
// document the owner controls; the proof and the audit try every
// combination of them (Combinations).

// AbsentValue stands for "the request does not carry the key" among a
// key's value classes.
const AbsentValue = "\x00absent"

// OtherValue is a value no document names.
const OtherValue = "s3grant-other-value"

// derivedKeys are set by the request itself (who calls, what, where), not
// chosen by the caller: the proof and the audit set them from the
// principal, resource and access point of a request instead of trying
// values.
var derivedKeys = map[string]bool{
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principaltype": true, "aws:username": true,
	"aws:userid": true, "aws:resourceaccount": true, "s3:resourceaccount": true, "s3:dataaccesspointarn": true,
	"s3:dataaccesspointaccount": true, "kms:viaservice": true, "kms:calleraccount": true, "s3:prefix": true,
	"aws:principalisawsservice": true,
}

// DerivedKey reports whether a condition key (lower-cased) is set by the
// request itself rather than chosen by the caller: the caller's ARN and
// account, the resource's account, the access point, s3:prefix (the
// listing asked for), kms:ViaService.
func DerivedKey(lower string) bool { return derivedKeys[lower] }

// ConditionConstants collects, per lower-cased key, the operators and
// values documents compare it against: the constants that split the key's
// values into classes.
type ConditionConstants map[string]*KeyConstants

// KeyConstants are one key's comparisons: Ops[i] compares Values[i].
type KeyConstants struct {
	Name   string // as first written
	Ops    []string
	Values []string
}

// AddPolicy adds the constants of every condition of p.
func (c ConditionConstants) AddPolicy(p *Policy) {
	if p == nil {
		return
	}
	for _, st := range p.Statement {
		for op, kv := range st.Condition {
			for k, v := range kv {
				lk := strings.ToLower(k)
				kc := c[lk]
				if kc == nil {
					kc = &KeyConstants{Name: k}
					c[lk] = kc
				}
				for _, val := range v.Strings() {
					kc.Ops = append(kc.Ops, op)
					kc.Values = append(kc.Values, val)
				}
			}
		}
	}
}

// Representatives returns one value of every class of a key: see the
// comment at the top of this file. The result always ends with
// AbsentValue.
func (kc *KeyConstants) Representatives() []string {
	cs := kc.Classes()
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Value
	}
	return out
}

// ValueClass is one class of a key's values: the value that stands for it
// and the class in words (for the audit's "allowed when ...").
type ValueClass struct {
	Value string
	Label string
}

// Classes returns the key's value classes, in Representatives' order.
func (kc *KeyConstants) Classes() []ValueClass {
	var out []ValueClass
	add := func(v, label string) {
		if !slices.ContainsFunc(out, func(c ValueClass) bool { return c.Value == v }) {
			out = append(out, ValueClass{Value: v, Label: label})
		}
	}
	for i, v := range kc.Values {
		op := kc.Ops[i]
		switch {
		case strings.Contains(op, "Bool"):
			add("true", "true")
			add("false", "false")
		case strings.Contains(op, "Numeric"):
			around := numericAround(v)
			for j, n := range around {
				label := n
				if len(around) == 3 && j != 1 {
					label = [...]string{"below ", "", "above "}[j] + v
				}
				add(n, label)
			}
		case strings.Contains(op, "IpAddress"):
			for j, ip := range ipAround(v) {
				add(ip, [...]string{"in " + v, "an address outside " + v}[j])
			}
		case strings.Contains(op, "Like") || strings.Contains(op, "Arn"):
			label := v
			if strings.ContainsAny(v, "*?") {
				label = "like " + v
			}
			add(Instantiate(v), label)
		default:
			add(v, v)
		}
	}
	if !slices.ContainsFunc(kc.Ops, func(op string) bool { return strings.Contains(op, "Bool") }) {
		add(OtherValue, "any other value")
	}
	add(AbsentValue, "absent")
	return out
}

// Instantiate turns a pattern into a value it matches: each * becomes a
// word, each ? one letter (the pattern's own literal parts stay).
func Instantiate(pattern string) string {
	return strings.NewReplacer("*", "s3grant", "?", "x").Replace(pattern)
}

func numericAround(v string) []string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return []string{v}
	}
	return []string{strconv.FormatFloat(f-1, 'f', -1, 64), v, strconv.FormatFloat(f+1, 'f', -1, 64)}
}

// ipAround returns an address inside the range and one outside it.
func ipAround(v string) []string {
	pfx, err := netip.ParsePrefix(v)
	if err != nil {
		if a, err := netip.ParseAddr(v); err == nil {
			pfx = netip.PrefixFrom(a, a.BitLen())
		} else {
			return nil
		}
	}
	in := pfx.Masked().Addr()
	out := "192.0.2.1" // TEST-NET-1: outside any range a policy would pin
	if in.Is6() {
		out = "2001:db8::1"
	}
	if pfx.Contains(netip.MustParseAddr(out)) {
		out = "198.51.100.1"
		if in.Is6() {
			out = "::1"
		}
	}
	return []string{in.String(), out}
}

// ContextSet is one combination of free keys' values.
type ContextSet []KeyValue

// KeyValue is one key's value in a ContextSet (AbsentValue: not carried).
type KeyValue struct{ Key, Value string }

// Combinations returns every combination of the free keys' classes, in a
// stable order, the first being the most common request (each key at its
// first representative).
func Combinations(keys []string, classes map[string][]string) []ContextSet {
	out := []ContextSet{nil}
	for _, k := range keys {
		var next []ContextSet
		for _, prev := range out {
			for _, v := range classes[k] {
				next = append(next, append(slices.Clip(prev), KeyValue{k, v}))
			}
		}
		out = next
	}
	return out
}

// Apply sets the combination's keys on ctx (absent ones are left out),
// keeping only the keys carries accepts (those the action can carry).
func (cs ContextSet) Apply(ctx Context, carries func(string) bool) Context {
	for _, p := range cs {
		if p.Value == AbsentValue || !carries(p.Key) {
			continue
		}
		ctx.Set(p.Key, p.Value)
	}
	return ctx
}
