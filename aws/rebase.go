package aws

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/policy"
)

// ErrConflict means a change cannot be carried over to a document someone
// else changed without guessing: a statement of ours was edited in place,
// the document was deleted or re-created, or a document with no parts (an
// Object Ownership rule, a logging setting) holds a third value.
var ErrConflict = errors.New("cannot be combined with the change made by someone else")

// rebase carries the change from -> to over to cur, the document as it is
// now, keeping everything else cur holds. Policies are compared statement by
// statement (canonical JSON), ACLs grant by grant; the other documents are
// whole values. The same function merges a write with an edit that landed
// since the read (from = what was read, to = what we write) and takes a
// run's change out again (from = what it wrote, to = what was there
// before), so a colleague's statement survives both.
//
// rebase(from, to, cur) is idempotent: when cur already holds the change
// (a write that landed before a crash) it returns cur.
func rebase(t journal.RefType, from, to, cur Doc) (Doc, error) {
	if Same(t, cur, from) {
		return to, nil
	}
	if Same(t, cur, to) {
		return cur, nil
	}
	switch t {
	case journal.BucketPolicy, journal.RolePolicy, journal.UserPolicy, journal.ManagedPolicy,
		journal.AccessPointPolicy, journal.KeyPolicy, journal.Role:
		return rebasePolicy(from, to, cur)
	case journal.BucketACL:
		return rebaseACL(from, to, cur)
	default: // a whole-value document that is neither from nor to: a conflict, below
	}
	return Doc{}, ErrConflict
}

// rebasePolicy adds the statements to has and from has not, and removes
// those from has and to has not.
func rebasePolicy(from, to, cur Doc) (Doc, error) {
	if !cur.Exists {
		// Deleted since: re-creating it would bring back what the deleter
		// removed, adding to it would undo their delete.
		return Doc{}, fmt.Errorf("the document was deleted: %w", ErrConflict)
	}
	f, err1 := parseOrEmpty(from)
	g, err2 := parseOrEmpty(to)
	c, err3 := policy.Parse([]byte(cur.Raw))
	if err := errors.Join(err1, err2, err3); err != nil {
		return Doc{}, fmt.Errorf("%w: %w", ErrConflict, err)
	}
	added, removed := statementDelta(f, g)
	out := c.Clone()
	out.Statement = out.Statement[:0]
	sids := map[string]bool{}
	for _, s := range c.Statement {
		canon := s.Canonical()
		if removed[string(canon)] {
			continue
		}
		if s.Sid != "" && (sidOf(removed, s.Sid) || sidOf(added, s.Sid)) && !added[string(canon)] {
			return Doc{}, fmt.Errorf("statement %q was edited by someone else: %w", s.Sid, ErrConflict)
		}
		out.Statement = append(out.Statement, s.Clone())
		sids[s.Sid] = true
	}
	for _, s := range g.Statement {
		k := string(s.Canonical())
		sameStatement := func(x policy.Statement) bool { return string(x.Canonical()) == k }
		if added[k] && !slices.ContainsFunc(out.Statement, sameStatement) {
			out.Statement = append(out.Statement, s.Clone())
		}
	}
	if f.Version == c.Version && g.Version != "" {
		out.Version = g.Version // never downgrade a version someone else chose
	}
	if len(out.Statement) == 0 {
		if to.Exists && from.Exists {
			return Doc{}, fmt.Errorf("nothing would be left: %w", ErrConflict)
		}
		return Doc{}, nil // nothing left: the document goes, as it was before
	}
	out.SingleStatement = false
	return Doc{Exists: true, Raw: string(out.Minified())}, nil
}

func parseOrEmpty(d Doc) (*policy.Policy, error) {
	if !d.Exists || d.Raw == "" {
		return &policy.Policy{}, nil
	}
	return policy.Parse([]byte(d.Raw))
}

// statementDelta returns, by canonical text, the statements only b has
// (added) and only a has (removed).
func statementDelta(a, b *policy.Policy) (added, removed map[string]bool) {
	in := func(p *policy.Policy) map[string]string {
		m := map[string]string{}
		for _, s := range p.Statement {
			m[string(s.Canonical())] = s.Sid
		}
		return m
	}
	ma, mb := in(a), in(b)
	added, removed = map[string]bool{}, map[string]bool{}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			added[k] = true
		}
	}
	for k := range ma {
		if _, ok := mb[k]; !ok {
			removed[k] = true
		}
	}
	return added, removed
}

// sidOf reports whether one of the statements in set (canonical texts) has
// the Sid sid.
func sidOf(set map[string]bool, sid string) bool {
	for k := range set {
		var s struct{ Sid string }
		if json.Unmarshal([]byte(k), &s) == nil && s.Sid == sid {
			return true
		}
	}
	return false
}

// rebaseACL adds the grants to has and from has not and removes those from
// has and to has not. An ACL always exists.
func rebaseACL(from, to, cur Doc) (Doc, error) {
	f, err1 := parseACL(from.Raw)
	g, err2 := parseACL(to.Raw)
	c, err3 := parseACL(cur.Raw)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Doc{}, fmt.Errorf("%w: %w", ErrConflict, err)
	}
	out := &policy.ACL{Owner: c.Owner}
	for _, gr := range c.Grants {
		if f.Has(gr) && !g.Has(gr) {
			continue
		}
		out.Grants = append(out.Grants, gr)
	}
	for _, gr := range g.Grants {
		if !f.Has(gr) && !out.Has(gr) {
			out.Grants = append(out.Grants, gr)
		}
	}
	return Doc{Exists: true, Raw: string(out.Canonical())}, nil
}
