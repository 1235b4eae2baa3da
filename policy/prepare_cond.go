package policy

import (
	"cmp"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// compiledCond is one operator on one key, read once at Prepare: the
// operator as codes, the key lower-cased (with its implied-key code), and
// the policy's values parsed for their comparison (numbers, dates,
// addresses, patterns), so holding it parses only the request's values.
// Conditions with policy variables keep the general path (condOp.holds).
type compiledCond struct {
	key     string // lower-cased, as Context stores keys
	keyOwn  bool   // key is not internKey's copy: pack copies it
	implied impliedKey
	vars    *condVars // a value holds a policy variable: the general path
	cmp     cmpKind
	rel     int8 // Numeric and Date: which order holds (relNone: none)
	set     uint8
	negated bool
	ifExist bool
	// Null: whether any value is "true", "false"
	nullTrue, nullFalse bool
	vals                []condVal
}

// condVars is a condition with policy variables as condOp.holds reads it.
type condVars struct {
	op  condOp
	raw []string
}

// condVal is one policy value in the form its comparison reads, kept
// small: a cold decision waits for every cache line of the values it
// reads.
type condVal struct {
	s     string
	like  matcher     // StringLike
	arn   *arnPattern // ArnEquals, ArnLike
	num   float64
	sec   int64      // Date: the time as Unix seconds ...
	addr  netip.Addr // IpAddress: one address, or a CIDR's (masked) address ...
	nsec  int32      // ... and nanoseconds
	bits  int16      // ... and its prefix length
	cidr  bool
	valid bool // the value parses for its operator
}

type cmpKind uint8

const (
	cmpNone cmpKind = iota // an operator compare does not know: never holds
	cmpEquals
	cmpFold // StringEqualsIgnoreCase and Bool
	cmpLike
	cmpARN
	cmpIP
	cmpNumeric
	cmpDate
	cmpNull
)

const (
	setNone uint8 = iota
	setAll
	setAny
)

const (
	relNone int8 = iota
	relEq
	relLt
	relLe
	relGt
	relGe
)

func (pg *program) compileCond(op, key string, vals []string, vars bool) compiledCond {
	o := parseCondOp(op)
	c := compiledCond{negated: o.negated, ifExist: o.ifExists}
	var interned bool
	c.key, interned = internKey(strings.ToLower(key))
	c.keyOwn = !interned
	if vars && hasAnyVariable(vals) {
		c.vars = &condVars{op: o, raw: vals}
	}
	c.implied = impliedKeyOf(c.key)
	switch o.set {
	case "ForAllValues":
		c.set = setAll
	case "ForAnyValue":
		c.set = setAny
	}
	if o.null {
		c.cmp = cmpNull
		for _, v := range vals {
			c.nullTrue = c.nullTrue || strings.EqualFold(v, "true")
			c.nullFalse = c.nullFalse || strings.EqualFold(v, "false")
		}
		return c
	}
	c.cmp, c.rel = cmpOf(o.base)
	// A window of the program's values (reserve sized them): one array
	// for every condition, where a slice each would scatter them.
	lo := len(pg.vals)
	for _, v := range vals {
		pg.vals = append(pg.vals, compileCondVal(c.cmp, v))
	}
	c.vals = pg.vals[lo:len(pg.vals):len(pg.vals)]
	return c
}

// cmpOf reads a positive operator as compare (eval_cond.go) switches on it.
func cmpOf(base string) (cmpKind, int8) {
	switch base {
	case "StringEquals", "BinaryEquals":
		return cmpEquals, relNone
	case "StringEqualsIgnoreCase", "Bool":
		return cmpFold, relNone
	case "StringLike":
		return cmpLike, relNone
	case "ArnEquals", "ArnLike":
		return cmpARN, relNone
	case "IpAddress":
		return cmpIP, relNone
	}
	if rel, ok := strings.CutPrefix(base, "Numeric"); ok {
		return cmpNumeric, relOf(rel)
	}
	if rel, ok := strings.CutPrefix(base, "Date"); ok {
		return cmpDate, relOf(rel)
	}
	return cmpNone, relNone
}

func relOf(rel string) int8 {
	switch rel {
	case "Equals":
		return relEq
	case "LessThan":
		return relLt
	case "LessThanEquals":
		return relLe
	case "GreaterThan":
		return relGt
	case "GreaterThanEquals":
		return relGe
	}
	return relNone
}

func compileCondVal(k cmpKind, v string) condVal {
	out := condVal{s: v, valid: true}
	switch k {
	case cmpLike:
		out.like = compileMatcher(v, false)
	case cmpARN:
		a := compileARN(v, false)
		out.arn = &a
	case cmpNumeric:
		var err error
		out.num, err = strconv.ParseFloat(v, 64)
		out.valid = err == nil
	case cmpDate:
		var t time.Time
		t, out.valid = parseDate(v)
		out.sec, out.nsec = t.Unix(), int32(t.Nanosecond())
	case cmpIP:
		if pfx, err := netip.ParsePrefix(v); err == nil {
			m := pfx.Masked()
			out.addr, out.bits, out.cidr = m.Addr(), int16(m.Bits()), true
		} else if a, err := netip.ParseAddr(v); err == nil {
			out.addr = a
		} else {
			out.valid = false
		}
	default: // the string comparisons read s
	}
	return out
}

// holds is condOp.holds (eval_cond.go) on the compiled values; variables
// take condOp.holds itself.
func (c *compiledCond) holds(v *reqView) bool {
	reqVals, present := v.get(c.key, c.implied)
	if c.vars != nil {
		return c.vars.op.holds(c.vars.raw, reqVals, present, keyLookup{view: v}, true)
	}
	present = present && len(reqVals) > 0
	switch {
	case c.cmp == cmpNull:
		return (c.nullTrue && !present) || (c.nullFalse && present)
	case !present && (c.ifExist || c.set == setAll):
		return true
	case !present && c.set == setAny:
		return false
	case !present:
		return c.negated
	}
	hits := 0
	for _, rv := range reqVals {
		if c.anyMatches(rv) {
			hits++
		}
	}
	switch {
	case c.set == setAll && c.negated:
		return hits == 0
	case c.set == setAll:
		return hits == len(reqVals)
	case c.set == setAny && c.negated:
		return hits < len(reqVals)
	case c.negated:
		return hits == 0
	}
	return hits > 0
}

// anyMatches reports whether a policy value matches request value rv,
// parsing rv once for every value.
func (c *compiledCond) anyMatches(rv string) bool {
	switch c.cmp {
	case cmpARN:
		a := newSplitARN(rv)
		for i := range c.vals {
			if c.vals[i].arn.matches(&a) {
				return true
			}
		}
		return false
	case cmpIP:
		addr, err := netip.ParseAddr(rv)
		for i := range c.vals {
			pv := &c.vals[i]
			if err == nil && pv.valid &&
				(pv.cidr && netip.PrefixFrom(pv.addr, int(pv.bits)).Contains(addr) || !pv.cidr && pv.addr == addr) {
				return true
			}
		}
		return false
	case cmpNumeric:
		r, err := strconv.ParseFloat(rv, 64)
		for i := range c.vals {
			if pv := &c.vals[i]; err == nil && pv.valid && holdsRel(c.rel, cmpFloat(r, pv.num)) {
				return true
			}
		}
		return false
	case cmpDate:
		r, ok := parseDate(rv)
		for i := range c.vals {
			if pv := &c.vals[i]; ok && pv.valid && holdsRel(c.rel, compareTime(r, pv)) {
				return true
			}
		}
		return false
	default: // the string comparisons, below; cmpNone and cmpNull match no value
	}
	for i := range c.vals {
		pv := &c.vals[i]
		switch {
		case c.cmp == cmpEquals && pv.s == rv,
			c.cmp == cmpFold && strings.EqualFold(pv.s, rv),
			c.cmp == cmpLike && pv.like.match(rv):
			return true
		}
	}
	return false
}

// compareTime is r.Compare of the value's time (parseDate's times carry
// no monotonic reading: the instant alone orders them).
func compareTime(r time.Time, pv *condVal) int {
	if c := cmp.Compare(r.Unix(), pv.sec); c != 0 {
		return c
	}
	return cmp.Compare(int32(r.Nanosecond()), pv.nsec)
}

// holdsRel is ordered (eval_cond.go) on a compiled relation.
func holdsRel(rel int8, c int) bool {
	switch rel {
	case relEq:
		return c == 0
	case relLt:
		return c < 0
	case relLe:
		return c <= 0
	case relGt:
		return c > 0
	case relGe:
		return c >= 0
	}
	return false
}

func hasAnyVariable(vals []string) bool {
	for _, v := range vals {
		if hasVariable(v) {
			return true
		}
	}
	return false
}
