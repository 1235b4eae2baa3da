package aws

import (
	"github.com/s3grant/s3grant/journal"
)

// adopt takes over the writes of interrupted runs of the same grant (their
// process died mid-run): each entry of ours on a document such a run may
// have written starts from what the document was before that run, so one
// undo of this run removes the whole grant. An interrupted write whose
// change cannot be told apart from a later edit is left to its own run.
func (e *engine) adopt() {
	runs, err := e.opts.Store.List()
	if err != nil {
		return
	}
	e.takenOver = map[string]bool{}
	for _, r := range runs {
		if r.GrantID != e.run.GrantID || r.Bucket != e.run.Bucket || !r.Interrupted() {
			continue
		}
		e.takenOver[r.ID] = true
		for _, old := range r.Entries {
			if old.Changed() && !e.adoptEntry(r.ID, old) {
				e.takenOver[r.ID] = false
			}
		}
	}
}

// adoptEntry takes over one interrupted write; false when it cannot be.
func (e *engine) adoptEntry(from string, old journal.Entry) bool {
	wrote, before := runChange(old)
	for j := range e.run.Entries {
		ent := &e.run.Entries[j]
		if ent.Ref != old.Ref || ent.AdoptedFrom != "" {
			continue
		}
		ps := e.prep.Steps[j]
		// The document as it would be without the interrupted run's change.
		base, err := rebase(ent.Ref.Type, wrote, before, ps.Before)
		if err != nil {
			e.emit(Event{Type: EventWaiting, Step: ent.Step, Desc: ent.Target,
				Message: "the interrupted run " + from + " wrote " + ent.Target + " and it was changed since: undo that run on its own"})
			return false
		}
		if !Same(ent.Ref.Type, base, ps.Before) { // its write landed
			ent.AdoptedFrom, ent.BeforeExists, ent.Before, ent.After = from, base.Exists, base.Raw, ps.Body
		}
		return true
	}
	return false // this run does not write that document any more
}

func (e *engine) adopted() bool {
	for _, ent := range e.run.Entries {
		if ent.AdoptedFrom != "" {
			return true
		}
	}
	return false
}

// markAdopted records in each adopted run that this run took it over, so
// it is not undone twice (undoing it anyway is harmless: undo only takes
// out a change that is still there).
func (e *engine) markAdopted() {
	for id, ok := range e.takenOver {
		if !ok {
			continue
		}
		r, err := e.opts.Store.Load(id)
		if err != nil {
			continue
		}
		r.Outcome, r.AdoptedBy = journal.OutcomeAdopted, e.run.ID
		r.Message = "interrupted; run " + e.run.ID + " took over what it wrote: undo that run to remove it"
		_ = e.opts.Store.Save(r)
	}
}
