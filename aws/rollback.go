package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/policy"
)

// fail records the failed step, rolls back unless told not to, and returns
// the result with an error that says what was and was not changed.
func (e *engine) fail(i int, cause error) (*Result, error) {
	ent := &e.run.Entries[i]
	ent.Error = cause.Error()
	if ent.Status == journal.StatusStarted {
		ent.Status = journal.StatusFailed
	}
	for j := i + 1; j < len(e.run.Entries); j++ {
		if e.run.Entries[j].Status == journal.StatusPlanned {
			e.run.Entries[j].Status = journal.StatusSkipped
		}
	}
	if ent.Status == journal.StatusPlanned {
		ent.Status = journal.StatusSkipped
	}
	e.emit(Event{Type: EventStepFailed, Step: ent.Step, Desc: ent.Target, Err: cause, Message: cause.Error()})
	changed := changedEntries(e.run)
	switch {
	case len(changed) == 0:
		e.run.Outcome = journal.OutcomeStopped
		e.run.Message = fmt.Sprintf("step %d (%s) failed; nothing was changed in either account", ent.Step, ent.Target)
	case e.opts.NoRollback:
		e.run.Outcome = journal.OutcomePartial
		e.run.Message = fmt.Sprintf("step %d (%s) failed; --no-rollback: these stay changed: %s. "+
			"Run s3grant undo %s to restore them",
			ent.Step, ent.Target, list(e.run, changed), e.run.ID)
	default:
		restoring := fmt.Sprintf("step %d failed: restoring %d changed documents", ent.Step, len(changed))
		e.emit(Event{Type: EventRollingBack, Message: restoring})
		failed, notes := e.rollback(changed)
		if len(failed) == 0 {
			e.run.Outcome = journal.OutcomeRolledBack
			e.run.Message = fmt.Sprintf("step %d (%s) failed; everything this run changed was restored (%s): "+
				"both accounts are as before%s",
				ent.Step, ent.Target, list(e.run, changed), notesText(notes))
		} else {
			e.run.Outcome = journal.OutcomePartial
			e.run.Message = fmt.Sprintf("step %d (%s) failed and rollback could not restore: %s. "+
				"Run s3grant undo %s to try again%s",
				ent.Step, ent.Target, list(e.run, failed), e.run.ID, notesText(notes))
		}
	}
	res, err := e.finish()
	if err != nil {
		return res, err
	}
	return res, &RunError{Result: res, Cause: cause}
}

// RunError is a failed run: the cause, and what the run left behind.
type RunError struct {
	Result *Result
	Cause  error
}

func (e *RunError) Error() string { return e.Result.Message + ": " + e.Cause.Error() }
func (e *RunError) Unwrap() error { return e.Cause }

func changedEntries(r *journal.Run) []int {
	var out []int
	for i, ent := range r.Entries {
		if ent.Changed() {
			out = append(out, i)
		}
	}
	return out
}

func list(r *journal.Run, idx []int) string {
	var parts []string
	for _, i := range idx {
		parts = append(parts, fmt.Sprintf("step %d %s", r.Entries[i].Step, r.Entries[i].Target))
	}
	return strings.Join(parts, "; ")
}

// rollback restores the given entries in reverse order and returns the
// ones it could not restore, and notes on restores that could not be exact.
func rollback(
	ctx context.Context, run *journal.Run, idx []int, accts Accounts, opts ApplyOptions, force bool, emit func(Event),
) (failed []int, notes []string) {
	for k := len(idx) - 1; k >= 0; k-- {
		ent := &run.Entries[idx[k]]
		note, err := restore(ctx, *ent, accts, opts, force)
		if err != nil {
			ent.Error = strings.TrimPrefix(ent.Error+"; restore failed: "+err.Error(), "; ")
			failed = append(failed, idx[k])
			continue
		}
		ent.Status = journal.StatusRolledBack
		if note != "" {
			notes = append(notes, fmt.Sprintf("step %d %s: %s", ent.Step, ent.Target, note))
		}
		emit(Event{Type: EventStepRestored, Step: ent.Step, Desc: ent.Target, Message: note})
		_ = opts.Store.Save(run)
	}
	return failed, notes
}

func notesText(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	return " (note: " + strings.Join(notes, "; ") + ")"
}

