package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/templates"
)

type undoOptions struct {
	app    *App
	aws    awsFlags
	force  bool
	yes    bool
	output outputFormat
}

func newUndoCmd(app *App) *cobra.Command {
	o := &undoOptions{app: app}
	cmd := &cobra.Command{
		Use:   "undo RUN_ID",
		Short: "Restore every document an apply run changed",
		Long: `undo takes out of every document the run changed exactly the statements it
added and puts back those it removed, newest first, keeping everything anyone
else changed since; it deletes what the run created (roles, access points,
policies) unless someone else added to it. A run interrupted by a crash or
kill -9 is undone the same way, without --force.

When the run's change cannot be taken out without guessing (a statement of
the run edited in place, a document deleted or replaced), undo writes nothing
and shows the three versions: before the run, after it, and now. --force then
restores the "before the run" version, losing the later changes.

Like apply, undo first shows what it will restore, per account (a diff from
each document as it is now to what undo writes), and asks; --yes skips the
question (for scripts). Without --yes, standard input that gives no answer
(closed, or /dev/null in CI) refuses with exit 2. -o json lists the steps
restored, each with its diff.
SIGINT, SIGTERM and SIGHUP stop it after the call in flight (exit 130, 143, 129).`,
		Example: `  # list runs, then undo one
  s3grant runs
  s3grant undo 20260102T150405Z-1a2b3c4d --owner-profile prod-data --consumer-profile analytics

  # restore even documents edited since the run
  s3grant undo 20260102T150405Z-1a2b3c4d --force

  # in a script: no question, JSON listing what was restored
  s3grant undo 20260102T150405Z-1a2b3c4d --yes -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(cmd.Context(), args[0]) },
	}
	o.aws.register(cmd.Flags())
	cmd.Flags().BoolVar(&o.force, "force", false, "restore documents changed by someone else since the run")
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "undo without asking for confirmation")
	addOutputFlag(cmd.Flags(), &o.output)
	return cmd
}

func (o *undoOptions) run(ctx context.Context, id string) error {
	store, err := o.app.journal()
	if err != nil {
		return err
	}
	run, err := store.Load(id)
	if err != nil {
		return badInput(err)
	}
	ctx, bySignal, stop := withStopSignals(ctx)
	defer stop()
	o.aws = o.aws.orRecorded(run.Connection)
	accts, err := o.connect(ctx, run)
	if err != nil {
		return err
	}
	applyOpts := aws.ApplyOptions{Store: store, Progress: progressPrinter(o.app.ErrOut)}
	uo := aws.UndoOptions{ApplyOptions: applyOpts, Force: o.force}
	steps, err := aws.PreviewUndo(ctx, id, accts, uo)
	if err != nil {
		return bySignal(err)
	}
	if err := o.confirm(run, steps); err != nil {
		return err
	}
	res, err := aws.Undo(ctx, id, accts, uo)
	if res != nil {
		if perr := o.print(res, steps); perr != nil {
			return perr
		}
	}
	return bySignal(err)
}

// confirm shows what undo restores, per account, and asks (unless --yes
// or nothing changes), as apply does.
func (o *undoOptions) confirm(run *journal.Run, steps []aws.UndoStep) error {
	w := o.app.ErrOut
	if o.output == outputText {
		w = o.app.Out
	}
	fmt.Fprintf(w, "Undo of run %s restores:\n", run.ID)
	lines := make([]previewStep, 0, len(steps))
	changes := 0
	for _, s := range steps {
		lines = append(lines, previewStep{
			side: s.Account, id: s.Step, operation: s.Operation, desc: s.Description,
			accountID: s.AccountID, changes: s.Changes, diff: s.Diff,
		})
		if s.Changes {
			changes++
		}
	}
	writeSteps(w, lines)
	if changes == 0 {
		fmt.Fprintln(w, "Nothing to restore: every document the run changed is already as undo would leave it.")
		return nil
	}
	if o.yes {
		return nil
	}
	fmt.Fprintln(w)
	question := fmt.Sprintf("Restore %d documents in accounts %s?", changes, undoAccounts(steps))
	return confirm(bufio.NewReader(o.app.In), w, question, "nothing was undone")
}

// undoAccounts names the accounts the undo writes to, owner first.
func undoAccounts(steps []aws.UndoStep) string {
	var out []string
	for _, side := range []string{string(templates.Owner), string(templates.Consumer)} {
		for _, s := range steps {
			name := s.AccountID + " (" + side + ")"
			if s.Changes && s.Account == side && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return strings.Join(out, ", ")
}

// undoResult is undo's JSON: the run as apply prints it, and the documents
// restored, each with the diff undo showed.
type undoResult struct {
	*aws.Result
	Restored []aws.UndoStep `json:"restored"`
}

func (o *undoOptions) print(res *aws.Result, steps []aws.UndoStep) error {
	if o.output != outputJSON {
		return printRunResult(o.app.Out, res, o.output)
	}
	undone := map[int]bool{}
	for _, s := range res.Steps {
		undone[s.Step] = s.Status == journal.StatusUndone
	}
	out := undoResult{Result: res, Restored: []aws.UndoStep{}}
	for _, s := range steps {
		if undone[s.Step] {
			out.Restored = append(out.Restored, s)
		}
	}
	enc := json.NewEncoder(o.app.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// connect signs in to the accounts the run changed and no others: an
// owner-only run (audit --fix-logging) needs no consumer credentials, and a
// run that changed nothing needs none at all.
func (o *undoOptions) connect(ctx context.Context, run *journal.Run) (aws.Accounts, error) {
	region, owner, others := "", false, false
	for _, e := range run.Entries {
		if region == "" && e.Ref.Region != "" {
			region = e.Ref.Region
		}
		if e.Changed() {
			owner = owner || e.Ref.AccountID == run.Owner
			others = others || e.Ref.AccountID != run.Owner
		}
	}
	want := accountsWanted{region: region, ownerID: run.Owner}
	if owner {
		want.owner = needAlways
	}
	if others {
		want.consumers = needAlways
	}
	accts, err := o.app.connectAccounts(ctx, o.aws, want)
	if err != nil {
		return accts, err
	}
	if a := accts.Owner; a != nil && a.ID != run.Owner {
		return accts, fmt.Errorf("run %s changed owner account %s, but the owner credentials%s act in %s: "+
			"use --owner-profile with a profile for %s",
			run.ID, run.Owner, profileNote(o.aws.ownerProfile), a.ID, run.Owner)
	}
	return accts, nil
}

func profileNote(p string) string {
	if p == "" {
		return " (default credential chain)"
	}
	return " (profile " + p + ")"
}

// orRecorded fills the flags not given with the profiles and endpoint the
// run recorded, so the command the wizard prints works as printed.
func (f awsFlags) orRecorded(c *journal.Connection) awsFlags {
	if c == nil {
		return f
	}
	if f.ownerProfile == "" {
		f.ownerProfile = c.OwnerProfile
	}
	if len(f.consumerProfiles) == 0 {
		f.consumerProfiles = c.ConsumerProfiles
	}
	if f.endpoint == "" {
		f.endpoint = c.Endpoint
	}
	return f
}
