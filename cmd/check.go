package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

type checkOptions struct {
	app    *App
	output outputFormat
	analyzerFlags
}

func newCheckCmd(app *App) *cobra.Command {
	o := &checkOptions{app: app}
	cmd := &cobra.Command{
		Use: "check PLAN.json" +
			" | check [--access-not-granted ACTIONS] [--no-public-access] PLAN.json|POLICY.json" +
			" | check --no-new-access EXISTING.json NEW.json",
		Short: "Prove what a saved plan allows and what it must not",
		Long: `check evaluates the plan's documents (as merged with what exists) with
s3grant's policy evaluator and prints the access matrix: every request the
plan must allow (each consumer principal, each action of the access level, a
key under each prefix, through the access point or the role when that is the
method) and every request it must deny (another account, another prefix, an
action beyond the access level, plain HTTP, an unnamed principal, anonymous).
Each line says which statement of which document decided it. Then the proof
over every request: every S3 action of AWS's Service Authorization Reference,
every class of principal (the consumer's administrator allowing everything on
its side), resource, path and condition value the documents distinguish; any
access beyond the spec is named with the statement that grants it. Lint
findings follow. Exit 0 when every expectation holds and the proof finds
nothing beyond the spec, 3 otherwise.

The checks modelled on IAM Access Analyzer's, offline and over the same
classes: --no-new-access (does NEW.json allow anything EXISTING.json does
not), --access-not-granted (may anyone perform these S3 actions) and
--no-public-access (may anonymous callers or an unnamed account get in), on a
plan or a policy file. Exit 3 when one fails, with the requests that prove it.

The plan file is not trusted: its steps, documents, grant ID and Sid prefix
must be what its spec derives (merged with the existing documents it records).
An edited file, a file that is not a regular file or is over 4 MB, is refused
with exit 2 naming what differs.`,
		Example: `  # save a plan, then prove it
  s3grant plan --method bucket-policy --bucket analytics-exports \
    --owner-account 111122223333 --consumer-account 222233334444 --out plan.json
  s3grant check plan.json

  # the matrix as JSON, for CI
  s3grant check plan.json -o json

  # does the new bucket policy allow anything the current one does not?
  s3grant check --no-new-access current-policy.json new-policy.json

  # nobody may delete or change ACLs, and nothing is public
  s3grant check --access-not-granted s3:DeleteObject,s3:PutObjectAcl --no-public-access plan.json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(_ *cobra.Command, args []string) error {
			if o.any() {
				return o.runAnalyzer(args)
			}
			if len(args) != 1 {
				return badInput(fmt.Errorf(
					"check takes one PLAN.json (two files only with --no-new-access), got %d", len(args)))
			}
			return o.run(args[0])
		},
	}
	addOutputFlag(cmd.Flags(), &o.output)
	o.register(cmd)
	return cmd
}

func (o *checkOptions) run(path string) error {
	p, set, err := plan.ReadAnyFile(path)
	if err != nil {
		return badInput(err)
	}
	if set != nil {
		return o.runSet(set)
	}
	m := check.Plan(p)
	if err := printMatrix(o.app.Out, m, o.output); err != nil {
		return err
	}
	if o.output == outputText {
		if err := p.WriteInWords(o.app.Out); err != nil {
			return err
		}
	}
	if !m.OK {
		return &ExitError{Code: ExitCheckFail, Err: fmt.Errorf("check: %s", m.Verdict())}
	}
	return nil
}

func printMatrix(w io.Writer, m *check.Matrix, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(m)
	}
	return m.WriteText(w)
}

// checkedPlanJSON is plan --check -o json: the plan's fields, its lint
// findings and the access matrix. Without --check, -o json is the plan
// exactly as --out writes it.
type checkedPlanJSON struct {
	*plan.Plan
	Findings []policy.Finding `json:"findings"`
	Check    *check.Matrix    `json:"check"`
}

// printCheckedPlan prints a plan whose matrix holds, with its findings and,
// when asked, the matrix.
func printCheckedPlan(w io.Writer, p *plan.Plan, m *check.Matrix, format outputFormat, withMatrix bool) error {
	if format == outputJSON && withMatrix {
		out := checkedPlanJSON{Plan: p, Findings: m.Findings, Check: m}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	if err := printPlan(w, p, format); err != nil || format == outputJSON {
		return err
	}
	if withMatrix {
		fmt.Fprintln(w)
		return m.WriteText(w)
	}
	if len(m.Findings) > 0 {
		fmt.Fprintln(w, "\nFindings")
		for _, f := range m.Findings {
			fmt.Fprintf(w, "  %s\n", f.String())
		}
	}
	return nil
}

// refuseFailingPlan prints the plan and the matrix that fails, and returns
// exit 3: a plan that grants more (or less) than asked is never written.
func refuseFailingPlan(w io.Writer, p *plan.Plan, m *check.Matrix, format outputFormat) error {
	if err := printCheckedPlan(w, p, m, format, true); err != nil {
		return err
	}
	refused := fmt.Errorf("plan refused: %s (see above); nothing was written", m.Verdict())
	return &ExitError{Code: ExitCheckFail, Err: refused}
}

// runSet proves a grants plan: every grant alone and combined.
func (o *checkOptions) runSet(set *plan.Set) error {
	res := check.Set(set)
	if o.output == outputJSON {
		enc := json.NewEncoder(o.app.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else if err := res.WriteText(o.app.Out); err != nil {
		return err
	}
	if !res.OK {
		return &ExitError{Code: ExitCheckFail, Err: fmt.Errorf("check: %s", res.Verdict())}
	}
	return nil
}
