package aws

import (
	"context"
	"fmt"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/templates"
)

// opPrune is the operation of a step that only takes out what earlier
// runs of the grants file left behind (apply --prune).
const opPrune templates.Operation = "prune"

// leftLive is a document earlier runs of the file left statements in, as
// it is now: the extras it holds and what it is without them (rest: not
// existing when nothing is left and the file's runs created it; undo
// removes such a document the same way).
type leftLive struct {
	doc    *leftDoc
	live   Doc
	extras []Extra
	rest   Doc
	empty  bool // nothing would be left of a document the file's runs did not create
	takes  bool // some extra is the run's to take out (not edited since)
}

// readLeft reads the documents of left, at most parallel at once, and
// returns those that still hold extras.
func readLeft(ctx context.Context, left []*leftDoc, accts Accounts, parallel int) ([]*leftLive, error) {
	out := make([]*leftLive, len(left))
	err := bounded(len(left), parallel, func(i int) (err error) {
		out[i], err = readLeftDoc(ctx, left[i], accts)
		return err
	})
	if err != nil {
		return nil, err
	}
	var held []*leftLive
	for _, l := range out {
		if len(l.extras) > 0 {
			held = append(held, l)
		}
	}
	return held, nil
}

func readLeftDoc(ctx context.Context, d *leftDoc, accts Accounts) (*leftLive, error) {
	desc := describe(d.ref)
	acct := accts.For(d.ref.AccountID)
	if acct == nil {
		return nil, fmt.Errorf("the %s in account %s holds statements that earlier runs of this grants file "+
			"added (run %s): connect that account too (--consumer-profile) so they can be checked",
			desc, d.ref.AccountID, anyRun(d))
	}
	tgt, err := newTarget(d.ref, acct)
	if err != nil {
		return nil, err
	}
	live, err := tgt.Read(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the %s in %s: %w", desc, d.ref.AccountID, err)
	}
	l := &leftLive{doc: d, live: live, rest: live}
	if !live.Exists {
		return l, nil
	}
	p, err := policy.Parse([]byte(live.Raw))
	if err != nil {
		return nil, fmt.Errorf("the %s in %s cannot be read: %w", desc, d.ref.AccountID, err)
	}
	rest := p.Clone()
	rest.Statement = rest.Statement[:0]
	for _, s := range p.Statement {
		run, edited := d.take(s)
		if run != "" {
			l.extras = append(l.extras, Extra{
				AccountID: d.ref.AccountID, Document: desc, Sid: s.Sid, Statement: string(s.Canonical()), RunID: run,
				Edited: edited,
			})
		}
		if run == "" || edited {
			rest.Statement = append(rest.Statement, s.Clone())
		} else {
			l.takes = true
		}
	}
	switch {
	case len(rest.Statement) > 0:
		rest.SingleStatement = false
		l.rest = Doc{Exists: true, Raw: string(rest.Minified())}
	case d.created:
		l.rest = Doc{}
	default:
		l.empty = true
	}
	return l, nil
}

// anyRun names one run that added a Sid of d, for messages.
func anyRun(d *leftDoc) string {
	for _, run := range d.sids {
		return run
	}
	return ""
}

// leftByRef indexes what the file's earlier runs left by document.
func leftByRef(left []*leftDoc) map[journal.Ref]*leftDoc {
	out := map[journal.Ref]*leftDoc{}
	for _, d := range left {
		out[d.ref] = d
	}
	return out
}

// pruneShared takes the extras out of a document the set writes anyway;
// an extra edited since its run wrote it stays (reported, not taken).
func pruneShared(d *plan.Document, left *leftDoc, ref journal.Ref, desc string) []Extra {
	if d == nil || d.Policy == nil || left == nil {
		return nil
	}
	var gone []Extra
	kept := d.Policy.Statement[:0:0]
	for _, s := range d.Policy.Statement {
		run, edited := left.take(s)
		if run != "" {
			gone = append(gone, Extra{
				AccountID: ref.AccountID, Document: desc, Sid: s.Sid, Statement: string(s.Canonical()), RunID: run,
				Edited: edited,
			})
		}
		if run == "" || edited {
			kept = append(kept, s)
		}
	}
	d.Policy = d.Policy.Clone()
	d.Policy.Statement = kept
	return gone
}

