package aws

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/policy"
)

// ErrOrphanedPrincipals means a policy s3grant is about to write names
// principals by unique ID: AWS would reject the write.
var ErrOrphanedPrincipals = errors.New(
	"names principals that no longer exist (unique IDs left by deleted roles or users)")

// Orphan is one statement of a policy s3grant is about to write that names
// principals by unique ID (AROA..., AIDA...). IAM stores a role's or user's
// unique ID in place of its ARN once it is deleted; the ID matches no one
// (a re-created role gets a new one), and AWS rejects every later write of
// a policy that still holds it ("Invalid principal in policy").
type Orphan struct {
	Step      int      `json:"step"`
	Document  string   `json:"document"`
	Statement string   `json:"statement"` // Sid, or Statement[i] without one
	IDs       []string `json:"ids"`
	// Dropped: the statement names no other principal, so removing the IDs
	// removes the statement (it granted or denied no one).
	Dropped bool `json:"dropped,omitempty"`
	// Stuck: the IDs are the only entries of a NotPrincipal; removing them
	// would change whom the statement exempts, so s3grant will not.
	Stuck bool `json:"stuck,omitempty"`
}

// OrphanError stops a prepare before any write: it names every statement
// and ID and says what to do.
type OrphanError struct {
	Orphans []Orphan
}

func (e *OrphanError) Error() string {
	var b strings.Builder
	b.WriteString("stopped before any write: ")
	docs := map[string]bool{}
	for _, o := range e.Orphans {
		docs[o.Document] = true
	}
	fmt.Fprintf(&b, "principals that no longer exist (unique IDs left by deleted roles or users) "+
		"in %d statement(s) of the %s; "+
		"AWS rejects every write of a policy that holds them (\"Invalid principal in policy\"):\n",
		len(e.Orphans), strings.Join(sortedKeys(docs), ", "))
	stuck := false
	for _, o := range e.Orphans {
		fmt.Fprintf(&b, "  %s, statement %s: %s", o.Document, o.Statement, strings.Join(o.IDs, ", "))
		switch {
		case o.Stuck:
			b.WriteString(" (the only entries of a NotPrincipal: edit this statement by hand)")
			stuck = true
		case o.Dropped:
			b.WriteString(" (no other principal: the statement would be removed)")
		}
		b.WriteString("\n")
	}
	if stuck {
		b.WriteString("Next step: fix the NotPrincipal statements by hand, then re-run s3grant apply.")
		return b.String()
	}
	b.WriteString("Next step: make sure these roles and users are really gone " +
		"(a re-created one has a new ID and must be named by ARN again), " +
		"then re-run with --remove-orphaned-principals to remove exactly these entries; " +
		"the change shows in the diff and is journaled for s3grant undo.")
	return b.String()
}

// Unwrap lets errors.Is find ErrOrphanedPrincipals.
func (e *OrphanError) Unwrap() error { return ErrOrphanedPrincipals }

// removeOrphans returns p without its unique-ID principals, dropping a
// statement only when no principal is left in it, and lists what it
// removed. Every other statement, and every other part of a statement, is
// kept as it is. A NotPrincipal holding only unique IDs is left alone and
// reported as stuck.
func removeOrphans(p *policy.Policy, step int, doc string) (*policy.Policy, []Orphan) {
	if p == nil {
		return nil, nil
	}
	out := p.Clone()
	out.Statement = out.Statement[:0]
	var found []Orphan
	for i, s := range p.Statement {
		cleaned, ids, keep, stuck := stripStatement(s)
		if len(ids) == 0 {
			out.Statement = append(out.Statement, s.Clone())
			continue
		}
		found = append(found, Orphan{
			Step: step, Document: doc, Statement: statementLabel(p, i), IDs: ids, Dropped: !keep, Stuck: stuck,
		})
		if keep {
			out.Statement = append(out.Statement, cleaned)
		}
	}
	return out, found
}

// statementLabel names statement i: its Sid, with its position when
// another statement has the same Sid.
func statementLabel(p *policy.Policy, i int) string {
	sid := p.Statement[i].Sid
	for j, o := range p.Statement {
		if j != i && sid != "" && o.Sid == sid {
			return fmt.Sprintf("%s (statement %d)", sid, i+1)
		}
	}
	return policy.StatementID(p.Statement[i], i)
}

// stripStatement removes the unique-ID principals of one statement. keep is
// false when its Principal held nothing else; stuck when a NotPrincipal
// held nothing else (then s comes back unchanged).
func stripStatement(s policy.Statement) (out policy.Statement, ids []string, keep, stuck bool) {
	out = s.Clone()
	var emptied bool
	ids, emptied = stripPrincipal(out.Principal)
	keep = !emptied
	notIDs, notEmptied := stripPrincipal(out.NotPrincipal)
	if notEmptied {
		return s.Clone(), append(ids, notIDs...), true, true
	}
	return out, append(ids, notIDs...), keep, false
}

// stripPrincipal removes unique IDs from p in place; emptied is true when
// that left p with no principal at all.
func stripPrincipal(p *policy.Principal) (ids []string, emptied bool) {
	if p == nil || p.Wildcard {
		return nil, false
	}
	for _, kind := range sortedKeys(p.Types) {
		vals := p.Types[kind]
		var kept []string
		for _, v := range vals.Values {
			if policy.IsUniqueID(v) {
				ids = append(ids, v)
			} else {
				kept = append(kept, v)
			}
		}
		if len(kept) == len(vals.Values) {
			continue
		}
		if len(kept) == 0 {
			delete(p.Types, kind)
			continue
		}
		p.Types[kind] = policy.Strings{Values: kept, Single: vals.Single && len(kept) == 1}
	}
	return ids, len(ids) > 0 && len(p.Types) == 0
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
