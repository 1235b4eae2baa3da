package check

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/s3grant/s3grant/policy"
)

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
// constant, a value no constant names, and "absent". keyValues builds
// exactly those, per key, from every document the owner controls; the
// proof tries every combination of them.

// absent stands for "the request does not carry the key".
const absent = "\x00absent"

// otherValue is a value no document names.
const otherValue = "s3grant-other-value"

// derivedKeys are set by the request itself (who calls, what, where), not
// chosen by the caller: the proof sets them from its principal, resource
// and access point classes instead of trying values.
var derivedKeys = map[string]bool{
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principaltype": true, "aws:username": true,
	"aws:userid": true, "aws:resourceaccount": true, "s3:resourceaccount": true, "s3:dataaccesspointarn": true,
	"s3:dataaccesspointaccount": true, "kms:viaservice": true, "kms:calleraccount": true, "s3:prefix": true,
	"aws:principalisawsservice": true,
}

// condConstants collects, per lower-cased key, the operators and values
// the documents compare it against.
type condConstants map[string]*keyConstants

type keyConstants struct {
	name   string   // as first written
	ops    []string // ops[i] compares values[i]
	values []string
}

func (c condConstants) addPolicy(p *policy.Policy) {
	if p == nil {
		return
	}
	for _, st := range p.Statement {
		for op, kv := range st.Condition {
			for k, v := range kv {
				lk := strings.ToLower(k)
				kc := c[lk]
				if kc == nil {
					kc = &keyConstants{name: k}
					c[lk] = kc
				}
				for _, val := range v.Strings() {
					kc.ops = append(kc.ops, op)
					kc.values = append(kc.values, val)
				}
			}
		}
	}
}

// values returns the representatives of every cell of a key: see the
// comment at the top of this file. The result always ends with absent.
func (kc *keyConstants) representatives() []string {
	var out []string
	add := func(v string) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for i, v := range kc.values {
		op := kc.ops[i]
		switch {
		case strings.Contains(op, "Bool"):
			add("true")
			add("false")
		case strings.Contains(op, "Numeric"):
			for _, n := range numericAround(v) {
				add(n)
			}
		case strings.Contains(op, "IpAddress"):
			for _, ip := range ipAround(v) {
				add(ip)
			}
		case strings.Contains(op, "Like") || strings.Contains(op, "Arn"):
			add(instantiate(v))
		default:
			add(v)
		}
	}
	if !slices.ContainsFunc(kc.ops, func(op string) bool { return strings.Contains(op, "Bool") }) {
		add(otherValue)
	}
	add(absent)
	return out
}

// instantiate turns a pattern into a value it matches: each * becomes a
// word, each ? one letter (the pattern's own literal parts stay).
func instantiate(pattern string) string {
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

// contextSet is one combination of free keys' values.
type contextSet []kv

type kv struct{ key, value string }

// combinations returns every combination of the free keys' classes, in a
// stable order, the first being the most common request (each key at its
// first representative).
func combinations(keys []string, classes map[string][]string) []contextSet {
	out := []contextSet{nil}
	for _, k := range keys {
		var next []contextSet
		for _, prev := range out {
			for _, v := range classes[k] {
				next = append(next, append(slices.Clip(prev), kv{k, v}))
			}
		}
		out = next
	}
	return out
}

// apply sets the combination's keys on ctx (absent ones are left out),
// keeping only the keys the action can carry.
func (cs contextSet) apply(ctx policy.Context, carries func(string) bool) policy.Context {
	for _, p := range cs {
		if p.value == absent || !carries(p.key) {
			continue
		}
		ctx.Set(p.key, p.value)
	}
	return ctx
}
