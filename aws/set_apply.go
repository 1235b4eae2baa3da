package aws

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/s3grant/s3grant/journal"
)

// DefaultParallel is how many accounts a grants plan writes at once by
// default: enough to overlap the AWS round trips of a few accounts, few
// enough not to meet IAM's and S3's request rate limits.
const DefaultParallel = 4

// ApplySet writes a prepared grants plan: one journal run for every write
// (so one undo takes it all out), the accounts in parallel (at most
// parallel at once), each account's steps in order, every write the same
// compare-and-swap as Apply's. When a step fails, the other accounts stop
// after the write in flight and everything the run wrote is rolled back
// (unless NoRollback); cancelling ctx does the same. Each grant keeps its
// own Sids in the documents it shares, and the run's entries say which
// document each write changed.
func ApplySet(ctx context.Context, prep *PreparedSet, accts Accounts, opts ApplyOptions,
	parallel int,
) (*Result, error) {
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	set := prep.Set
	run := &journal.Run{
		ID: journal.NewID(opts.Now()), Created: opts.Now().UTC(), GrantID: set.SetID, Method: "grants",
		Bucket: strings.Join(set.Buckets(), ","), Owner: set.Grants[0].Spec.OwnerAccount,
		Outcome: journal.OutcomeRunning, Connection: opts.Connection, PID: os.Getpid(), Host: hostname(),
		Entries: journalEntries(prep.Steps), Grants: sidPrefixes(set),
	}
	e := &engine{accts: accts, opts: opts, run: run, steps: prep.Steps}
	lock, err := opts.Store.Lock(ctx, lockKeys(run), func(pid string) {
		e.emit(Event{Type: EventWaiting, Message: "waiting for another s3grant run (process " + pid +
			") on the same bucket or role to finish"})
	})
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	e.adopt(ctx)
	if prep.Changes() == 0 && !e.adopted() {
		run.Outcome, run.Message = journal.OutcomeUnchanged, "nothing to change: every account already matches the plan"
		return e.finishChecked(ctx, nil)
	}
	if err := e.save(); err != nil {
		return nil, err
	}
	e.markAdopted()
	if i, err := e.parallel(ctx, max(1, parallel), prep.deletes); err != nil {
		return e.fail(i, err)
	}
	if err := e.hold(ctx); err != nil {
		return e.fail(e.written[len(e.written)-1], err)
	}
	run.Outcome = journal.OutcomeApplied
	run.Message = fmt.Sprintf("applied: %d writes in %d accounts", prep.Changes(), len(set.Accounts()))
	return e.finishChecked(ctx, nil)
}

// parallel runs each account's steps in order, n accounts at a time. On
// the first failure (or when ctx is cancelled) the other accounts stop
// before their next step; it returns the failed entry, the steps not
// reached marked skipped.
func (e *engine) parallel(ctx context.Context, n int, deletes map[int]bool) (int, error) {
	var order []string
	groups := map[string][]int{}
	for i, ps := range e.steps {
		id := ps.Step.AccountID
		if _, ok := groups[id]; !ok {
			order = append(order, id)
		}
		groups[id] = append(groups[id], i)
	}
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		failedAt = -1
		cause    error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, n)
	)
	for _, id := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for _, i := range groups[id] {
				ps := e.steps[i]
				if !ps.Changes && e.run.Entries[i].AdoptedFrom == "" {
					continue
				}
				err := gctx.Err()
				switch {
				case err != nil:
					err = fmt.Errorf("cancelled before this step: %w", err)
				case deletes[i]:
					err = e.pruneDelete(gctx, i, ps)
				default:
					err = e.step(gctx, i, ps)
				}
				if err != nil {
					mu.Lock()
					if failedAt < 0 {
						failedAt, cause = i, err
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	if failedAt < 0 {
		return 0, nil
	}
	for j := range e.run.Entries {
		if j != failedAt && e.run.Entries[j].Status == journal.StatusPlanned {
			e.run.Entries[j].Status = journal.StatusSkipped
		}
	}
	return failedAt, cause
}
