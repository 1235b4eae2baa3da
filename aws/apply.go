package aws

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/s3grant/s3grant/journal"
)

// ErrConcurrentChange means a document changed between the read the plan
// was merged with and the write: s3grant stops rather than overwrite it.
var ErrConcurrentChange = errors.New("changed by someone else since it was read")

// DefaultBackoff is the wait before each retry: about two minutes in all,
// the time IAM may take to see a new principal everywhere.
func DefaultBackoff() []time.Duration {
	return []time.Duration{
		time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
		15 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second,
	}
}

// ApplyOptions tune an apply.
type ApplyOptions struct {
	NoRollback bool
	Backoff    []time.Duration // waits between attempts; nil = DefaultBackoff()
	Store      journal.Store
	Progress   func(Event) // nil = silent
	Now        func() time.Time
	// Settle is how long after its last write the run re-reads what it
	// wrote, to catch a concurrent writer's stale write landing on top of
	// it; 0 = three times the slowest write of the run (200ms to 5s).
	Settle time.Duration
	// Connection is how the run reached the accounts (profile names and
	// endpoint, never a credential), recorded with the run before its first
	// write so that undo reaches them again without flags, after a crash too.
	Connection *journal.Connection
}

// Result is what an apply, rollback or undo did.
type Result struct {
	RunID   string          `json:"run_id"`
	Outcome journal.Outcome `json:"outcome"`
	Message string          `json:"message,omitempty"`
	Journal string          `json:"journal"`
	Steps   []StepResult    `json:"steps"`
	// PolicyStatus says, after a successful apply, whether S3 considers
	// each bucket the run touched public (best practice: it must not be).
	PolicyStatus []PolicyStatus `json:"bucket_policy_status,omitempty"`
	// OrphansRemoved lists the unique-ID principals the run removed
	// (PrepareOptions.RemoveOrphanedPrincipals).
	OrphansRemoved []Orphan `json:"orphaned_principals_removed,omitempty"`
}

// StepResult is one step's fate.
type StepResult struct {
	Step        int            `json:"step"`
	Account     string         `json:"account"`
	AccountID   string         `json:"account_id"`
	Operation   string         `json:"operation"`
	Target      string         `json:"target"`
	Description string         `json:"description"`
	Status      journal.Status `json:"status"`
	Error       string         `json:"error,omitempty"`
}

// engine runs one apply: the journal and the accounts it writes to.
type engine struct {
	accts   Accounts
	opts    ApplyOptions
	run     *journal.Run
	created bool // a principal was created in this run: "invalid principal" may be propagation
	prep    *Prepared
	steps   []PreparedStep // prep.Steps, after adopted writes this run does not plan
	// takenOver: the interrupted runs this run adopts (true when all their
	// writes were adopted or never landed).
	takenOver map[string]bool
	written   []int         // entries written, for the final re-read (hold)
	slowest   time.Duration // the slowest write, to size the settle time
	// mu guards the run's entries, the journal file and the fields above
	// when a grants plan writes several accounts at once (ApplySet);
	// emitMu keeps progress reports whole.
	mu, emitMu sync.Mutex
}

// Apply writes the prepared steps in order, journaling each write, and rolls
// back what it wrote when a step fails (unless NoRollback). Cancelling ctx
// lets the current AWS call finish, then stops and rolls back.
func Apply(ctx context.Context, prep *Prepared, accts Accounts, opts ApplyOptions) (*Result, error) {
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := prep.Plan.Spec
	run := &journal.Run{
		ID: journal.NewID(opts.Now()), Created: opts.Now().UTC(), GrantID: prep.Plan.GrantID, Method: string(s.Method),
		Bucket: s.Bucket, Owner: s.OwnerAccount, Outcome: journal.OutcomeRunning, Connection: opts.Connection,
		Entries: journalEntries(prep.Steps),
	}
	run.PID, run.Host = os.Getpid(), hostname()
	e := &engine{accts: accts, opts: opts, run: run, prep: prep, steps: prep.Steps}
	lock, err := opts.Store.Lock(ctx, lockKeys(run), func(pid string) {
		e.emit(Event{
			Type:    EventWaiting,
			Message: "waiting for another s3grant run (process " + pid + ") on the same bucket or role to finish",
		})
	})
	if err != nil {
		return nil, err // nothing written yet
	}
	defer lock.Release()
	e.adopt(ctx)
	if prep.Changes() == 0 && !e.adopted() {
		run.Outcome, run.Message = journal.OutcomeUnchanged, "nothing to change: both accounts already match the plan"
		return e.finishChecked(ctx, nil)
	}
	if err := e.save(); err != nil {
		return nil, err // nothing written yet
	}
	e.markAdopted() // after our journal covers their writes, never before
	for i, ps := range e.steps {
		if !ps.Changes && run.Entries[i].AdoptedFrom == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return e.fail(i, fmt.Errorf("cancelled before this step: %w", err))
		}
		if err := e.step(ctx, i, ps); err != nil {
			return e.fail(i, err)
		}
	}
	if err := e.hold(ctx); err != nil {
		return e.fail(e.written[len(e.written)-1], err)
	}
	run.Outcome, run.Message = journal.OutcomeApplied, fmt.Sprintf("applied: %d writes", prep.Changes())
	return e.finishChecked(ctx, prep.Orphans)
}

