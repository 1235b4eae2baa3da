package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

type statusOptions struct {
	app      *App
	file     string
	aws      awsFlags
	parallel int
	output   outputFormat
}

func newStatusCmd(app *App) *cobra.Command {
	o := &statusOptions{app: app}
	cmd := &cobra.Command{
		Use:   "status --spec grants.yaml",
		Short: "Report drift: is each grant of a file in place, missing or changed, and what is extra",
		Long: `status reads every document the grants of the file write, in every account
they name (read-only), and reports each grant as in place (its statements are
there, exactly), missing (none are), or changed (with the diff: - what the
grant writes, + what is there). Extra are the statements earlier runs of this
grants file added (found in the journal, in every account and document they
wrote: a removed grant's consumer policies, a bucket no longer in the file) that
no grant of the file owns now; s3grant apply --prune removes them. A file is
known across edits by the grants it keeps: an earlier run is the file's when it
shares a grant with the file (or with another of its runs). Only the file's own
statements are judged: everything else, s3grant statements other runs added
included, is someone else's.

Exit 0 when every grant is in place and nothing is extra, 5 when anything
drifted, 2 for a bad file. --spec takes a grants file or a single spec.`,
		Example: `  # in CI, after the grants file changes or on a schedule
  s3grant status --spec grants.yaml --owner-profile prod-data --consumer-profile a1,a2,a3

  # as JSON
  s3grant status --spec grants.yaml --owner-profile prod-data --consumer-profile a1,a2,a3 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.Context()) },
	}
	cmd.Flags().StringVar(&o.file, "spec", "", "the grants file (or a single spec) to compare with what is in AWS")
	cmd.Flags().IntVar(&o.parallel, "parallel", aws.DefaultParallel, "how many grants to read at once")
	o.aws.register(cmd.Flags())
	addOutputFlag(cmd.Flags(), &o.output)
	return cmd
}

func (o *statusOptions) run(ctx context.Context) error {
	if o.file == "" {
		return badInput(errors.New("spec: is required: the grants file to compare (e.g. --spec grants.yaml)"))
	}
	if err := checkParallel(o.parallel); err != nil {
		return err
	}
	specs, err := readGrants(o.file)
	if err != nil {
		return badInput(err)
	}
	set, err := plan.NewSet(specs, nil)
	if err != nil {
		return badInput(fmt.Errorf("spec %s: %w", filepath.Base(o.file), err))
	}
	want := accountsWanted{region: specs[0].Region, owner: needAlways, consumers: needAlways}
	accts, err := o.app.connectAccounts(ctx, o.aws, want)
	if err != nil {
		return err
	}
	store, err := o.app.journal()
	if err != nil {
		return err
	}
	runs, err := store.List()
	if err != nil {
		return err
	}
	st, err := aws.Status(ctx, set, accts, o.parallel, runs)
	if err != nil {
		return err
	}
	if err := printStatus(o.app.Out, st, o.output); err != nil {
		return err
	}
	if st.Drifted {
		return &ExitError{Code: ExitDrift, Err: fmt.Errorf("drift: %s", statusSummary(st))}
	}
	return nil
}

// readGrants reads --spec as a grants file, or a single spec as a file of
// one grant.
func readGrants(path string) ([]spec.Spec, error) {
	data, err := readSpecData(path)
	if err != nil {
		return nil, err
	}
	if plan.IsGrantsFile(data) {
		specs, err := plan.ParseGrants(data)
		if err != nil {
			return nil, fmt.Errorf("spec %s: %w", filepath.Base(path), err)
		}
		return specs, nil
	}
	var s spec.Spec
	if err := yaml.UnmarshalStrict(data, &s); err != nil {
		return nil, fmt.Errorf("spec %s: %w (a grants file holds grants: [...]; a spec's fields are the flag names)",
			filepath.Base(path), err)
	}
	return []spec.Spec{s.WithDefaults()}, nil
}

func statusSummary(st *aws.SetStatus) string {
	n := map[aws.GrantState]int{}
	for _, g := range st.Grants {
		n[g.State]++
	}
	return fmt.Sprintf("%d grants: %d in place, %d missing, %d changed; %d extra statements",
		len(st.Grants), n[aws.GrantInPlace], n[aws.GrantMissing], n[aws.GrantChanged], len(st.Extras))
}

func printStatus(w io.Writer, st *aws.SetStatus, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(st)
	}
	fmt.Fprintf(w, "Status of %s: %s\n", st.SetID, statusSummary(st))
	for _, g := range st.Grants {
		fmt.Fprintf(w, "  grants[%d] %s %-8s %s\n", g.Index, g.GrantID, g.State, g.Scope)
		for _, d := range g.Diffs {
			fmt.Fprintln(w, indent(d, "      "))
		}
	}
	for _, x := range st.Extras {
		fix := "s3grant apply --prune removes it"
		if x.Edited {
			fix = "edited since, so apply --prune leaves it: remove it by hand if it is not wanted"
		}
		fmt.Fprintf(w, "  extra: %s in %s: statement %s (added by run %s of this file, owned by none of its "+
			"grants now; %s)\n", x.Document, x.AccountID, x.Sid, x.RunID, fix)
	}
	return nil
}
