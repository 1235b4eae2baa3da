package policy

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// parseDirect reads a well-formed document from fastjson's tree straight
// into a Policy, without building the map[string]any tree Parse's
// reference path reads (its maps were most of the cost of explaining
// thousands of requests that each carry their documents). ok is false for
// anything it does not take on itself: what decodeFast refuses, any error,
// a key written twice (the reference keeps the last). Parse then takes the
// reference path, which words the error. TestParseDirectMatchesReference
// holds the two together.
func parseDirect(data []byte) (*Policy, bool) {
	if !utf8.Valid(data) || bytes.IndexByte(data, '\\') >= 0 {
		return nil, false
	}
	pr := parsers.Get()
	defer parsers.Put(pr)
	v, err := pr.ParseBytes(data)
	if err != nil || v.Type() != fastjson.TypeObject {
		return nil, false
	}
	o, _ := v.Object()
	p := &Policy{}
	ok, seen := true, uint8(0)
	o.Visit(func(k []byte, x *fastjson.Value) {
		if !ok {
			return
		}
		var bit uint8
		switch string(k) {
		case "Version":
			bit = 1
			switch b := x.GetStringBytes(); {
			case x.Type() == fastjson.TypeString && string(b) == Version2012:
				p.Version = Version2012
			case x.Type() == fastjson.TypeString && string(b) == Version2008:
				p.Version = Version2008
			default:
				ok = false
			}
		case "Id":
			bit = 2
			p.ID, ok = directString(x)
		case "Statement":
			bit = 4
			ok = p.directStatements(x)
		default:
			ok = false
		}
		ok = ok && seen&bit == 0
		seen |= bit
	})
	return p, ok
}

func (p *Policy) directStatements(v *fastjson.Value) bool {
	switch v.Type() {
	case fastjson.TypeObject:
		s, ok := directStatement(v)
		p.Statement, p.SingleStatement = []Statement{s}, true
		return ok
	case fastjson.TypeArray:
		items, _ := v.Array()
		p.Statement = make([]Statement, 0, len(items))
		for _, it := range items {
			if it.Type() != fastjson.TypeObject {
				return false
			}
			s, ok := directStatement(it)
			if !ok {
				return false
			}
			p.Statement = append(p.Statement, s)
		}
		return true
	default: // the reference words the error
	}
	return false
}

// stmtKeys are the statement elements by bit, to catch one written twice.
var stmtKeys = [...]string{
	"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
}

func directStatement(v *fastjson.Value) (Statement, bool) {
	var s Statement
	o, _ := v.Object()
	ok, seen := true, uint16(0)
	o.Visit(func(k []byte, x *fastjson.Value) {
		if !ok {
			return
		}
		i := 0
		for i < len(stmtKeys) && stmtKeys[i] != string(k) {
			i++
		}
		if i == len(stmtKeys) || seen&(1<<i) != 0 {
			ok = false
			return
		}
		seen |= 1 << i
		ok = s.directElement(i, x)
	})
	return s, ok && checkStatement(s, "") == nil
}

// directElement reads the statement element stmtKeys[i].
func (s *Statement) directElement(i int, x *fastjson.Value) (ok bool) {
	switch stmtKeys[i] {
	case "Sid":
		s.Sid, ok = directString(x)
	case "Effect":
		switch b := x.GetStringBytes(); {
		case x.Type() == fastjson.TypeString && string(b) == Allow:
			s.Effect, ok = Allow, true
		case x.Type() == fastjson.TypeString && string(b) == Deny:
			s.Effect, ok = Deny, true
		}
	case "Principal":
		s.Principal, ok = directPrincipal(x)
	case "NotPrincipal":
		s.NotPrincipal, ok = directPrincipal(x)
	case "Action":
		s.Action, ok = directStrings(x)
	case "NotAction":
		s.NotAction, ok = directStrings(x)
	case "Resource":
		s.Resource, ok = directStrings(x)
	case "NotResource":
		s.NotResource, ok = directStrings(x)
	default: // Condition
		s.Condition, ok = directConditions(x)
	}
	return ok
}

func directString(v *fastjson.Value) (string, bool) {
	if v.Type() != fastjson.TypeString {
		return "", false
	}
	b := v.GetStringBytes()
	return string(b), plainString(b)
}

func directStrings(v *fastjson.Value) (Strings, bool) {
	if v.Type() == fastjson.TypeString {
		s, ok := directString(v)
		return One(s), ok
	}
	if v.Type() != fastjson.TypeArray {
		return Strings{}, false
	}
	items, _ := v.Array()
	out := Strings{Values: make([]string, 0, len(items))}
	for _, it := range items {
		s, ok := directString(it)
		if !ok {
			return Strings{}, false
		}
		out.Values = append(out.Values, s)
	}
	return out, len(out.Values) > 0
}

func directPrincipal(v *fastjson.Value) (*Principal, bool) {
	if v.Type() == fastjson.TypeString {
		return &Principal{Wildcard: true}, string(v.GetStringBytes()) == "*"
	}
	if v.Type() != fastjson.TypeObject {
		return nil, false
	}
	o, _ := v.Object()
	p := &Principal{Types: make(map[string]Strings, o.Len())}
	ok := true
	o.Visit(func(k []byte, x *fastjson.Value) {
		if !ok {
			return
		}
		var kind string
		switch string(k) {
		case "AWS", "Service", "Federated", "CanonicalUser":
			kind = string(k)
		}
		if _, dup := p.Types[kind]; kind == "" || dup {
			ok = false
			return
		}
		p.Types[kind], ok = directStrings(x)
	})
	return p, ok
}

func directConditions(v *fastjson.Value) (Conditions, bool) {
	if v.Type() != fastjson.TypeObject {
		return nil, false
	}
	o, _ := v.Object()
	out := make(Conditions, o.Len())
	ok := true
	o.Visit(func(k []byte, x *fastjson.Value) {
		if !ok {
			return
		}
		op := string(k)
		if _, dup := out[op]; dup || !KnownOperator(op) || x.Type() != fastjson.TypeObject {
			ok = false
			return
		}
		keys, _ := x.Object()
		m := make(map[string]CondValues, keys.Len())
		out[op] = m
		keys.Visit(func(k []byte, x *fastjson.Value) {
			if !ok {
				return
			}
			key := string(k)
			if _, dup := m[key]; dup || !plainString(k) {
				ok = false
				return
			}
			m[key], ok = directCondValues(x)
		})
	})
	return out, ok
}

func directCondValues(v *fastjson.Value) (CondValues, bool) {
	if v.Type() != fastjson.TypeArray {
		item, ok := directScalar(v)
		return CondValues{Items: []any{item}, Single: true}, ok
	}
	items, _ := v.Array()
	out := CondValues{Items: make([]any, 0, len(items))}
	for _, it := range items {
		item, ok := directScalar(it)
		if !ok {
			return CondValues{}, false
		}
		out.Items = append(out.Items, item)
	}
	return out, true
}

// directScalar is a condition value as the reference tree holds it: a
// string, a bool or a json.Number as written.
func directScalar(v *fastjson.Value) (any, bool) {
	switch v.Type() {
	case fastjson.TypeString:
		return directString(v)
	case fastjson.TypeNumber:
		raw := v.String()
		return json.Number(raw), jsonNumber(raw)
	case fastjson.TypeTrue:
		return true, true
	case fastjson.TypeFalse:
		return false, true
	default: // null, objects: the reference words the error
	}
	return nil, false
}
