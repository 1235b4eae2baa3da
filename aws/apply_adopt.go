package aws

import (
	"context"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// adopt takes over the writes of interrupted runs of the same grant (their
// process died mid-run): each entry of ours on a document such a run may
// have written starts from what the document was before that run, so one
// undo of this run removes the whole grant. An interrupted write whose
// change cannot be told apart from a later edit is left to its own run.
func (e *engine) adopt(ctx context.Context) {
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
			if old.Changed() && !e.adoptEntry(ctx, r.ID, old) {
				e.takenOver[r.ID] = false
			}
		}
	}
}

// adoptEntry takes over one interrupted write; false when it cannot be.
func (e *engine) adoptEntry(ctx context.Context, from string, old journal.Entry) bool {
	wrote, before := runChange(old)
	for j := range e.run.Entries {
		ent := &e.run.Entries[j]
		if ent.Ref != old.Ref || ent.AdoptedFrom != "" {
			continue
		}
		ps := e.steps[j]
		// The document as it would be without the interrupted run's change.
		base, err := rebase(ent.Ref.Type, wrote, before, ps.Before)
		if err != nil {
			e.emit(Event{
				Type: EventWaiting, Step: ent.Step, Desc: ent.Target,
				Message: "the interrupted run " + from + " wrote " + ent.Target +
					" and it was changed since: undo that run on its own",
			})
			return false
		}
		if !Same(ent.Ref.Type, base, ps.Before) { // its write landed
			ent.AdoptedFrom, ent.BeforeExists, ent.Before, ent.After = from, base.Exists, base.Raw, ps.Body
		}
		return true
	}
	return e.adoptUnplanned(ctx, from, old)
}

// adoptUnplanned adopts an interrupted write to a document this run does
// not plan to write, because the write made it unnecessary (the Object
// Ownership change of the acl method): it becomes a first step of this run
// with nothing to write, so undo restores it last, as the crashed run would.
func (e *engine) adoptUnplanned(ctx context.Context, from string, old journal.Entry) bool {
	tgt, err := newTarget(old.Ref, e.accts.For(old.Ref.AccountID))
	if err != nil {
		return false
	}
	cur, err := tgt.Read(context.WithoutCancel(ctx))
	if err != nil {
		return false
	}
	wrote, before := runChange(old)
	base, err := rebase(old.Ref.Type, wrote, before, cur)
	if err != nil {
		return false
	}
	if Same(old.Ref.Type, base, cur) {
		return true // it never landed
	}
	ps := PreparedStep{
		Step: plan.Step{
			ID: old.Step, Account: templates.Side(old.Side), AccountID: old.Ref.AccountID,
			Operation: templates.Operation(old.Operation),
		},
		Ref: old.Ref, Desc: old.Target, Before: cur, Body: cur.Raw,
	}
	ent := journal.Entry{
		Step: old.Step, Side: old.Side, Operation: old.Operation, Target: old.Target, Ref: old.Ref,
		Status: journal.StatusUnchanged, AdoptedFrom: from, BeforeExists: base.Exists, Before: base.Raw, After: cur.Raw,
	}
	e.steps = append([]PreparedStep{ps}, e.steps...)
	e.run.Entries = append([]journal.Entry{ent}, e.run.Entries...)
	return true
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
