package aws

import (
	"context"
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/journal"
)

// Conflict is a document from which a run's change cannot be taken out
// without guessing (see ErrConflict): the three versions say why.
type Conflict struct {
	Step int
	Desc string
	// Interrupted: the run stopped during this write (crash, kill), so
	// its outcome was never recorded; otherwise someone else changed it.
	Interrupted bool
	Reason      string
	Before      string // before the run ("" = did not exist)
	After       string // what the run wrote
	Now         string // what is there now
}

// ConflictError lists the conflicts that stopped a rollback or undo before
// it wrote anything.
type ConflictError struct{ Conflicts []Conflict }

func (e *ConflictError) Error() string {
	var b strings.Builder
	for i, c := range e.Conflicts {
		if i > 0 {
			b.WriteString("; ")
		}
		who := "changed by someone else since the run wrote it"
		if c.Interrupted {
			who = "the run was interrupted during this write, and the document was changed by someone else since"
		}
		fmt.Fprintf(&b, "step %d %s: %s (%s)\n  before the run: %s\n  after the run:  %s\n  now:            %s\n",
			c.Step, c.Desc, who, c.Reason, orNone(c.Before), orNone(c.After), orNone(c.Now))
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrChangedSince) hold.
func (e *ConflictError) Unwrap() error { return ErrChangedSince }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func conflictOf(ent journal.Entry, cur Doc, err error) *ConflictError {
	from, _ := runChange(ent)
	reason := strings.TrimSuffix(strings.TrimSuffix(err.Error(), ErrConflict.Error()), ": ")
	if reason == "" {
		reason = "it holds neither what the run wrote nor what was there before"
	}
	now := cur.Raw
	if cur.Exists && now == "" {
		now = "(exists)"
	}
	before := ent.Before
	if ent.BeforeExists && before == "" {
		before = "(exists)"
	}
	return &ConflictError{Conflicts: []Conflict{{
		Step: ent.Step, Desc: ent.Target, Interrupted: ent.Status == journal.StatusStarted,
		Reason: reason, Before: before, After: from.Raw, Now: now,
	}}}
}

// conflictsOf reads each changed document and lists those the run's change
// cannot be taken out of. Nothing is written.
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
		if _, err := restoreTarget(ent, cur, false); err != nil {
			out = append(out, conflictOf(ent, cur, err).Conflicts...)
		}
	}
	return out, nil
}

// rollback takes out what the failed run wrote, after checking that every
// change can be taken out: when one cannot, nothing is written.
func (e *engine) rollback(changed []int) (failed []int, notes []string) {
	ctx := context.Background()
	conflicts, err := conflictsOf(ctx, e.run, changed, e.accts)
	if err == nil && len(conflicts) > 0 {
		err = &ConflictError{Conflicts: conflicts}
	}
	if err != nil {
		for _, i := range changed {
			entry := &e.run.Entries[i]
			entry.Error = strings.TrimPrefix(entry.Error+"; not rolled back: "+firstLine(err), "; ")
		}
		return changed, []string{"nothing was rolled back: " + err.Error()}
	}
	return rollback(ctx, e.run, changed, e.accts, e.opts, false, e.emit)
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
