package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
)

type undoOptions struct {
	app    *App
	aws    awsFlags
	force  bool
	output string
}

func newUndoCmd(app *App) *cobra.Command {
	o := &undoOptions{app: app}
	cmd := &cobra.Command{
		Use:   "undo RUN_ID",
		Short: "Restore every document an apply run changed",
		Long: `undo puts back every document the run changed, exactly as it was before, and
deletes what the run created (roles, access points, policies), newest first.
When a document was changed by someone else after the run, undo stops without
changing anything; --force restores the run's "before" version anyway.`,
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
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "text or json")
	return cmd
}

func (o *undoOptions) run(ctx context.Context, id string) error {
	if o.output != "text" && o.output != "json" {
		return badInput(fmt.Errorf("output: must be text or json, got %q", o.output))
	}
	store, err := journalStore()
	if err != nil {
		return err
	}
	run, err := store.Load(id)
	if err != nil {
		return badInput(err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
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
	return err
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
	accts := aws.Accounts{Consumers: map[string]*aws.Account{}}
	opts := func(profile string) aws.ConnectOptions {
		return aws.ConnectOptions{Profile: profile, EndpointURL: o.aws.endpoint, Region: region}
	}
	if owner {
		a, err := aws.Connect(ctx, opts(o.aws.ownerProfile))
		if err != nil {
			return accts, fmt.Errorf("owner account: %w", err)
		}
		if a.ID != run.Owner {
			return accts, fmt.Errorf("run %s changed owner account %s, but the owner credentials%s act in %s: use --owner-profile with a profile for %s",
				run.ID, run.Owner, profileNote(o.aws.ownerProfile), a.ID, run.Owner)
		}
		accts.Owner = a
	}
	if !others {
		return accts, nil
	}
	profiles := o.aws.consumerProfiles
	if len(profiles) == 0 {
		profiles = []string{""}
	}
	for _, p := range profiles {
		c, err := aws.Connect(ctx, opts(p))
		if err != nil {
			return accts, fmt.Errorf("consumer account: %w", err)
		}
		if c.ID != run.Owner {
			accts.Consumers[c.ID] = c
		}
	}
	return accts, nil
}

func profileNote(p string) string {
	if p == "" {
		return " (default credential chain)"
	}
	return " (profile " + p + ")"
}
