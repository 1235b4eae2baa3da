package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
)

type verifyOptions struct {
	app        *App
	aws        awsFlags
	writeProbe bool
	output     outputFormat
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
	addOutputFlag(cmd.Flags(), &o.output)
	cmd.Flags().StringVar(&o.apAlias, "access-point-alias", "", "the access point's alias (NAME-...-s3alias), used with --endpoint-url instead of reading it with s3control:GetAccessPoint")
	return cmd
}

func (o *verifyOptions) run(ctx context.Context, path string) error {
	p, err := readPlanFile(path)
	if err != nil {
		return badInput(err)
	}
	if o.apAlias != "" && !strings.HasSuffix(o.apAlias, "-s3alias") {
		return badInput(fmt.Errorf("access-point-alias: an access point alias ends in -s3alias, got %q; for example analytics-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias", o.apAlias))
	}
	opts := aws.VerifyOptions{WriteProbe: o.writeProbe, Progress: progressPrinter(o.app.ErrOut), AccessPointAlias: o.apAlias}
	accts, err := o.app.connectAccounts(ctx, o.aws, accountsWanted{region: p.Spec.Region, owner: needIfProfile, consumers: needAlways})
	if err != nil {
		return err
	}
	if owner := accts.Owner; owner != nil {
		if opts.Facts, err = aws.ReadFacts(ctx, owner, p.Spec.Bucket, p.Spec.KMSKey); err != nil {
			return err
		}
		opts.Owner = owner
	}
	if len(accts.Consumers) == 0 {
		return fmt.Errorf("the consumer credentials act in the owner account %s, which is not a consumer account of the plan (%v): use --consumer-profile", accts.Owner.ID, p.Spec.ConsumerAccounts)
	}
	var all []aws.Probe
	failed := 0
	for _, id := range consumerIDs(accts) {
		if !slices.Contains(p.Spec.ConsumerAccounts, id) {
			return fmt.Errorf("the consumer credentials act in %s, which is not a consumer account of the plan (%v): use --consumer-profile", id, p.Spec.ConsumerAccounts)
		}
		probes := aws.Verify(ctx, p, accts.Consumers[id], opts)
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

func printProbes(w io.Writer, probes []aws.Probe, format outputFormat) error {
	if format == outputJSON {
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
