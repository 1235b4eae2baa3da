package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

type applyOptions struct {
	app        *App
	aws        awsFlags
	yes        bool
	noRollback bool
	downgrade  bool
	orphans    bool
	output     outputFormat
	parallel   int
	prune      bool
}

func newApplyCmd(app *App) *cobra.Command {
	o := &applyOptions{app: app}
	cmd := &cobra.Command{
		Use:   "apply PLAN.json",
		Short: "Apply a plan to both accounts, with a journal for undo",
		Long: `apply reads what exists in both accounts, merges the plan's statements into it,
shows the diff per account and, once you confirm, writes the steps in order.
Every write is journaled (the document before and after) so a failed run is
rolled back and a finished one can be undone with s3grant undo RUN_ID.
Running it again changes nothing.

A policy to write that still names deleted roles or users by unique ID
(AROA..., AIDA...) stops apply before any write, since AWS rejects such a
policy: --remove-orphaned-principals removes exactly those entries (shown in
the diff, journaled for undo). After the writes, apply asks S3 whether the
bucket's policy is public (GetBucketPolicyStatus) and says so loudly if it is.

Other writers: each write carries this run's statements over to the document
as it is at that moment (a colleague's statement added meanwhile is kept),
and the document is read again after the write, and once more after a short
settle time, to put this run's statements back if a concurrent writer's
stale write removed them. Two s3grant runs on this machine never interleave:
each holds a lock per bucket and role in the journal directory.

Interrupts: ctrl+c (SIGINT), SIGTERM and SIGHUP let the AWS call in flight
finish, roll back what the run wrote, and exit 130, 143 and 129. After a
kill -9 or a crash, s3grant runs shows the run as interrupted: s3grant undo
RUN_ID removes its writes (no --force needed), or running apply again adopts
them so that one undo removes the whole grant.

A plan made from a grants file (s3grant plan --spec grants.yaml --out) writes
every account it names, --parallel accounts at a time, each account's steps in
order and each bucket's policy once (holding every grant's statements under
their own Sids). It is one run: one journal, and s3grant undo RUN_ID takes all
of it out. --prune also removes the statements with s3grant's Sids that no
grant of the file owns (see s3grant status); they are journaled like any write.`,
		Example: `  # review the diff, confirm, apply
  s3grant apply plan.json --owner-profile prod-data --consumer-profile analytics

  # non-interactive, JSON summary with the run ID
  s3grant apply plan.json --owner-profile prod-data --consumer-profile analytics --yes -o json

  # a policy still names a deleted role (AROA...): remove it, review, confirm
  s3grant apply plan.json --owner-profile prod-data --consumer-profile analytics --remove-orphaned-principals

  # a grants plan: every account in parallel (4 at a time), one run, one undo
  s3grant apply grants-plan.json --owner-profile prod-data --consumer-profile a1,a2,a3 --parallel 4

  # ...and remove the statements of grants taken out of the file
  s3grant apply grants-plan.json --owner-profile prod-data --consumer-profile a1,a2,a3 --prune

  # against LocalStack or moto
  s3grant apply plan.json --endpoint-url http://127.0.0.1:5000 --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(cmd.Context(), args[0]) },
	}
	o.aws.register(cmd.Flags())
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "apply without asking for confirmation")
	cmd.Flags().BoolVar(&o.noRollback, "no-rollback", false,
		"when a step fails, keep the steps already done (undo them later with s3grant undo)")
	cmd.Flags().BoolVar(&o.downgrade, "allow-acl-downgrade", false,
		"acl method: allow turning ACLs back on (Object Ownership BucketOwnerEnforced -> BucketOwnerPreferred)")
	cmd.Flags().BoolVar(&o.orphans, "remove-orphaned-principals", false,
		"remove the unique IDs (AROA..., AIDA...) that deleted roles and users left as principals in the "+
			"policies to write; AWS rejects every write of a policy holding them")
	cmd.Flags().IntVar(&o.parallel, "parallel", aws.DefaultParallel,
		"grants plans: how many accounts to write at once (each account's steps stay in order)")
	cmd.Flags().BoolVar(&o.prune, "prune", false,
		"grants plans: also remove the extras, what earlier runs of this grants file added and none of its "+
			"grants owns now, in every account (see s3grant status; journaled: s3grant undo puts them back)")
	addOutputFlag(cmd.Flags(), &o.output)
	return cmd
}

func (o *applyOptions) run(ctx context.Context, path string) error {
	// Derived from its spec(s): the file's own steps and documents are never used.
	file, set, err := plan.ReadAnyFile(path)
	if err != nil {
		return badInput(err)
	}
	if set == nil && o.prune {
		return badInput(errors.New("prune: --prune applies to a plan made from a grants file " +
			"(s3grant plan --spec grants.yaml --out plan.json)"))
	}
	store, err := o.app.journal()
	if err != nil {
		return err
	}
	ctx, bySignal, stop := withStopSignals(ctx)
	defer stop()
	if set != nil {
		return bySignal(o.applySet(ctx, set, store))
	}
	err = o.apply(ctx, file, store)
	return bySignal(err)
}

// apply prepares, checks, previews and applies the plan: a stop signal
// cancels ctx, and Apply rolls back what it wrote.
func (o *applyOptions) apply(ctx context.Context, file *plan.Plan, store journal.Store) error {
	wanted := accountsWanted{region: file.Spec.Region, owner: needAlways, consumers: needAlways}
	accts, err := o.app.connectAccounts(ctx, o.aws, wanted)
	if err != nil {
		return err
	}
	prepOpts := aws.PrepareOptions{AllowACLDowngrade: o.downgrade, RemoveOrphanedPrincipals: o.orphans}
	prep, err := aws.Prepare(ctx, file, accts, prepOpts)
	if err != nil {
		if spec.AsFieldErrors(err) != nil {
			return badInput(err)
		}
		return err
	}
	if m := check.Plan(prep.Plan); !m.OK {
		_ = printMatrix(o.app.ErrOut, m, "text")
		return &ExitError{Code: ExitCheckFail, Err: fmt.Errorf(
			"apply refused: the merged plan fails its check: %s (see above); nothing was written", m.Verdict())}
	}
	if err := o.preview(prep); err != nil {
		return err
	}
	opts := aws.ApplyOptions{
		NoRollback: o.noRollback, Store: store, Progress: progressPrinter(o.app.ErrOut),
		Connection: o.aws.connection(o.app.AWS.EndpointURL),
	}
	res, err := aws.Apply(ctx, prep, accts, opts)
	if res != nil {
		if perr := printRunResult(o.app.Out, res, o.output); perr != nil {
			return perr
		}
	}
	return err
}

// preview prints the diff per account and asks for confirmation.
func (o *applyOptions) preview(prep *aws.Prepared) error {
	w := o.app.ErrOut
	if o.output == outputText {
		w = o.app.Out
	}
	writePreview(w, prep)
	if prep.Changes() == 0 || o.yes {
		return nil
	}
	in := bufio.NewReader(o.app.In)
	if prep.Downgrade {
		fmt.Fprintf(w, "\nACLs are disabled on %s. Turning them on is a security downgrade. "+
			"Type the bucket name to allow it: ", prep.Plan.Spec.Bucket)
		if answer(in) != prep.Plan.Spec.Bucket {
			refused := errors.New("not confirmed: Object Ownership left as it is; nothing was changed")
			return &ExitError{Code: ExitFailure, Err: refused}
		}
	}
	removing := ""
	if n := len(prep.Orphans); n > 0 {
		removing = fmt.Sprintf(" (removing the orphaned principals of %d statements listed above)", n)
	}
	fmt.Fprintln(w)
	question := fmt.Sprintf("Apply %d changes%s to accounts %s?", prep.Changes(), removing, accountsOf(prep.Plan))
	return confirm(in, w, question, "nothing was changed")
}

func answer(r *bufio.Reader) string {
	line, _ := r.ReadString('\n')
	return strings.TrimSpace(line)
}

func accountsOf(p *plan.Plan) string {
	return p.Spec.OwnerAccount + " (owner) and " + strings.Join(p.Spec.ConsumerAccounts, ", ")
}

func writePreview(w io.Writer, prep *aws.Prepared) {
	steps := make([]previewStep, 0, len(prep.Steps))
	for _, ps := range prep.Steps {
		steps = append(steps, previewStep{
			side: string(ps.Step.Account), id: ps.Step.ID, operation: string(ps.Step.Operation), desc: ps.Desc,
			accountID: ps.Step.AccountID, changes: ps.Changes, diff: ps.Diff,
		})
	}
	writeSteps(w, steps)
	for _, o := range prep.Orphans {
		what := "removing"
		if o.Dropped {
			what = "removing the statement, which names no one else:"
		}
		fmt.Fprintf(w, "orphaned principals: %s, statement %s: %s %s (unique IDs of deleted roles or users; "+
			"journaled: s3grant undo restores the document, without these IDs if AWS refuses them)\n",
			o.Document, o.Statement, what, strings.Join(o.IDs, ", "))
	}
	for _, wn := range prep.Plan.Warnings {
		fmt.Fprintf(w, "%s: %s\n", wn.Severity, wn.Message)
	}
	if prep.Changes() == 0 {
		fmt.Fprintln(w, "Nothing to change: both accounts already match the plan.")
	}
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n")
}

// progressPrinter tells the user what each step is doing, and why it waits.
func progressPrinter(w io.Writer) func(aws.Event) {
	return func(ev aws.Event) {
		switch ev.Type {
		case aws.EventStepStarted:
			fmt.Fprintf(w, "step %d: writing %s in %s...\n", ev.Step, ev.Desc, ev.AccountID)
		case aws.EventWaiting, aws.EventRollingBack:
			fmt.Fprintf(w, "  %s\n", ev.Message)
		case aws.EventStepFailed:
			fmt.Fprintf(w, "step %d failed: %s\n", ev.Step, ev.Message)
		case aws.EventStepRestored:
			fmt.Fprintf(w, "  restored step %d: %s\n", ev.Step, ev.Desc)
		case aws.EventStepDone, aws.EventFinished:
			// the summary printed after the run says it
		}
	}
}

// printResult prints the run: its ID, outcome and each step's status.
func printRunResult(w io.Writer, res *aws.Result, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	}
	fmt.Fprintf(w, "run %s: %s\n", res.RunID, res.Message)
	for _, s := range res.Steps {
		fmt.Fprintf(w, "  step %d %-10s %-32s %s\n", s.Step, s.Status, s.Operation, s.Description)
	}
	fmt.Fprintf(w, "journal: %s\n", res.Journal)
	for _, st := range res.PolicyStatus {
		switch {
		case st.IsPublic():
			fmt.Fprintf(w, "\n!!! PUBLIC BUCKET: %s !!!\n%s\n", st.Bucket, st.Note)
		case st.Checked:
			fmt.Fprintf(w, "bucket %s: not public (GetBucketPolicyStatus IsPublic=false)\n", st.Bucket)
		default:
			fmt.Fprintf(w, "bucket %s: %s\n", st.Bucket, st.Note)
		}
	}
	return nil
}