// restore takes an entry's change out of the document as it is now,
// keeping every change made by others since (or, with force, puts back the
// document as it was before the run). Transient failures are retried.
func restore(ctx context.Context, ent journal.Entry, accts Accounts, opts ApplyOptions, force bool) (string, error) {
	tgt, err := newTarget(ent.Ref, accts.For(ent.Ref.AccountID))
	if err != nil {
		return "", err
	}
	for n := 0; ; n++ {
		note, err := restoreOnce(ctx, tgt, ent, force)
		if err == nil || !IsTransient(err) || n >= len(opts.Backoff) {
			return note, err
		}
		select {
		case <-ctx.Done():
			return "", err
		case <-timeAfter(opts.Backoff[n]):
		}
	}
}

// runChange is the change an entry made: from is what it wrote (or meant
// to write: an interrupted write), to what was there before.
func runChange(ent journal.Entry) (from, to Doc) {
	to = Doc{Exists: ent.BeforeExists, Raw: ent.Before}
	switch {
	case ent.Deleted: // apply --prune deleted it: undo re-creates Before
		from = Doc{}
	case ent.After != "":
		from = Doc{Exists: true, Raw: ent.After}
	case ent.Intended != "":
		from = Doc{Exists: true, Raw: ent.Intended}
	default:
		from = to // an older journal's write of unknown content: only force restores it
	}
	if ent.Ref.Type == journal.AccessPoint {
		from = Doc{Exists: true}
	}
	return from, to
}

// restoreTarget is what the document must become to undo the entry.
func restoreTarget(ent journal.Entry, cur Doc, force bool) (Doc, error) {
	from, to := runChange(ent)
	if force {
		return to, nil
	}
	return rebase(ent.Ref.Type, from, to, cur)
}

func restoreOnce(ctx context.Context, tgt target, ent journal.Entry, force bool) (string, error) {
	t := ent.Ref.Type
	cur, err := tgt.Read(ctx)
	if err != nil {
		return "", err
	}
	want, err := restoreTarget(ent, cur, force)
	if err != nil {
		return "", conflictOf(ent, cur, err)
	}
	if Same(t, cur, want) {
		return "", nil
	}
	if !want.Exists {
		err := tgt.Delete(ctx)
		if IsNotSet(err) {
			return "", nil
		}
		return "", err
	}
	if t == journal.AccessPoint {
		return "", errors.New("an access point cannot be re-created by undo")
	}
	err = tgt.Write(ctx, cur, want.Raw)
	if err != nil && isInvalidPrincipal(err) {
		return restoreWithoutOrphans(ctx, tgt, cur, want, err)
	}
	return "", err
}

// restoreWithoutOrphans writes the old document without the unique-ID
// principals it held, when AWS refuses them (they belong to deleted roles
// or users and matched no one, so what the document allows is the same).
func restoreWithoutOrphans(ctx context.Context, tgt target, cur, before Doc, refused error) (string, error) {
	old, err := policy.Parse([]byte(before.Raw))
	if err != nil {
		return "", refused
	}
	cleaned, found := removeOrphans(old, 0, "")
	if len(found) == 0 || anyStuck(found) {
		return "", refused
	}
	if err := tgt.Write(ctx, cur, string(cleaned.Minified())); err != nil {
		return "", err
	}
	var ids []string
	for _, o := range found {
		ids = append(ids, o.IDs...)
	}
	return fmt.Sprintf("restored without the unique IDs %s, which AWS no longer accepts (%s); they matched no one",
		strings.Join(ids, ", "), shortErr(refused)), nil
}

func (e *engine) finish() (*Result, error) {
	if err := e.save(); err != nil {
		return nil, err
	}
	res := resultOf(e.run, e.opts.Store)
	e.emit(Event{Type: EventFinished, Message: res.Message})
	return res, nil
}

func resultOf(r *journal.Run, store journal.Store) *Result {
	res := &Result{RunID: r.ID, Outcome: r.Outcome, Message: r.Message, Journal: store.Path(r.ID)}
	for _, ent := range r.Entries {
		res.Steps = append(res.Steps, StepResult{
			Step: ent.Step, Account: ent.Side, AccountID: ent.Ref.AccountID, Operation: ent.Operation,
			Target: ent.Ref.Resource, Description: ent.Target, Status: ent.Status, Error: ent.Error,
		})
	}
	return res
}
