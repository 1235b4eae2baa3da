package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

type planOptions struct {
	app            *App
	spec           specFlags
	existingBucket string
	output         outputFormat
	outFile        string
	check          bool
	live           bool
	aws            awsFlags
}

func newPlanCmd(app *App) *cobra.Command {
	o := &planOptions{app: app}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show every change for both accounts; nothing is written to AWS",
		Long: `plan turns your answers into the ordered steps and the complete documents for
the owner and the consumer accounts. Nothing is written to AWS. Give an existing
bucket policy with --existing-bucket-policy to preview how s3grant's statements
merge into it, or --live to read every document the plan touches from both
accounts and merge with what exists (the plan to save for s3grant export).`,
		Example: `  # bucket policy: read-only access to reports/ for one role in 222233334444
  s3grant plan --method bucket-policy --bucket analytics-exports \
    --owner-account 111122223333 --consumer-account 222233334444 \
    --consumer-principal arn:aws:iam::222233334444:role/analytics --prefix reports/

  # IAM role in the owner account, assumed with an ExternalId; save the plan
  s3grant plan --method iam-role --bucket analytics-exports --owner-account 111122223333 \
    --consumer-account 222233334444 --external-id partner-7f3c9a --out plan.json

  # answers from a file, output as JSON
  s3grant plan --spec grant.yaml -o json

  # merged with what exists in both accounts, saved for review and export
  s3grant plan --spec grant.yaml --live --owner-profile prod-data --consumer-profile analytics --out plan.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd) },
	}
	o.spec.register(cmd.Flags())
	cmd.Flags().StringVar(&o.existingBucket, "existing-bucket-policy", "",
		"a JSON file holding the bucket's current policy, to preview the merge")
	addOutputFlag(cmd.Flags(), &o.output)
	cmd.Flags().StringVar(&o.outFile, "out", "", "write the plan as JSON to this file (mode 0600)")
	cmd.Flags().BoolVar(&o.check, "check", false,
		"also print the access matrix (the plan is always checked: one that fails is refused with exit 3)")
	cmd.Flags().BoolVar(&o.live, "live", false, "read what exists in both accounts (read-only) and merge with it; "+
		"uses --owner-profile and --consumer-profile")
	o.aws.register(cmd.Flags())
	return cmd
}

func (o *planOptions) run(cmd *cobra.Command) error {
	if specs, ok, err := o.spec.grants(cmd); ok || err != nil {
		if err != nil {
			return err
		}
		return o.runSet(cmd.Context(), specs)
	}
	s, err := o.spec.resolve(cmd)
	if err != nil {
		return err
	}
	state, err := o.state(cmd.Context(), s)
	if err != nil {
		return err
	}
	p, err := plan.New(s, state)
	if err != nil {
		if spec.AsFieldErrors(err) != nil {
			return badInput(err)
		}
		return err
	}
	m := check.Plan(p)
	if !m.OK { // refuse: print why, write nothing
		return refuseFailingPlan(o.app.Out, p, m, o.output)
	}
	if o.outFile != "" {
		if err := writePlanFile(o.outFile, p); err != nil {
			return err
		}
	}
	return printCheckedPlan(o.app.Out, p, m, o.output, o.check)
}

// offlineState is what the user told us exists: for now, a bucket policy.
func (o *planOptions) offlineState(s spec.Spec) (*plan.State, error) {
	st := &plan.State{}
	if o.existingBucket == "" {
		return st, nil
	}
	data, err := userfile.Read("existing-bucket-policy", o.existingBucket, policyFileExample, userfile.MaxPolicySize)
	if err != nil {
		return nil, badInput(err)
	}
	pol, err := policy.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("existing-bucket-policy: %w", err)
	}
	st.SetPolicy(plan.DocKey{Kind: policy.KindBucketPolicy, Target: s.BucketARN()}, pol)
	return st, nil
}

func printPlan(w io.Writer, p *plan.Plan, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(p)
	}
	return p.WriteText(w)
}

// writePlanFile writes the plan file with plan.WriteFile (mode 0600,
// atomic), the one writer of plan files.
func writePlanFile(path string, p *plan.Plan) error { return plan.WriteFile(path, p) }
