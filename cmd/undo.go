package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
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
	region := ""
	for _, e := range run.Entries {
		if e.Ref.Region != "" {
			region = e.Ref.Region
			break
		}
	}
	accts, err := o.aws.connect(ctx, region)
	if err != nil {
		return err
	}
	if accts.Owner.ID != run.Owner {
		return fmt.Errorf("run %s changed owner account %s, but the owner credentials act in %s: use --owner-profile", id, run.Owner, accts.Owner.ID)
	}
	res, err := aws.Undo(ctx, id, accts, o.force, aws.ApplyOptions{Store: store, Progress: progressPrinter(o.app.ErrOut)})
	if res != nil {
		if perr := printRunResult(o.app.Out, res, o.output); perr != nil {
			return perr
		}
	}
	return err
}
