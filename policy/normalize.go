package policy

import (
	"bytes"
	"sort"
)

// Normalize returns a copy in which every string-or-list value is a sorted
// list without duplicates and every condition value a sorted list of
// strings: two documents AWS treats the same way normalize to the same
// canonical JSON, whatever shapes their authors used. Statement order and
// Principal "*" versus {"AWS": "*"} are kept.
func Normalize(p *Policy) *Policy {
	if p == nil {
		return nil
	}
	out := p.Clone()
	out.SingleStatement = false
	for i := range out.Statement {
		out.Statement[i] = normalizeStatement(out.Statement[i])
	}
	return out
}

func normalizeStatement(s Statement) Statement {
	s.Action = normStrings(s.Action)
	s.NotAction = normStrings(s.NotAction)
	s.Resource = normStrings(s.Resource)
	s.NotResource = normStrings(s.NotResource)
	s.Principal = normPrincipal(s.Principal)
	s.NotPrincipal = normPrincipal(s.NotPrincipal)
	for op, kv := range s.Condition {
		for k, v := range kv {
			vals := v.Strings()
			sort.Strings(vals)
			s.Condition[op][k] = CondStrings(dedupe(vals)...)
			c := s.Condition[op][k]
			c.Single = false
			s.Condition[op][k] = c
		}
	}
	return s
}

func normStrings(s Strings) Strings {
	if s.Empty() {
		return Strings{}
	}
	vals := append([]string(nil), s.Values...)
	sort.Strings(vals)
	return Strings{Values: dedupe(vals)}
}

func normPrincipal(p *Principal) *Principal {
	if p == nil || p.Wildcard {
		return p
	}
	for k, v := range p.Types {
		p.Types[k] = normStrings(v)
	}
	return p
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// SemanticEqual reports whether two documents say the same thing, statement
// by statement, whatever their shapes.
func SemanticEqual(a, b *Policy) bool {
	if a == nil || b == nil {
		return a == b
	}
	na, nb := Normalize(a), Normalize(b)
	if na.Version == "" {
		na.Version = Version2008
	}
	if nb.Version == "" {
		nb.Version = Version2008
	}
	return bytes.Equal(na.Minified(), nb.Minified())
}