// pruneSteps are the writes that take the extras out of the documents the
// set no longer writes (a removed grant's consumer documents, a bucket no
// longer in the file), numbered after the set's steps, and which of them
// delete the document.
func pruneSteps(set *plan.Set, left []*leftLive, first int) ([]PreparedStep, map[int]bool, error) {
	owner := set.Grants[0].Spec.OwnerAccount
	var steps []PreparedStep
	deletes := map[int]bool{}
	// Inline policies before the roles they sit on: IAM deletes a role only
	// once it holds none.
	// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
	for _, roleLast := range []bool{false, true} {
		for _, l := range left {
			if (l.doc.ref.Type == journal.Role) != roleLast || !l.takes {
				continue // an edited extra stays: a person judges it
			}
			ref := l.doc.ref
			if l.empty {
				return nil, nil, fmt.Errorf("apply --prune: nothing would be left of the %s in %s once the statements "+
					"earlier runs of this grants file added are taken out, and those runs did not create it: "+
					"remove them by hand (s3grant status lists them)", describe(ref), ref.AccountID)
			}
			side := templates.Consumer
			if ref.AccountID == owner {
				side = templates.Owner
			}
			ps := PreparedStep{
				Step: plan.Step{
					ID: first + len(steps), Account: side, AccountID: ref.AccountID, Operation: opPrune,
					Target: ref.Resource, Why: "take out what earlier runs of this grants file left",
				},
				Ref: ref, Desc: describe(ref), Before: l.live, Body: l.rest.Raw, Changes: true,
			}
			if !l.rest.Exists {
				deletes[len(steps)] = true
				ps.Diff = "the document is deleted: earlier runs of this grants file created it " +
					"and nothing else is in it"
			} else {
				ps.Diff = policy.DiffText(ps.Desc, []byte(canonicalOf(l.live)), []byte(canonicalOf(l.rest)))
			}
			steps = append(steps, ps)
		}
	}
	return steps, deletes, nil
}

func canonicalOf(d Doc) string {
	p, err := parseOrEmpty(d)
	if err != nil {
		return d.Raw
	}
	return string(p.Canonical())
}

// pruneDelete deletes a document the file's runs created and that holds
// nothing else, as a compare-and-swap: a statement someone added since it
// was read is kept (the document is then written without the extras).
func (e *engine) pruneDelete(ctx context.Context, i int, ps PreparedStep) error {
	e.emit(Event{Type: EventStepStarted, Step: ps.Step.ID, Desc: ps.Desc, AccountID: ps.Step.AccountID})
	tgt, err := newTarget(ps.Ref, e.accts.For(ps.Ref.AccountID))
	if err != nil {
		return err
	}
	call := context.WithoutCancel(ctx)
	return e.retry(ctx, ps, func() error { return e.casDelete(call, i, ps, tgt) })
}

func (e *engine) casDelete(ctx context.Context, i int, ps PreparedStep, tgt target) error {
	ent := &e.run.Entries[i]
	t := ps.Ref.Type
	cur, err := tgt.Read(ctx)
	if err != nil {
		return err
	}
	want, err := rebase(t, ps.Before, Doc{}, cur)
	if err != nil {
		return fmt.Errorf("%s %w (%w): stopped without writing it; run s3grant status again",
			ps.Desc, ErrConcurrentChange, err)
	}
	if !Same(t, want, cur) {
		e.mu.Lock()
		ent.Deleted = !want.Exists
		e.mu.Unlock()
		if err := e.writeAhead(ent, cur, want); err != nil {
			return err
		}
		if want.Exists {
			err = tgt.Write(ctx, cur, want.Raw)
		} else if err = tgt.Delete(ctx); IsNotSet(err) {
			err = nil
		}
		if err != nil {
			return err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if ent.Status == journal.StatusPlanned {
		ent.Status = journal.StatusUnchanged // someone made it so meanwhile
	} else {
		ent.Status, ent.Error = journal.StatusDone, ""
		if want.Exists {
			e.written = append(e.written, i)
		}
		e.emit(Event{Type: EventStepDone, Step: ps.Step.ID, Desc: ps.Desc, AccountID: ps.Step.AccountID})
	}
	return e.save()
}
