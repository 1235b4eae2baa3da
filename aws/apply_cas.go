package aws

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/s3grant/s3grant/journal"
)

// No precondition exists for the writes s3grant makes, so every write is a
// compare-and-swap done by hand: read, carry our change over to what was
// read, record it (write-ahead), write, read again and carry it over again
// when a concurrent writer's stale write removed it.
//   - S3 PutBucketPolicy has no If-Match; its only guard is
//     ConfirmRemoveSelfBucketAccess, which is not a version check
//     (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html).
//     Conditional writes (If-Match, If-None-Match) exist for objects only
//     (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
//   - IAM policies and trust policies carry no ETag or version check
//     (UpdateAssumeRolePolicy, PutRolePolicy); only managed policies have
//     versions, and CreatePolicyVersion does not take the expected default
//     (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html).
//   - KMS PutKeyPolicy has only BypassPolicyLockoutSafetyCheck
//     (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html).
//
// Between two machines a writer whose read came before our write and whose
// write lands after our last re-read can still win: the settle re-read
// (hold) narrows that window, the lock file closes it on one machine.

// maxMergeBacks bounds how often one write is carried over again after a
// concurrent writer removed it, so two writers cannot loop forever.
const maxMergeBacks = 5

// casWrite is one attempt at step i.
func (e *engine) casWrite(ctx context.Context, i int, ps PreparedStep, tgt target) error {
	ent := &e.run.Entries[i]
	t := ps.Ref.Type
	want := Doc{Exists: true, Raw: ps.Body}
	for n := 0; ; n++ {
		cur, err := tgt.Read(ctx)
		if err != nil {
			return err
		}
		body, err := rebase(t, ps.Before, want, cur)
		if err != nil {
			return fmt.Errorf("%s %w (%w): stopped without writing it; re-run s3grant plan and review the new diff",
				ps.Desc, ErrConcurrentChange, err)
		}
		if Same(t, body, cur) {
			return e.landed(i, ps, cur)
		}
		if n >= maxMergeBacks {
			return fmt.Errorf("%s: another writer removed this run's change %d times: %w",
				ps.Desc, n, ErrConcurrentChange)
		}
		if n > 0 || !Same(t, cur, ps.Before) {
			e.emit(Event{
				Type: EventWaiting, Step: ps.Step.ID, Desc: ps.Desc, AccountID: ps.Step.AccountID,
				Message: ps.Desc + " was changed by someone else since it was read: " +
					"their change is kept and this run's merged with it",
			})
		}
		if err := e.writeAhead(ent, cur, body); err != nil {
			return err
		}
		start := time.Now()
		if err := tgt.Write(ctx, cur, body.Raw); err != nil {
			return err
		}
		e.mu.Lock()
		e.slowest = max(e.slowest, time.Since(start))
		if t == journal.Role && !cur.Exists {
			e.created = true
		}
		e.mu.Unlock()
		// Loop: the re-read after the write tells whether it still holds.
	}
}

// writeAhead records, before a write goes out, what it is based on and what
// it sends; the first write of an entry also fixes Before and After (the
// run's own change, what undo takes out).
func (e *engine) writeAhead(ent *journal.Entry, cur, body Doc) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ent.Status == journal.StatusPlanned || ent.Status == journal.StatusUnchanged {
		ent.Status = journal.StatusStarted
		if ent.AdoptedFrom == "" {
			ent.BeforeExists, ent.Before, ent.After = cur.Exists, cur.Raw, body.Raw
		}
	}
	ent.BasedExists, ent.Based, ent.Intended = cur.Exists, cur.Raw, body.Raw
	return e.save()
}

// landed records that the document holds the step's change.
func (e *engine) landed(i int, ps PreparedStep, cur Doc) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	ent := &e.run.Entries[i]
	switch {
	case ent.Status == journal.StatusPlanned && ent.AdoptedFrom == "":
		ent.Status = journal.StatusUnchanged // someone made it so meanwhile
		return e.save()
	case ent.Status == journal.StatusPlanned || ent.Status == journal.StatusUnchanged:
		ent.Status = journal.StatusDone // adopted: the interrupted run's write landed
		if ent.After == "" {
			ent.After = cur.Raw
		}
	default:
		ent.Status, ent.Error = journal.StatusDone, ""
	}
	e.written = append(e.written, i)
	e.emit(Event{Type: EventStepDone, Step: ps.Step.ID, Desc: ps.Desc, AccountID: ps.Step.AccountID})
	return e.save()
}

// hold waits for the settle time, then re-reads every document the run
// wrote and carries the run's change over again where a concurrent
// writer's stale write removed it.
func (e *engine) hold(ctx context.Context) error {
	if len(e.written) == 0 {
		return nil
	}
	wait := e.opts.Settle
	if wait == 0 {
		wait = min(max(3*e.slowest, 200*time.Millisecond), 5*time.Second)
	}
	call := context.WithoutCancel(ctx)
	for round := 0; round < maxMergeBacks; round++ {
		time.Sleep(wait)
		again := false
		for _, i := range e.written {
			ent := &e.run.Entries[i]
			tgt, err := newTarget(ent.Ref, e.accts.For(ent.Ref.AccountID))
			if err != nil {
				return err
			}
			cur, err := tgt.Read(call)
			if err != nil && (IsTransient(err) || IsThrottling(err)) {
				again = true // look again next round
				continue
			}
			if err != nil {
				return err
			}
			from, to := Doc{Exists: ent.BeforeExists, Raw: ent.Before}, Doc{Exists: true, Raw: ent.After}
			body, err := rebase(ent.Ref.Type, from, to, cur)
			if err != nil {
				return fmt.Errorf("%s %w after it was written (%w)", ent.Target, ErrConcurrentChange, err)
			}
			if Same(ent.Ref.Type, body, cur) {
				continue
			}
			again = true
			e.emit(Event{
				Type: EventWaiting, Step: ent.Step, Desc: ent.Target,
				Message: ent.Target + ": another writer's write removed this run's change: merging it back",
			})
			if err := e.writeAhead(ent, cur, body); err != nil {
				return err
			}
			if err := tgt.Write(call, cur, body.Raw); err != nil {
				return err
			}
		}
		if !again {
			return nil
		}
	}
	return errors.New("other writers kept removing this run's change: " + ErrConcurrentChange.Error())
}

// lockKeys are the locks a run takes: every bucket and role it may write.
func lockKeys(r *journal.Run) []string {
	var keys []string
	for _, ent := range r.Entries {
		keys = append(keys, journal.LockKey(ent.Ref))
	}
	return keys
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}
