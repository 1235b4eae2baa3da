package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/s3grant/s3grant/journal"
)

// ErrChangedSince means a document a run wrote was changed by someone else
// afterwards: undo refuses without force.
var ErrChangedSince = errors.New("changed since the run wrote it")

// Conflict is a document that no longer holds what the run wrote.
type Conflict struct {
	Step int
	Desc string
}

// UndoOptions are ApplyOptions plus what only undo decides.
type UndoOptions struct {
	ApplyOptions
	// Force restores the run's "before" documents even when someone changed
	// them since the run (the later changes are lost).
	Force bool
}

// Undo restores every document run id changed and deletes what it created,
// newest first. Without Force it refuses (writing nothing) when any of them
// was changed since.
func Undo(ctx context.Context, id string, accts Accounts, uo UndoOptions) (*Result, error) {
	opts := uo.ApplyOptions
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff()
	}
	run, err := opts.Store.Load(id)
	if err != nil {
		return nil, err
	}
	if run.Outcome == journal.OutcomeUndone {
		return resultOf(run, opts.Store), fmt.Errorf("run %s was already undone", id)
	}
	var idx []int
	for i, ent := range run.Entries {
		if ent.Changed() {
			if accts.For(ent.Ref.AccountID) == nil {
				return nil, fmt.Errorf("run %s changed account %s (%s), which is not connected: give its profile", id, ent.Ref.AccountID, ent.Target)
			}
			idx = append(idx, i)
		}
	}
	conflicts, err := conflictsOf(ctx, run, idx, accts)
	if err != nil {
		return nil, err
	}
	if len(conflicts) > 0 && !uo.Force {
		var names []string
		for _, c := range conflicts {
			names = append(names, fmt.Sprintf("step %d %s", c.Step, c.Desc))
		}
		return nil, fmt.Errorf("%w: %s; nothing was undone. Re-run with --force to restore the documents as they were before the run anyway (the later changes are lost)",
			ErrChangedSince, strings.Join(names, "; "))
	}
	emit := func(ev Event) {
		if opts.Progress != nil {
			ev.RunID = id
			opts.Progress(ev)
		}
	}
	failed, notes := rollback(ctx, run, idx, accts, opts, emit)
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

// conflictsOf reads each changed document and reports those that hold
// neither what the run wrote nor (for a write whose outcome is unknown)
// what was there before.
func conflictsOf(ctx context.Context, run *journal.Run, idx []int, accts Accounts) ([]Conflict, error) {
	var out []Conflict
	for _, i := range idx {
		ent := run.Entries[i]
		tgt, err := newTarget(ent.Ref, accts.For(ent.Ref.AccountID))
		if err != nil {
			return nil, err
		}
		cur, err := tgt.Read(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", ent.Target, err)
		}
		after := Doc{Exists: true, Raw: ent.After}
		before := Doc{Exists: ent.BeforeExists, Raw: ent.Before}
		ok := Same(ent.Ref.Type, cur, after)
		if ent.Status != journal.StatusDone {
			ok = ok || Same(ent.Ref.Type, cur, before)
		}
		if !ok {
			out = append(out, Conflict{Step: ent.Step, Desc: ent.Target})
		}
	}
	return out, nil
}

func timeAfter(d time.Duration) <-chan time.Time { return time.After(d) }
