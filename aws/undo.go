package aws

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/s3grant/s3grant/journal"
)

// ErrChangedSince means a document a run wrote was changed by someone else
// afterwards: undo refuses without force.
var ErrChangedSince = errors.New("changed since the run wrote it")

// UndoOptions are ApplyOptions plus what only undo decides.
type UndoOptions struct {
	ApplyOptions
	// Force restores the run's "before" documents even when the run's
	// change cannot be taken out of them alone (the later changes are lost).
	// Without it, undo takes out only the run's change and keeps others'.
	Force bool
}

// Undo takes out of every document run id changed exactly what the run
// added and puts back what it removed, newest first, keeping every change
// made by others since; it deletes what the run created when nothing else
// was added to it. An interrupted run (crash, kill -9) is undone the same
// way: whether its last write landed does not matter. When a change cannot
// be taken out without guessing, it writes nothing and shows the three
// versions, unless Force.
func Undo(ctx context.Context, id string, accts Accounts, uo UndoOptions) (*Result, error) {
	opts := uo.ApplyOptions
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff()
	}
	run, idx, err := undoEntries(id, accts, opts.Store)
	if err != nil {
		if run != nil {
			return resultOf(run, opts.Store), err
		}
		return nil, err
	}
	keys := []string{}
	for _, i := range idx {
		keys = append(keys, journal.LockKey(run.Entries[i].Ref))
	}
	lock, err := opts.Store.Lock(ctx, keys, nil)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	conflicts, err := conflictsOf(ctx, run, idx, accts)
	if err != nil {
		return nil, err
	}
	if len(conflicts) > 0 && !uo.Force {
		return nil, fmt.Errorf("%w\nnothing was undone. %s",
			&ConflictError{Conflicts: conflicts}, forceAdvice(conflicts))
	}
	emit := func(ev Event) {
		if opts.Progress != nil {
			ev.RunID = id
			opts.Progress(ev)
		}
	}
	failed, notes := rollback(ctx, run, idx, accts, opts, uo.Force && len(conflicts) > 0, emit)
	for _, i := range idx {
		if run.Entries[i].Status == journal.StatusRolledBack {
			run.Entries[i].Status = journal.StatusUndone
		}
	}
	if len(failed) > 0 {
		run.Message = "undo could not restore: " + list(run, failed) + notesText(notes)
		_ = opts.Store.Save(run)
		return resultOf(run, opts.Store), errors.New(run.Message)
	}
	run.Outcome, run.UndoneBy = journal.OutcomeUndone, time.Now().UTC().Format(time.RFC3339)
	run.Message = fmt.Sprintf("undone: %d documents restored", len(idx)) + notesText(notes)
	if len(idx) == 0 {
		run.Message = "nothing to undo: the run changed nothing"
	}
	if err := opts.Store.Save(run); err != nil {
		return nil, err
	}
	return resultOf(run, opts.Store), nil
}

func timeAfter(d time.Duration) <-chan time.Time { return time.After(d) }

// undoable refuses runs that are not this undo's to undo.
func undoable(run *journal.Run) error {
	switch {
	case run.Outcome == journal.OutcomeUndone:
		return fmt.Errorf("run %s was already undone", run.ID)
	case run.Outcome == journal.OutcomeAdopted:
		return fmt.Errorf("run %s was interrupted and its writes were taken over by run %s: run s3grant undo %s",
			run.ID, run.AdoptedBy, run.AdoptedBy)
	case run.Outcome == journal.OutcomeRunning && !run.Interrupted():
		return fmt.Errorf("run %s is still running (process %d on %s): wait for it, or stop it (it rolls back)",
			run.ID, run.PID, run.Host)
	}
	return nil
}

// forceAdvice says what --force would do, differently for a run that was
// interrupted mid-write and for a document someone else edited.
func forceAdvice(cs []Conflict) string {
	for _, c := range cs {
		if !c.Interrupted {
			return "Someone else changed these documents since the run: review the versions above. " +
				"--force restores the \"before the run\" version and loses their change."
		}
	}
	return "The run was interrupted during these writes and the documents changed since: " +
		"--force restores the \"before the run\" version (changes made since are lost)."
}
