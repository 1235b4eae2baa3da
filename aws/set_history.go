package aws

import (
	"slices"
	"strings"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// A grants file is known across edits by its lineage in the journal, not
// by its set ID (a hash of its grants: it changes with every grant added
// or removed) nor by its path (files move). Every grants run records the
// Sid prefixes of all the file's grants (journal.Run.Grants). An earlier
// run is the file's own when it is a grants run of the same owner account
// at least half of whose grants the file holds, or a run already found to
// be the file's: editing a file a few grants at a time, or removing whole
// buckets, keeps the chain. A file more than half of whose grants were
// replaced at once starts a new lineage: what the old one left is then
// not found (never removed), which is the safe way to be wrong. A grant ID
// is a hash of the grant's spec, so another team's file may hold the very
// same grant for the same owner; sharing one grant of many does not make
// its runs this file's, so prune never takes out what that file added.

// leftDoc is a document earlier runs of the file wrote: the Sids they
// added that are still theirs (no later run took them out or added them
// again), each with the run that added it, and whether they created the
// document.
type leftDoc struct {
	ref     journal.Ref
	sids    map[string]string // Sid -> the file's run that added it ("": another run's)
	wrote   map[string]string // Sid -> the statement (canonical JSON) that run wrote
	created bool
}

func newLeftDoc(ref journal.Ref) *leftDoc {
	return &leftDoc{ref: ref, sids: map[string]string{}, wrote: map[string]string{}}
}

// take says whether s is a statement the file's earlier runs left: the run
// that added it, and whether it was edited since (it is no longer what the
// run wrote). Only an unedited one is the run's to take out.
func (d *leftDoc) take(s policy.Statement) (run string, edited bool) {
	if d == nil {
		return "", false
	}
	run = d.sids[s.Sid]
	return run, run != "" && d.wrote[s.Sid] != string(s.Canonical())
}

// lineage returns the runs that are the file's own: grants runs of owner
// linked to prefixes through shared grants.
func lineage(runs []*journal.Run, owner string, prefixes []string) map[string]bool {
	known := slices.Clone(prefixes)
	mine := map[string]bool{}
	for grew := true; grew; {
		grew = false
		for _, r := range runs {
			if mine[r.ID] || r.Owner != owner || len(r.Grants) == 0 {
				continue
			}
			shared := 0
			for _, p := range r.Grants {
				if slices.Contains(known, p) {
					shared++
				}
			}
			// At least half of the run's grants: another file that happens
			// to hold one identical grant is not this file's history.
			if shared > 0 && 2*shared >= len(r.Grants) {
				mine[r.ID], grew = true, true
				for _, p := range r.Grants {
					if !slices.Contains(known, p) {
						known = append(known, p)
					}
				}
			}
		}
	}
	return mine
}

// leftBehind replays every run's writes, oldest first, and returns, per
// document, the Sids the file's own runs added last and that no grant of
// set owns: what the file's earlier runs left that it no longer asks for.
// A Sid a later run of anyone else added (a single grant's apply, another
// file) is that run's; one a later run removed is gone. Writes undone or
// rolled back count for nothing.
func leftBehind(runs []*journal.Run, set *plan.Set) []*leftDoc {
	prefixes := sidPrefixes(set)
	mine := lineage(runs, set.Grants[0].Spec.OwnerAccount, prefixes)
	ordered := slices.Clone(runs)
	slices.SortFunc(ordered, func(a, b *journal.Run) int { return a.Created.Compare(b.Created) })
	docs := map[journal.Ref]*leftDoc{}
	var order []journal.Ref
	for _, r := range ordered {
		for _, ent := range r.Entries {
			if !ent.Status.MayHaveChanged() || !hasPolicy(ent.Ref.Type) {
				continue
			}
			d := docs[ent.Ref]
			if d == nil {
				d = newLeftDoc(ent.Ref)
				docs[ent.Ref] = d
				order = append(order, ent.Ref)
			}
			ours := ""
			if mine[r.ID] {
				ours = r.ID
			}
			replay(d, ent, ours)
		}
	}
	var out []*leftDoc
	for _, ref := range order {
		d := docs[ref]
		for sid, run := range d.sids {
			if run == "" || ownedByAny(sid, prefixes) {
				delete(d.sids, sid)
			}
		}
		if len(d.sids) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// replay records one write in d: who wrote each statement it added or
// rewrote (ours: the file's run, or ""; the last writer of a statement
// owns it), that the Sids it removed are gone, and whether the file's
// runs created the document.
func replay(d *leftDoc, ent journal.Entry, ours string) {
	// runChange speaks as a rollback does: from what the write left, to
	// what was there before it.
	written, prior := runChange(ent)
	before, after := sidsOf(prior), sidsOf(written)
	for sid, canon := range after {
		if prev, ok := before[sid]; !ok || prev != canon {
			d.sids[sid], d.wrote[sid] = ours, canon
		}
	}
	for sid := range before {
		if _, ok := after[sid]; !ok {
			delete(d.sids, sid)
			delete(d.wrote, sid)
		}
	}
	switch {
	case !prior.Exists && written.Exists:
		d.created = ours != ""
	case !written.Exists:
		d.created = false
	}
}

// sidsOf are s3grant's statements in a document: Sid -> canonical JSON.
func sidsOf(d Doc) map[string]string {
	out := map[string]string{}
	p, err := parseOrEmpty(d)
	if err != nil {
		return out
	}
	for _, s := range p.Statement {
		if strings.HasPrefix(s.Sid, policy.SidPrefix) {
			out[s.Sid] = string(s.Canonical())
		}
	}
	return out
}
