package aws

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/policy"
)

// UndoStep is one document an undo restores: what is there now and what
// undo makes of it, as a diff like apply's preview.
type UndoStep struct {
	Step        int    `json:"step"`
	Account     string `json:"account"` // owner or consumer
	AccountID   string `json:"account_id"`
	Operation   string `json:"operation"`
	Description string `json:"description"`
	// Changes is false when the document already is what undo would
	// write (someone restored it by hand): undo then writes nothing to it.
	Changes bool   `json:"changes"`
	Delete  bool   `json:"deletes,omitempty"` // undo deletes what the run created
	Diff    string `json:"diff,omitempty"`
}

// PreviewUndo reads every document run id changed and says what undo will
// make of each, writing nothing, so the user can confirm (apply's preview,
// for undo). It refuses what Undo refuses: a run already undone, adopted or
// still running, an account not connected, and (without Force) a document
// the run's change cannot be taken out of, with the three versions.
func PreviewUndo(ctx context.Context, id string, accts Accounts, uo UndoOptions) ([]UndoStep, error) {
	run, idx, err := undoEntries(id, accts, uo.Store)
	if err != nil {
		return nil, err
	}
	var out []UndoStep
	var conflicts []Conflict
	for k := len(idx) - 1; k >= 0; k-- { // undo restores newest first
		ent := run.Entries[idx[k]]
		tgt, err := newTarget(ent.Ref, accts.For(ent.Ref.AccountID))
		if err != nil {
			return nil, err
		}
		cur, err := tgt.Read(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", ent.Target, err)
		}
		want, err := restoreTarget(ent, cur, uo.Force)
		if err != nil {
			conflicts = append(conflicts, conflictOf(ent, cur, err).Conflicts...)
			continue
		}
		st := UndoStep{
			Step: ent.Step, Account: ent.Side, AccountID: ent.Ref.AccountID, Operation: ent.Operation,
			Description: ent.Target, Changes: !Same(ent.Ref.Type, cur, want), Delete: cur.Exists && !want.Exists,
		}
		if st.Changes {
			st.Diff = undoDiff(ent.Ref.Type, ent.Target, cur, want)
		}
		out = append(out, st)
	}
	if len(conflicts) > 0 {
		return nil, fmt.Errorf("%w\nnothing was undone. %s",
			&ConflictError{Conflicts: conflicts}, forceAdvice(conflicts))
	}
	return out, nil
}

// undoEntries loads a run, refuses one that is not undoable (returning the
// run, whose state the caller reports), and returns the entries that
// changed something, all in connected accounts.
func undoEntries(id string, accts Accounts, store journal.Store) (*journal.Run, []int, error) {
	run, err := store.Load(id)
	if err != nil {
		return nil, nil, err
	}
	if err := undoable(run); err != nil {
		return run, nil, err
	}
	var idx []int
	for i, ent := range run.Entries {
		if ent.Changed() {
			if accts.For(ent.Ref.AccountID) == nil {
				return nil, nil, fmt.Errorf("run %s changed account %s (%s), which is not connected: give its profile",
					id, ent.Ref.AccountID, ent.Target)
			}
			idx = append(idx, i)
		}
	}
	return run, idx, nil
}

// undoDiff is a unified diff from the document now to what undo writes:
// policies and ACLs in canonical form (as apply's preview shows them), the
// rest as text.
func undoDiff(t journal.RefType, name string, now, restored Doc) string {
	return policy.DiffLabeled(name+" (now)", name+" (after undo)", undoText(t, now), undoText(t, restored))
}

func undoText(t journal.RefType, d Doc) []byte {
	switch {
	case !d.Exists:
		return nil
	case t == journal.AccessPoint:
		return []byte("(exists)\n")
	case t == journal.BucketACL:
		if a, err := parseACL(d.Raw); err == nil {
			return append(a.Canonical(), '\n')
		}
	default: // a policy, or text
		if p, err := policy.Parse([]byte(d.Raw)); err == nil {
			return append(p.Canonical(), '\n')
		}
	}
	if json.Valid([]byte(d.Raw)) {
		var v any
		if json.Unmarshal([]byte(d.Raw), &v) == nil {
			if b, err := json.MarshalIndent(v, "", "  "); err == nil {
				return append(b, '\n')
			}
		}
	}
	return []byte(d.Raw + "\n")
}
