package cmd

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/journal"
)

type runsOptions struct {
	app    *App
	output outputFormat
}

// runSummary is one line of s3grant runs.
type runSummary struct {
	RunID   string          `json:"run_id"`
	Created string          `json:"created"`
	Method  string          `json:"method"`
	Bucket  string          `json:"bucket"`
	Owner   string          `json:"owner_account"`
	Outcome journal.Outcome `json:"outcome"`
	Writes  int             `json:"writes"`
	Message string          `json:"message"`
	Journal string          `json:"journal"`
	// Interrupted: the run's process died mid-run (crash, kill -9); Next
	// says how to finish or undo it.
	Interrupted bool   `json:"interrupted,omitempty"`
	Next        string `json:"next,omitempty"`
}

func newRunsCmd(app *App) *cobra.Command {
	o := &runsOptions{app: app}
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List the journals of apply runs, newest first",
		Long: `runs lists every apply run s3grant journaled on this machine (in
$S3GRANT_HOME/runs, or s3grant/runs under your config directory), with what
each changed. Undo one with s3grant undo RUN_ID.

A run whose process died (crash, kill -9, power loss) is shown as
"interrupted", with the commands to undo it or finish it (running apply again
adopts its writes). A journal file that cannot be read (torn by a crash, or
not s3grant's) is reported on stderr and skipped.`,
		Example: `  s3grant runs
  s3grant runs -o json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return o.run() },
	}
	addOutputFlag(cmd.Flags(), &o.output)
	return cmd
}

func (o *runsOptions) run() error {
	store, err := o.app.journal()
	if err != nil {
		return err
	}
	runs, problems, err := store.Scan()
	if err != nil {
		return err
	}
	// A torn or foreign file is reported and skipped: it never hides the
	// other runs, nor makes runs fail.
	for _, p := range problems {
		fmt.Fprintf(o.app.ErrOut, "s3grant: skipped %s: %s\n", p.File, p.Err)
	}
	out := []runSummary{}
	for _, r := range runs {
		n := 0
		for _, e := range r.Entries {
			if e.Status.WriteSent() {
				n++
			}
		}
		sum := runSummary{
			RunID: r.ID, Created: r.Created.Format("2006-01-02 15:04:05Z"), Method: r.Method, Bucket: r.Bucket,
			Owner: r.Owner, Outcome: r.Outcome, Writes: n, Message: r.Message, Journal: store.Path(r.ID),
		}
		if r.Interrupted() {
			sum.Interrupted = true
			sum.Next = fmt.Sprintf("undo it: s3grant undo %s (no --force needed); "+
				"or finish it: run s3grant apply again with the same plan (it adopts these writes)", r.ID)
		}
		out = append(out, sum)
	}
	if o.output == outputJSON {
		enc := json.NewEncoder(o.app.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		fmt.Fprintf(o.app.Out, "no runs in %s\n", store.Dir)
		return nil
	}
	tw := tabwriter.NewWriter(o.app.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN ID\tCREATED\tMETHOD\tBUCKET\tOUTCOME\tWRITES")
	for _, s := range out {
		outcome := string(s.Outcome)
		if s.Interrupted {
			outcome = "interrupted"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", s.RunID, s.Created, s.Method, s.Bucket, outcome, s.Writes)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range out {
		if s.Interrupted {
			fmt.Fprintf(o.app.Out, "\nrun %s was interrupted (its process is gone) with %d writes sent:\n  %s\n",
				s.RunID, s.Writes, s.Next)
		}
	}
	return nil
}
