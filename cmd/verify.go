package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/plan"
)

type verifyOptions struct {
	app        *App
	aws        awsFlags
	writeProbe bool
	output     string
	apAlias    string
}

func newVerifyCmd(app *App) *cobra.Command {
	o := &verifyOptions{app: app}
	cmd := &cobra.Command{
		Use:   "verify PLAN.json",
		Short: "Prove from the consumer account that the grant works",
		Long: `verify makes live requests as the consumer. The probes run as a principal
the plan grants: when the consumer profile is another identity of the
consumer account, verify assumes one of the plan's consumer roles
(sts:AssumeRole) and says so; when it cannot, every failure says whom the
probes ran as and whom the plan grants (give --consumer-profile for one of
them). For iam-role it then assumes the owner's role with the ExternalId.
It reaches the bucket or access point (by ARN on AWS; by its alias with
--endpoint-url, where path-style addressing cannot carry an ARN: verify reads
it as the access point's account, or takes --access-point-alias),
lists each prefix, reads an object it finds, and (with --write-probe) writes
and deletes a probe object. Requests outside the grant (another prefix, the
bucket behind an access point, a read on a list grant) must be denied. Each
failure says which side refused it (identity, bucket, KMS, Block Public
Access, object ownership, propagation, grant not in place) and what to do
next; against the s3grant sandbox the sandbox's reason is shown too. Give
--owner-profile too and verify reads the bucket's settings for better advice
and cleans up the probe object.`,
		Example: `  s3grant verify plan.json --consumer-profile analytics

  # also prove writes; the owner deletes the probe object
  s3grant verify plan.json --consumer-profile analytics --owner-profile prod-data --write-probe`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(cmd.Context(), args[0]) },
	}
	o.aws.register(cmd.Flags())
	cmd.Flags().BoolVar(&o.writeProbe, "write-probe", false, "also PutObject and DeleteObject a small probe object (write access levels)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "text or json")
	cmd.Flags().StringVar(&o.apAlias, "access-point-alias", "", "the access point's alias (NAME-...-s3alias), used with --endpoint-url instead of reading it with s3control:GetAccessPoint")
	return cmd
}

func (o *verifyOptions) run(ctx context.Context, path string) error {
	if o.output != "text" && o.output != "json" {
		return badInput(fmt.Errorf("output: must be text or json, got %q", o.output))
	}
	p, err := readPlanFile(path)
	if err != nil {
		return badInput(err)
	}
	if o.apAlias != "" && !strings.HasSuffix(o.apAlias, "-s3alias") {
		return badInput(fmt.Errorf("access-point-alias: an access point alias ends in -s3alias, got %q; for example analytics-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias", o.apAlias))
	}
	opts := aws.VerifyOptions{WriteProbe: o.writeProbe, Progress: progressPrinter(o.app.ErrOut), AccessPointAlias: o.apAlias}
	if o.aws.ownerProfile != "" {
		owner, err := aws.Connect(ctx, aws.ConnectOptions{Profile: o.aws.ownerProfile, EndpointURL: o.aws.endpoint, Region: p.Spec.Region})
		if err != nil {
			return fmt.Errorf("owner account: %w", err)
		}
		if opts.Facts, err = aws.ReadFacts(ctx, owner, p.Spec.Bucket, p.Spec.KMSKey); err != nil {
			return err
		}
		opts.Owner = owner
	}
	profiles := o.aws.consumerProfiles
	if len(profiles) == 0 {
		profiles = []string{""}
	}
	var all []aws.Probe
	failed := 0
	for _, prof := range profiles {
		c, err := aws.Connect(ctx, aws.ConnectOptions{Profile: prof, EndpointURL: o.aws.endpoint, Region: p.Spec.Region})
		if err != nil {
			return fmt.Errorf("consumer account: %w", err)
		}
		if !isConsumer(p, c.ID) {
			return fmt.Errorf("the consumer credentials act in %s, which is not a consumer account of the plan (%v): use --consumer-profile", c.ID, p.Spec.ConsumerAccounts)
		}
		probes := aws.Verify(ctx, p, c, opts)
		for _, pr := range probes {
			if !pr.OK {
				failed++
			}
		}
		all = append(all, probes...)
	}
	if err := printProbes(o.app.Out, all, o.output); err != nil {
		return err
	}
	if failed > 0 {
		return &ExitError{Code: ExitCheckFail, Err: fmt.Errorf("verify: %d of %d probes failed", failed, len(all))}
	}
	return nil
}

func isConsumer(p *plan.Plan, id string) bool {
	for _, a := range p.Spec.ConsumerAccounts {
		if a == id {
			return true
		}
	}
	return false
}

func printProbes(w io.Writer, probes []aws.Probe, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"probes": probes})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tEXPECT\tGOT\tREQUEST")
	for _, p := range probes {
		mark := "ok"
		if !p.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark, p.Expect, p.Result, p.Request)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range probes {
		if !p.OK || p.Next != "" {
			fmt.Fprintf(w, "- %s: %s%s\n", p.Name, classPrefix(p), p.Next)
			if p.Error != "" {
				fmt.Fprintf(w, "  (%s)\n", p.Error)
			}
		}
	}
	return nil
}

func classPrefix(p aws.Probe) string {
	if p.Class == "" {
		return ""
	}
	return "[" + p.Class + "] "
}
