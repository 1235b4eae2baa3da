package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
)

type undoOptions struct {
	app    *App
	aws    awsFlags
	force  bool
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
SIGINT, SIGTERM and SIGHUP stop it after the call in flight (exit 130, 143, 129).`,
		Example: `  # list runs, then undo one
  s3grant runs
  s3grant undo 20260102T150405Z-1a2b3c4d --owner-profile prod-data --consumer-profile analytics

  # restore even documents edited since the run
  s3grant undo 20260102T150405Z-1a2b3c4d --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(cmd.Context(), args[0]) },
	}
	o.aws.register(cmd.Flags())
	cmd.Flags().BoolVar(&o.force, "force", false, "restore documents changed by someone else since the run")
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
	res, err := aws.Undo(ctx, id, accts, aws.UndoOptions{ApplyOptions: aws.ApplyOptions{Store: store, Progress: progressPrinter(o.app.ErrOut)}, Force: o.force})
	if res != nil {
		if perr := printRunResult(o.app.Out, res, o.output); perr != nil {
			return perr
		}
	}
	return bySignal(err)
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
		return accts, fmt.Errorf("run %s changed owner account %s, but the owner credentials%s act in %s: use --owner-profile with a profile for %s",
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
