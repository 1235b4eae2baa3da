package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// applySet prepares, proves, previews and applies a grants plan: the
// accounts in parallel (--parallel), one journal run, one undo.
func (o *applyOptions) applySet(ctx context.Context, file *plan.Set, store journal.Store) error {
	if o.downgrade || o.orphans {
		return badInput(errors.New("apply: --allow-acl-downgrade and --remove-orphaned-principals apply to " +
			"a single grant's plan, not a grants plan"))
	}
	if err := checkParallel(o.parallel); err != nil {
		return err
	}
	want := accountsWanted{region: file.Grants[0].Spec.Region, owner: needAlways, consumers: needAlways}
	accts, err := o.app.connectAccounts(ctx, o.aws, want)
	if err != nil {
		return err
	}
	so := aws.SetOptions{Prune: o.prune, Parallel: o.parallel}
	if o.prune {
		if so.Runs, err = store.List(); err != nil {
			return err
		}
	}
	prep, err := aws.PrepareSet(ctx, file, accts, so)
	if err != nil {
		if spec.AsFieldErrors(err) != nil {
			return badInput(err)
		}
		return err
	}
	if res := check.Written(prep.Set); !res.OK {
		_ = res.WriteText(o.app.ErrOut)
		return &ExitError{Code: ExitCheckFail, Err: fmt.Errorf(
			"apply refused: the merged plan fails its check: %s (see above); nothing was written", res.Verdict())}
	}
	if err := o.previewSet(prep); err != nil {
		return err
	}
	opts := aws.ApplyOptions{
		NoRollback: o.noRollback, Store: store, Progress: setProgressPrinter(o.app.ErrOut, prep),
		Connection: o.aws.connection(o.app.AWS.EndpointURL),
	}
	res, err := aws.ApplySet(ctx, prep, accts, opts, o.parallel)
	if res != nil {
		if perr := printRunResult(o.app.Out, res, o.output); perr != nil {
			return perr
		}
	}
	return err
}

// previewSet prints each account's writes with their diffs and the
// statements --prune removes, and asks for confirmation.
func (o *applyOptions) previewSet(prep *aws.PreparedSet) error {
	w := o.app.ErrOut
	if o.output == outputText {
		w = o.app.Out
	}
	acct := ""
	for _, ps := range prep.Steps {
		if ps.Step.AccountID != acct {
			acct = ps.Step.AccountID
			fmt.Fprintf(w, "== %s account %s ==\n", ps.Step.Account, acct)
		}
		if !ps.Changes {
			fmt.Fprintf(w, "  step %d %s: %s: unchanged\n", ps.Step.ID, ps.Step.Operation, ps.Desc)
			continue
		}
		fmt.Fprintf(w, "  step %d %s: %s\n", ps.Step.ID, ps.Step.Operation, ps.Desc)
		if ps.Diff != "" {
			fmt.Fprintln(w, indent(ps.Diff, "    "))
		}
	}
	for _, x := range prep.Pruned {
		if x.Edited {
			fmt.Fprintf(w, "prune: %s in %s: leaving statement %s: run %s of this file added it, but it was "+
				"edited since; remove it by hand if it is not wanted\n", x.Document, x.AccountID, x.Sid, x.RunID)
			continue
		}
		fmt.Fprintf(w, "prune: %s in %s: removing statement %s (added by run %s of this file, owned by none of "+
			"its grants now)\n", x.Document, x.AccountID, x.Sid, x.RunID)
	}
	if prep.Changes() == 0 {
		fmt.Fprintln(w, "Nothing to change: every account already matches the plan.")
		return nil
	}
	if o.yes {
		return nil
	}
	fmt.Fprintf(w, "\nApply %d changes to %d accounts (%s)? Type yes to go ahead: ",
		prep.Changes(), len(prep.Set.Accounts()), strings.Join(prep.Set.Accounts(), ", "))
	if answer(bufio.NewReader(o.app.In)) != "yes" {
		return &ExitError{
			Code: ExitFailure,
			Err:  errors.New("not confirmed: nothing was changed (use --yes to apply without asking)"),
		}
	}
	return nil
}

// setProgressPrinter reports progress per account: each write as it
// lands, with how many of the account's writes are done.
func setProgressPrinter(w io.Writer, prep *aws.PreparedSet) func(aws.Event) {
	total := map[string]int{}
	for _, ps := range prep.Steps {
		if ps.Changes {
			total[ps.Step.AccountID]++
		}
	}
	var mu sync.Mutex
	done := map[string]int{}
	single := progressPrinter(w)
	return func(ev aws.Event) {
		switch ev.Type {
		case aws.EventStepDone:
			mu.Lock()
			done[ev.AccountID]++
			n := done[ev.AccountID]
			mu.Unlock()
			fmt.Fprintf(w, "account %s: %d/%d written (step %d, %s)\n",
				ev.AccountID, n, total[ev.AccountID], ev.Step, ev.Desc)
		case aws.EventStepStarted:
			// the done line says it; a line per start would double the output
		default:
			single(ev)
		}
	}
}
