// Package policy is the IAM policy language as s3grant needs it: a typed model
// that parses tolerantly, marshals canonically, merges, diffs, lints and
// evaluates. It imports neither the AWS SDK nor any terminal library.
package policy

// Version2012 is the current policy language version; Version2008 is the legacy
// one that existing bucket policies may still carry.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect values.
const (
	Allow = "Allow"
	Deny  = "Deny"
)

// Policy is one IAM policy document (identity, bucket, access point, trust or
// key policy). Statement order is kept as read.
type Policy struct {
	Version   string
	ID        string
	Statement []Statement
	// SingleStatement records that the document held one statement as an
	// object rather than a list, so a round trip keeps the author's shape.
	SingleStatement bool
}

// Statement is one statement of a policy.
type Statement struct {
	Sid          string
	Effect       string
	Principal    *Principal
	NotPrincipal *Principal
	Action       Strings
	NotAction    Strings
	Resource     Strings
	NotResource  Strings
	Condition    Conditions
}

// Strings is a policy string-or-list value. Single records that it was written
// as a bare string.
type Strings struct {
	Values []string
	Single bool
}

// Principal is a Principal or NotPrincipal element: either the bare "*" or a
// map of principal type (AWS, Service, Federated, CanonicalUser) to values.
type Principal struct {
	Wildcard bool
	Types    map[string]Strings
}

// Conditions maps a condition operator (StringEquals, ForAnyValue:StringLike,
// BoolIfExists, ...) to its keys and values.
type Conditions map[string]map[string]CondValues

// CondValues are the values of one condition key. Each item is a string, a
// bool or a json.Number as written; Single records a bare value.
type CondValues struct {
	Items  []any
	Single bool
}

// List builds a Strings value in list form.
func List(v ...string) Strings { return Strings{Values: v} }

// One builds a Strings value written as a bare string.
func One(v string) Strings { return Strings{Values: []string{v}, Single: true} }

// Empty reports whether no value is set.
func (s Strings) Empty() bool { return len(s.Values) == 0 }

// AWSPrincipals builds a Principal of type AWS.
func AWSPrincipals(arns ...string) *Principal {
	s := Strings{Values: arns, Single: len(arns) == 1}
	return &Principal{Types: map[string]Strings{"AWS": s}}
}

// AnyPrincipal builds {"AWS": "*"}, the form AWS documents for statements
// bound by conditions.
func AnyPrincipal() *Principal {
	return &Principal{Types: map[string]Strings{"AWS": One("*")}}
}

// Values returns the principals of one type.
func (p *Principal) Values(kind string) []string {
	if p == nil {
		return nil
	}
	return p.Types[kind].Values
}

// CondStrings builds condition values from strings.
func CondStrings(v ...string) CondValues {
	items := make([]any, len(v))
	for i, s := range v {
		items[i] = s
	}
	return CondValues{Items: items, Single: len(v) == 1}
}

// CondBool builds a single boolean condition value.
func CondBool(b bool) CondValues { return CondValues{Items: []any{b}, Single: true} }

// Strings returns the values as the strings AWS compares them as.
func (c CondValues) Strings() []string {
	out := make([]string, len(c.Items))
	for i, it := range c.Items {
		out[i] = condString(it)
	}
	return out
}

// Add sets key under operator op, creating maps as needed.
func (c Conditions) Add(op, key string, v CondValues) Conditions {
	if c == nil {
		c = Conditions{}
	}
	if c[op] == nil {
		c[op] = map[string]CondValues{}
	}
	c[op][key] = v
	return c
}

// Clone returns a deep copy of the policy.
func (p *Policy) Clone() *Policy {
	if p == nil {
		return nil
	}
	out := *p
	out.Statement = make([]Statement, len(p.Statement))
	for i, s := range p.Statement {
		out.Statement[i] = s.Clone()
	}
	return &out
}

// Clone returns a deep copy of the statement.
func (s Statement) Clone() Statement {
	out := s
	out.Principal = s.Principal.clone()
	out.NotPrincipal = s.NotPrincipal.clone()
	out.Action = s.Action.clone()
	out.NotAction = s.NotAction.clone()
	out.Resource = s.Resource.clone()
	out.NotResource = s.NotResource.clone()
	if s.Condition != nil {
		out.Condition = Conditions{}
		for op, kv := range s.Condition {
			out.Condition[op] = map[string]CondValues{}
			for k, v := range kv {
				out.Condition[op][k] = CondValues{Items: append([]any(nil), v.Items...), Single: v.Single}
			}
		}
	}
	return out
}

func (s Strings) clone() Strings {
	return Strings{Values: append([]string(nil), s.Values...), Single: s.Single}
}

func (p *Principal) clone() *Principal {
	if p == nil {
		return nil
	}
	out := &Principal{Wildcard: p.Wildcard}
	if p.Types != nil {
		out.Types = map[string]Strings{}
		for k, v := range p.Types {
			out.Types[k] = v.clone()
		}
	}
	return out
}
