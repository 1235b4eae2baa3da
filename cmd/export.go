package cmd

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/export"
	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

type exportOptions struct {
	app              *App
	format           string
	outDir           string
	ownerProfile     string
	consumerProfiles []string
}

func newExportCmd(app *App) *cobra.Command {
	o := &exportOptions{app: app}
	cmd := &cobra.Command{
		Use:   "export PLAN.json --format cli|terraform|cloudformation|cloudformation-stackset",
		Short: "Turn a saved plan into an AWS CLI script, Terraform or CloudFormation",
		Long: `export writes a plan saved with "s3grant plan --out PLAN.json" in the form your
team lands changes with. Every artefact holds the plan's merged documents exactly
as planned. The plan file is not trusted: its steps and documents must be what
its spec derives (an edited file is refused, exit 2, naming what differs), and
the documents must pass the access check (exit 3 otherwise).

  cli             a bash script of aws commands (one --profile per account) in
                  the plan's order, with the documents as files beside it. It
                  reads each document before writing: a step already done is
                  skipped, and a document changed since the plan stops it.
  terraform       main.tf with a provider per account (aliases owner, consumer)
                  and a resource for every document.
  cloudformation  one template per account (YAML), owner first.
  cloudformation-stackset
                  the owner's template (a stack in the owner account, first)
                  and one consumer template for a StackSet with
                  service-managed permissions deployed to organizational
                  units: each grant's documents are created only in the
                  accounts it grants (AWS::AccountId), with a Deploy
                  parameter per grant. Needs --out.

A grants plan (s3grant plan --spec grants.yaml --out plan.json) exports as
terraform (a root module with a provider per account and one module per grant)
or cloudformation-stackset, both with --out: a document several grants write,
such as a bucket's policy, is one resource holding every grant's statements.

The documents reflect what existed when the plan was made: make the plan with
s3grant plan --live (it reads both accounts and merges with what exists), export,
and apply soon after. A plan made without --live holds s3grant's statements
alone: the script then refuses to replace a document it did not see, and the
Terraform and CloudFormation files say so at the top. Files holding policies
are written with mode 0600. Without --out, a single-file export (terraform) is
printed.`,
		Example: `  # a reviewed script for the change window
  s3grant plan --spec grant.yaml --live --owner-profile prod-data --consumer-profile analytics --out plan.json
  s3grant export plan.json --format cli --out ./grant --owner-profile prod-data --consumer-profile analytics
  ./grant/s3grant-apply.sh

  # Terraform, printed
  s3grant export plan.json --format terraform > s3grant.tf

  # CloudFormation templates, one per account
  s3grant export plan.json --format cloudformation --out ./stacks

  # the owner's stack and a StackSet template for the consumers' OUs
  s3grant export plan.json --format cloudformation-stackset --out ./stackset`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(args[0]) },
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "", "cli, terraform, cloudformation or cloudformation-stackset (required)")
	f.StringVar(&o.outDir, "out", "", "write the files into this directory (created if missing)")
	f.StringVar(&o.ownerProfile, "owner-profile", "owner", "the AWS profile of the bucket owner's account")
	f.StringArrayVar(&o.consumerProfiles, "consumer-profile", nil,
		"the AWS profile of the consumer account (default consumer); "+
			"with several consumer accounts, ACCOUNT=PROFILE (repeatable)")
	_ = cmd.MarkFlagRequired("format")
	return cmd
}

func (o *exportOptions) run(planFile string) error {
	format, err := export.ParseFormat(o.format)
	if err != nil {
		return badInput(err)
	}
	// Derived from its spec: hand-edited documents are refused.
	p, set, err := plan.ReadAnyFile(planFile)
	if err != nil {
		return badInput(err)
	}
	if set != nil {
		return o.runSet(set, format)
	}
	// The documents exported are proven like the ones apply writes: a plan
	// whose merged documents fail the access check is never exported.
	if m := check.Plan(p); !m.OK {
		_ = printMatrix(o.app.ErrOut, m, "text")
		refused := fmt.Errorf("export refused: %d of %d access expectations of the plan do not hold (see above); "+
			"nothing was written", m.Failed, len(m.Expectations))
		return &ExitError{Code: ExitCheckFail, Err: refused}
	}
	opts, err := o.exportOptions(p.Spec.ConsumerAccounts)
	if err != nil {
		return badInput(err)
	}
	b, err := export.Export(p, format, opts)
	if err != nil {
		if spec.AsFieldErrors(err) != nil {
			return badInput(err)
		}
		return err
	}
	return o.write(b, format)
}

// runSet exports a grants plan: every grant proved alone and combined (as
// plan and check prove it), then export.Many, which merges the documents
// grants share into one resource each.
func (o *exportOptions) runSet(set *plan.Set, format export.Format) error {
	if res := check.Set(set); !res.OK {
		_ = res.WriteText(o.app.ErrOut)
		refused := fmt.Errorf("export refused: %s; nothing was written", res.Verdict())
		return &ExitError{Code: ExitCheckFail, Err: refused}
	}
	var consumers []string
	for _, g := range set.Grants {
		for _, a := range g.Spec.ConsumerAccounts {
			if !slices.Contains(consumers, a) {
				consumers = append(consumers, a)
			}
		}
	}
	opts, err := o.exportOptions(consumers)
	if err != nil {
		return badInput(err)
	}
	b, err := export.Many(set.Grants, format, opts)
	if err != nil {
		// Many refuses formats and inputs it cannot export as one bundle:
		// the user's choice of format or plan, never a failure of ours.
		return badInput(err)
	}
	return o.write(b, format)
}

// write prints a one-file bundle, or writes the bundle into --out.
func (o *exportOptions) write(b *export.Bundle, format export.Format) error {
	if o.outDir == "" {
		if len(b.Files) != 1 {
			return badInput(fmt.Errorf("out: the %s export is %d files: "+
				"give a directory with --out, e.g. --out ./grant", format, len(b.Files)))
		}
		_, err := o.app.Out.Write(b.Files[0].Data)
		return err
	}
	return writeBundle(o.outDir, b, o.app)
}

// exportOptions maps --consumer-profile values to accounts: a bare PROFILE
// is every consumer account's; ACCOUNT=PROFILE names one.
func (o *exportOptions) exportOptions(consumers []string) (export.Options, error) {
	opts := export.Options{
		OwnerProfile: o.ownerProfile, ConsumerProfiles: map[string]string{}, Version: o.app.Build.Version,
	}
	for _, v := range o.consumerProfiles {
		acct, profile, named := strings.Cut(v, "=")
		if !named {
			opts.DefaultConsumerProfile = v
			continue
		}
		if !slices.Contains(consumers, acct) {
			return opts, fmt.Errorf("consumer-profile: %s is not a consumer account of this plan (%s); "+
				"e.g. --consumer-profile %s=analytics", acct, strings.Join(consumers, ", "), consumers[0])
		}
		opts.ConsumerProfiles[acct] = profile
	}
	return opts, nil
}

// writeBundle writes each file with its mode (0600 for documents, 0700 for
// the script) and says where they went.
func writeBundle(dir string, b *export.Bundle, app *App) error {
	for _, f := range b.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("out: %w", err)
		}
		if err := userfile.WritePrivate(path, f.Data); err != nil {
			return err
		}
		if err := os.Chmod(path, fs.FileMode(f.Mode)); err != nil {
			return fmt.Errorf("out: %w", err)
		}
		fmt.Fprintln(app.ErrOut, "wrote", path)
	}
	return nil
}
