package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// ParseError locates a problem in a policy document.
type ParseError struct {
	Path string // e.g. Statement[2].Effect
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Path == "" {
		return "policy: " + e.Msg
	}
	return "policy: " + e.Path + ": " + e.Msg
}

func perr(path, format string, a ...any) error {
	return &ParseError{Path: path, Msg: fmt.Sprintf(format, a...)}
}

// Parse reads a policy document in any shape AWS accepts: Statement as an
// object or a list; Action, Resource, NotAction, NotResource and principal
// values as a string or a list; Principal "*"; Version 2008-10-17 or
// 2012-10-17 (or none); Id; condition values as strings, bools, numbers or
// lists; Sids missing or repeated. It rejects what AWS would reject as
// malformed: unknown elements, a bad Effect, both Action and NotAction, etc.
func Parse(data []byte) (*Policy, error) {
	if p, ok := parseDirect(data); ok {
		return p, nil
	}
	return parseTree(data)
}

// parseTree is Parse through the decoded tree: the reference, and the
// path that words every error.
func parseTree(data []byte) (*Policy, error) {
	raw, ok := decodeFast(data)
	if !ok {
		var err error
		if raw, err = decodeJSON(data); err != nil {
			return nil, err
		}
	}
	top, ok := raw.(map[string]any)
	if !ok {
		return nil, perr("", "a policy must be a JSON object, e.g. {\"Version\":\"2012-10-17\",\"Statement\":[]}")
	}
	p := &Policy{}
	for k, v := range top {
		switch k {
		case "Version":
			s, ok := v.(string)
			if !ok || (s != Version2012 && s != Version2008) {
				return nil, perr("Version", "must be %q or %q", Version2012, Version2008)
			}
			p.Version = s
		case "Id":
			s, ok := v.(string)
			if !ok {
				return nil, perr("Id", "must be a string")
			}
			p.ID = s
		case "Statement":
			if err := p.parseStatements(v); err != nil {
				return nil, err
			}
		default:
			return nil, perr(k, "unknown policy element (expected Version, Id, Statement)")
		}
	}
	return p, nil
}

// decodeJSON is the reference decoding: encoding/json with numbers as
// written.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, perr("", "not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, perr("", "unexpected data after the JSON document")
	}
	return raw, nil
}

func (p *Policy) parseStatements(v any) error {
	var items []any
	switch t := v.(type) {
	case map[string]any:
		items = []any{t}
		p.SingleStatement = true
	case []any:
		items = t
	default:
		return perr("Statement", "must be an object or a list of objects")
	}
	p.Statement = make([]Statement, 0, len(items))
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return perr(fmt.Sprintf("Statement[%d]", i), "must be an object")
		}
		s, err := parseStatement(m, fmt.Sprintf("Statement[%d]", i))
		if err != nil {
			return err
		}
		p.Statement = append(p.Statement, s)
	}
	return nil
}

func parseStatement(m map[string]any, path string) (Statement, error) {
	var s Statement
	var err error
	for k, v := range m {
		at := path + "." + k
		switch k {
		case "Sid":
			str, ok := v.(string)
			if !ok {
				return s, perr(at, "must be a string")
			}
			s.Sid = str
		case "Effect":
			str, _ := v.(string)
			if str != Allow && str != Deny {
				return s, perr(at, "must be \"Allow\" or \"Deny\"")
			}
			s.Effect = str
		case "Principal":
			s.Principal, err = parsePrincipal(v, at)
		case "NotPrincipal":
			s.NotPrincipal, err = parsePrincipal(v, at)
		case "Action":
			s.Action, err = parseStrings(v, at)
		case "NotAction":
			s.NotAction, err = parseStrings(v, at)
		case "Resource":
			s.Resource, err = parseStrings(v, at)
		case "NotResource":
			s.NotResource, err = parseStrings(v, at)
		case "Condition":
			s.Condition, err = parseConditions(v, at)
		default:
			return s, perr(at, "unknown statement element")
		}
		if err != nil {
			return s, err
		}
	}
	return s, checkStatement(s, path)
}

func checkStatement(s Statement, path string) error {
	switch {
	case s.Effect == "":
		return perr(path, "Effect is required (\"Allow\" or \"Deny\")")
	case s.Action.Empty() == s.NotAction.Empty():
		return perr(path, "exactly one of Action or NotAction is required")
	case !s.Resource.Empty() && !s.NotResource.Empty():
		return perr(path, "Resource and NotResource cannot both be set")
	case s.Principal != nil && s.NotPrincipal != nil:
		return perr(path, "Principal and NotPrincipal cannot both be set")
	}
	return nil
}

