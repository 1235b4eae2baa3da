package policy

import "strings"

// SidPrefix starts the Sid of every statement s3grant writes. A statement
// whose Sid does not start with it is foreign and is never changed.
const SidPrefix = "S3Grant"

// Owned reports whether a Sid belongs to the grant whose Sids start with
// prefix (a SidPrefix plus the grant's ID).
func Owned(sid, prefix string) bool { return prefix != "" && strings.HasPrefix(sid, prefix) }

// Merge returns existing with the grant's statements in place: statements of
// existing whose Sid starts with grantPrefix are replaced by ours (at the
// position of the first one, so a re-run does not move them), every other
// statement is kept exactly, and ours are appended when none were there. A nil
// existing gives a new 2012-10-17 document.
func Merge(existing *Policy, grantPrefix string, ours []Statement) *Policy {
	out := &Policy{Version: Version2012}
	if existing != nil {
		out = existing.Clone()
		out.SingleStatement = false
	}
	kept := make([]Statement, 0, len(out.Statement)+len(ours))
	inserted := false
	for _, s := range out.Statement {
		if Owned(s.Sid, grantPrefix) {
			if !inserted {
				kept = append(kept, cloneAll(ours)...)
				inserted = true
			}
			continue
		}
		kept = append(kept, s)
	}
	if !inserted {
		kept = append(kept, cloneAll(ours)...)
	}
	out.Statement = kept
	// A document without Version is read as 2008-10-17, where ${...} is
	// literal text: only name 2012-10-17 when that cannot change a foreign
	// statement's meaning.
	if out.Version == "" && !usesVariables(out.Statement) {
		out.Version = Version2012
	}
	return out
}

// Unmerge removes the grant's statements, giving back what Merge started from
// (in content; a single-statement shape comes back as a list).
func Unmerge(p *Policy, grantPrefix string) *Policy {
	if p == nil {
		return nil
	}
	out := p.Clone()
	out.Statement = out.Statement[:0]
	for _, s := range p.Statement {
		if !Owned(s.Sid, grantPrefix) {
			out.Statement = append(out.Statement, s.Clone())
		}
	}
	return out
}

// Foreign returns the statements not owned by the grant.
func Foreign(p *Policy, grantPrefix string) []Statement {
	if p == nil {
		return nil
	}
	return Unmerge(p, grantPrefix).Statement
}

func cloneAll(ss []Statement) []Statement {
	out := make([]Statement, len(ss))
	for i, s := range ss {
		out[i] = s.Clone()
	}
	return out
}

// usesVariables reports whether any statement uses ${...} policy variables,
// which need Version 2012-10-17.
func usesVariables(ss []Statement) bool {
	for _, s := range ss {
		if strings.Contains(string(s.Canonical()), "${") {
			return true
		}
	}
	return false
}