// finishChecked finishes a run that succeeded, then asks S3 whether the
// buckets it touched are public: the answer goes in the result, and a
// check that cannot be made is a note, never a failure.
func (e *engine) finishChecked(ctx context.Context, removed []Orphan) (*Result, error) {
	res, err := e.finish()
	if err != nil {
		return res, err
	}
	res.OrphansRemoved = removed
	res.PolicyStatus = checkPublic(ctx, e.run, e.accts)
	return res, nil
}

// step writes one prepared step, retrying what is worth retrying.
func (e *engine) step(ctx context.Context, i int, ps PreparedStep) error {
	e.emit(Event{Type: EventStepStarted, Step: ps.Step.ID, Desc: ps.Desc, AccountID: ps.Step.AccountID})
	tgt, err := newTarget(ps.Ref, e.accts.For(ps.Ref.AccountID))
	if err != nil {
		return err
	}
	call := context.WithoutCancel(ctx) // a call in flight always finishes
	return e.retry(ctx, ps, func() error { return e.casWrite(call, i, ps, tgt) })
}

// retry runs attempt until it succeeds, fails for good, or the backoff
// schedule is spent, telling the user what each wait is for.
func (e *engine) retry(ctx context.Context, ps PreparedStep, attempt func() error) error {
	for n := 0; ; n++ {
		err := attempt()
		if err == nil {
			return nil
		}
		why := e.retryReason(err)
		if why == "" || n >= len(e.opts.Backoff) {
			return err
		}
		wait := e.opts.Backoff[n]
		e.emit(Event{
			Type: EventWaiting, Step: ps.Step.ID, Desc: ps.Desc, AccountID: ps.Step.AccountID,
			Wait: wait, Attempt: n + 2,
			Message: fmt.Sprintf("waiting %s %s (attempt %d of %d): %s",
				wait, why, n+2, len(e.opts.Backoff)+1, shortErr(err)),
		})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("cancelled while waiting %s: %w", why, err)
		case <-t.C:
		}
	}
}

func (e *engine) retryReason(err error) string {
	e.mu.Lock()
	created := e.created
	e.mu.Unlock()
	switch {
	case errors.Is(err, ErrConcurrentChange), errors.Is(err, errNoDelete):
		return ""
	case IsThrottling(err):
		return "because AWS is throttling requests"
	case IsTransient(err):
		return "after a temporary AWS or network failure"
	case created && IsPropagation(err):
		return "for IAM to see the new role everywhere (this can take up to two minutes)"
	}
	return ""
}

func shortErr(err error) string {
	if c := ErrorCode(err); c != "" {
		return c + ": " + errMessage(err)
	}
	return err.Error()
}

func (e *engine) emit(ev Event) {
	if e.opts.Progress != nil {
		e.emitMu.Lock()
		defer e.emitMu.Unlock()
		ev.RunID = e.run.ID
		e.opts.Progress(ev)
	}
}

func (e *engine) save() error { return e.opts.Store.Save(e.run) }

// journalEntries are a run's entries before it writes: each step planned,
// or unchanged when its document already says what the plan writes.
func journalEntries(steps []PreparedStep) []journal.Entry {
	entries := make([]journal.Entry, 0, len(steps))
	for _, ps := range steps {
		status := journal.StatusPlanned
		if !ps.Changes {
			status = journal.StatusUnchanged
		}
		entries = append(entries, journal.Entry{
			Step: ps.Step.ID, Side: string(ps.Step.Account), Operation: string(ps.Step.Operation),
			Target: ps.Desc, Ref: ps.Ref, Status: status,
		})
	}
	return entries
}