func parseStrings(v any, path string) (Strings, error) {
	switch t := v.(type) {
	case string:
		return One(t), nil
	case []any:
		out := Strings{Values: make([]string, 0, len(t))}
		for i, it := range t {
			str, ok := it.(string)
			if !ok {
				return Strings{}, perr(fmt.Sprintf("%s[%d]", path, i), "must be a string")
			}
			out.Values = append(out.Values, str)
		}
		if len(out.Values) == 0 {
			return Strings{}, perr(path, "must not be an empty list")
		}
		return out, nil
	}
	return Strings{}, perr(path, "must be a string or a list of strings")
}

func parsePrincipal(v any, path string) (*Principal, error) {
	if s, ok := v.(string); ok {
		if s != "*" {
			return nil, perr(path, "a bare string principal must be \"*\"; use {\"AWS\": \"%s\"}", s)
		}
		return &Principal{Wildcard: true}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, perr(path, "must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}")
	}
	p := &Principal{Types: map[string]Strings{}}
	for k, val := range m {
		switch k {
		case "AWS", "Service", "Federated", "CanonicalUser":
		default:
			return nil, perr(path+"."+k, "unknown principal type (expected AWS, Service, Federated or CanonicalUser)")
		}
		s, err := parseStrings(val, path+"."+k)
		if err != nil {
			return nil, err
		}
		p.Types[k] = s
	}
	return p, nil
}

func parseConditions(v any, path string) (Conditions, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, perr(path, "must be an object of operators, e.g. {\"Bool\": {\"aws:SecureTransport\": \"false\"}}")
	}
	out := Conditions{}
	for op, kv := range m {
		if !KnownOperator(op) {
			return nil, perr(path+"."+op, "unknown condition operator")
		}
		keys, ok := kv.(map[string]any)
		if !ok {
			return nil, perr(path+"."+op, "must be an object of condition keys")
		}
		out[op] = map[string]CondValues{}
		for key, val := range keys {
			cv, err := parseCondValues(val, path+"."+op+"."+key)
			if err != nil {
				return nil, err
			}
			out[op][key] = cv
		}
	}
	return out, nil
}

func parseCondValues(v any, path string) (CondValues, error) {
	switch t := v.(type) {
	case []any:
		out := CondValues{Items: make([]any, 0, len(t))}
		for i, it := range t {
			if !scalar(it) {
				return CondValues{}, perr(fmt.Sprintf("%s[%d]", path, i), "must be a string, number or boolean")
			}
			out.Items = append(out.Items, it)
		}
		return out, nil
	default:
		if !scalar(t) {
			return CondValues{}, perr(path, "must be a string, number, boolean or a list of them")
		}
		return CondValues{Items: []any{t}, Single: true}, nil
	}
}

func scalar(v any) bool {
	switch v.(type) {
	case string, bool, json.Number:
		return true
	}
	return false
}

func condString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "true"
		}
		return "false"
	case json.Number:
		return t.String()
	case int:
		return fmt.Sprint(t)
	}
	return fmt.Sprint(v)
}

// KnownOperator reports whether op is a condition operator of the IAM policy
// language, with its optional ForAnyValue:/ForAllValues: prefix and
// IfExists suffix.
func KnownOperator(op string) bool {
	base := op
	for _, pre := range []string{"ForAnyValue:", "ForAllValues:"} {
		base = strings.TrimPrefix(base, pre)
	}
	trimmed := strings.TrimSuffix(base, "IfExists")
	if trimmed == "Null" && trimmed != base {
		return false // Null has no IfExists form
	}
	_, ok := operatorBases[trimmed]
	return ok
}

var operatorBases = map[string]struct{}{
	"StringEquals": {}, "StringNotEquals": {}, "StringEqualsIgnoreCase": {}, "StringNotEqualsIgnoreCase": {},
	"StringLike": {}, "StringNotLike": {},
	"NumericEquals": {}, "NumericNotEquals": {}, "NumericLessThan": {}, "NumericLessThanEquals": {},
	"NumericGreaterThan": {}, "NumericGreaterThanEquals": {},
	"DateEquals": {}, "DateNotEquals": {}, "DateLessThan": {}, "DateLessThanEquals": {},
	"DateGreaterThan": {}, "DateGreaterThanEquals": {},
	"Bool": {}, "BinaryEquals": {}, "IpAddress": {}, "NotIpAddress": {},
	"ArnEquals": {}, "ArnNotEquals": {}, "ArnLike": {}, "ArnNotLike": {},
	"Null": {},
}
