package aws

import (
	"context"
	"fmt"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// PreparedSet is a grants plan merged with what exists now in every
// account, ready to apply: one prepared step per set step.
type PreparedSet struct {
	Set   *plan.Set // re-planned against the live documents
	Lives []*Live   // per grant
	Steps []PreparedStep
	// Pruned lists the statements --prune takes out: what earlier runs of
	// the file added and no grant of it owns now, wherever they wrote it.
	// Those edited since (Extra.Edited) are listed but left in place.
	Pruned []Extra
	// deletes are the Steps that delete a document (see pruneSteps).
	deletes map[int]bool
}

// Changes counts the steps that write something.
func (p *PreparedSet) Changes() int { return (&Prepared{Steps: p.Steps}).Changes() }

// SetOptions tune PrepareSet.
type SetOptions struct {
	// Prune removes the extras: what earlier runs of the same grants file
	// (see lineage) added and no grant of the file owns now, wherever those
	// runs wrote it; a document they created that holds nothing else is
	// deleted.
	Prune bool
	// Runs are the journal's runs (journal.Store.List): where the extras
	// are found.
	Runs []*journal.Run
	// Parallel bounds the grants read at once; < 1 means 1.
	Parallel int
}

// CheckSetAccounts makes sure the connected accounts are the set's: its
// owner account, and every account it writes to.
func CheckSetAccounts(set *plan.Set, accts Accounts) error {
	for _, g := range set.Grants {
		if err := CheckAccounts(g, accts); err != nil {
			return err
		}
	}
	return nil
}

// ReadSetLive reads what every grant of the set touches, as ReadLive does
// for one grant, at most parallel grants (or buckets) at a time. Each
// bucket's settings are read once, not once per grant (the account's
// Block Public Access once for all), and a document several grants share
// (a bucket policy) is read once, so every grant merges with the same
// version of it.
func ReadSetLive(ctx context.Context, set *plan.Set, accts Accounts, parallel int) ([]*Live, error) {
	facts, err := readSetFacts(ctx, set.Buckets(), accts.Owner, parallel)
	if err != nil {
		return nil, err
	}
	docs := &docCache{docs: map[journal.Ref]*cachedDoc{}}
	lives := make([]*Live, len(set.Grants))
	err = bounded(len(set.Grants), parallel, func(i int) (err error) {
		g := set.Grants[i]
		if lives[i], err = readGrantLive(ctx, g, accts, facts[g.Spec.Bucket], docs); err != nil {
			return fmt.Errorf("grants[%d] (%s): %w", i, g.Spec.Scope(), err)
		}
		return nil
	})
	return lives, err
}

// PrepareSet checks the accounts, reads what exists, plans the set again
// against it and lists the writes: each account's in order, one write per
// shared document. Nothing is written. The same refusals as Prepare hold:
// a set file made against other documents than exist now (stale), a
// shared document that would lose a statement nobody asked to remove, a
// policy naming deleted principals by unique ID.
func PrepareSet(ctx context.Context, file *plan.Set, accts Accounts, o SetOptions) (*PreparedSet, error) {
	if err := CheckSetAccounts(file, accts); err != nil {
		return nil, err
	}
	lives, err := ReadSetLive(ctx, file, accts, o.Parallel)
	if err != nil {
		return nil, err
	}
	states := make([]*plan.State, len(lives))
	for i, l := range lives {
		states[i] = l.State
	}
	set, err := plan.NewSet(file.Specs(), states)
	if err != nil {
		return nil, err
	}
	if file.StateKnown {
		for i := range file.Grants {
			if err := checkStale(file.Grants[i], set.Grants[i]); err != nil {
				return nil, fmt.Errorf("grants[%d]: %w", i, err)
			}
		}
	}
	prep := &PreparedSet{Set: set, Lives: lives}
	var left []*leftDoc
	if o.Prune {
		left = leftBehind(o.Runs, set)
	}
	leftIn := leftByRef(left)
	written := map[journal.Ref]bool{}
	prefixes := sidPrefixes(set)
	var orphans []Orphan
	for _, st := range set.Steps {
		gi, si := st.Grants[0], st.GrantStep
		d := set.DocumentFor(st)
		ps := PreparedStep{Step: st.Step, Ref: lives[gi].Refs[si], Before: lives[gi].Docs[si]}
		ps.Desc = describe(ps.Ref)
		written[ps.Ref] = true
		prep.Pruned = append(prep.Pruned, pruneShared(d, leftIn[ps.Ref], ps.Ref, ps.Desc)...)
		orphans = append(orphans, handleOrphans(d, ps, false)...)
		if err := keepsForeign(d, prefixes, leftIn[ps.Ref]); err != nil {
			return nil, err
		}
		ps.Body = body(d)
		ps.Changes = !Same(ps.Ref.Type, ps.Before, Doc{Exists: true, Raw: ps.Body})
		if d != nil && ps.Changes {
			ps.Diff = d.Diff()
		}
		prep.Steps = append(prep.Steps, ps)
	}
	if len(orphans) > 0 {
		return nil, &OrphanError{Orphans: orphans}
	}
	if err := prep.pruneElsewhere(ctx, left, written, accts, o.Parallel); err != nil {
		return nil, err
	}
	return prep, nil
}

// pruneElsewhere adds the writes that take the extras out of documents the
// set does not write.
func (p *PreparedSet) pruneElsewhere(ctx context.Context, left []*leftDoc, written map[journal.Ref]bool,
	accts Accounts, parallel int,
) error {
	var others []*leftDoc
	for _, d := range left {
		if !written[d.ref] {
			others = append(others, d)
		}
	}
	held, err := readLeft(ctx, others, accts, parallel)
	if err != nil {
		return err
	}
	steps, deletes, err := pruneSteps(p.Set, held, len(p.Steps)+1)
	if err != nil {
		return err
	}
	p.deletes = map[int]bool{}
	for i := range deletes {
		p.deletes[len(p.Steps)+i] = true
	}
	for _, l := range held {
		p.Pruned = append(p.Pruned, l.extras...)
	}
	p.Steps = append(p.Steps, steps...)
	return nil
}

// sidPrefixes are the Sid prefixes of the set's grants.
func sidPrefixes(set *plan.Set) []string {
	out := make([]string, len(set.Grants))
	for i, g := range set.Grants {
		out[i] = g.SidPrefix
	}
	return out
}

// ownedByAny reports whether a Sid belongs to one of the prefixes.
func ownedByAny(sid string, prefixes []string) bool {
	for _, p := range prefixes {
		if policy.Owned(sid, p) {
			return true
		}
	}
	return false
}

// keepsForeign refuses a document that would lose a statement that exists
// now and that no grant of the set owns (pruned: the Sids earlier runs of
// the file left there may go): shared documents hold other people's access.
func keepsForeign(d *plan.Document, prefixes []string, pruned *leftDoc) error {
	if d == nil || d.Policy == nil || d.Existing == nil {
		return nil
	}
	keep := map[string]bool{}
	for _, s := range d.Policy.Statement {
		keep[string(s.Canonical())] = true
	}
	for _, s := range d.Existing.Statement {
		if run, edited := pruned.take(s); ownedByAny(s.Sid, prefixes) || run != "" && !edited {
			continue
		}
		if !keep[string(s.Canonical())] {
			return fmt.Errorf("internal safety check: the %s to write for %s drops an existing statement "+
				"(Sid %q): refusing to write", d.Kind, d.Target, s.Sid)
		}
	}
	return nil
}
