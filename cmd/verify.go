package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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
	output     outputFormat
	apAlias    string
	parallel   int
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
and cleans up the probe object.

A grants plan (s3grant plan --spec grants.yaml --out plan.json) is verified
grant by grant, each from every consumer account it names (give a
--consumer-profile per account): a line per grant, the probes of each grant
that failed, and exit 3 when any grant failed or could not be verified.`,
		Example: `  s3grant verify plan.json --consumer-profile analytics

  # a grants plan: every grant, from each of its consumer accounts
  s3grant verify grants-plan.json --owner-profile prod-data --consumer-profile a1,a2,a3

  # also prove writes; the owner deletes the probe object
  s3grant verify plan.json --consumer-profile analytics --owner-profile prod-data --write-probe`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(cmd.Context(), args[0]) },
	}
	o.aws.register(cmd.Flags())
	cmd.Flags().BoolVar(&o.writeProbe, "write-probe", false,
		"also PutObject and DeleteObject a small probe object (write access levels)")
	addOutputFlag(cmd.Flags(), &o.output)
	cmd.Flags().StringVar(&o.apAlias, "access-point-alias", "", "the access point's alias (NAME-...-s3alias), "+
		"used with --endpoint-url instead of reading it with s3control:GetAccessPoint")
	cmd.Flags().IntVar(&o.parallel, "parallel", aws.DefaultParallel, "grants plans: how many grants to verify at once")
	return cmd
}

func (o *verifyOptions) run(ctx context.Context, path string) error {
	p, set, err := plan.ReadAnyFile(path)
	if err != nil {
		return badInput(err)
	}
	if o.apAlias != "" && !strings.HasSuffix(o.apAlias, "-s3alias") {
		return badInput(fmt.Errorf("access-point-alias: an access point alias ends in -s3alias, got %q; "+
			"for example analytics-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias", o.apAlias))
	}
	if set != nil {
		return o.runSet(ctx, set)
	}
	opts := aws.VerifyOptions{
		WriteProbe: o.writeProbe, Progress: progressPrinter(o.app.ErrOut), AccessPointAlias: o.apAlias,
	}
	want := accountsWanted{region: p.Spec.Region, owner: needIfProfile, consumers: needAlways}
	accts, err := o.app.connectAccounts(ctx, o.aws, want)
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
		return notConsumer(accts.Owner.ID, p.Spec.ConsumerAccounts)
	}
	var all []aws.Probe
	failed := 0
	for _, id := range consumerIDs(accts) {
		if !slices.Contains(p.Spec.ConsumerAccounts, id) {
			return notConsumer(id, p.Spec.ConsumerAccounts)
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

// notConsumer refuses credentials that act in an account the plan does
// not grant.
func notConsumer(id string, consumers []string) error {
	return fmt.Errorf("the consumer credentials act in %s, which is not a consumer account of the plan (%v): "+
		"use --consumer-profile", id, consumers)
}

// runSet verifies every grant of a grants plan, each from its connected
// consumer accounts, and reports per grant.
func (o *verifyOptions) runSet(ctx context.Context, set *plan.Set) error {
	if o.apAlias != "" {
		return badInput(errors.New("access-point-alias: names one access point; a grants plan's grants " +
			"have their own (verify them one plan at a time, or without the flag)"))
	}
	if err := checkParallel(o.parallel); err != nil {
		return err
	}
	want := accountsWanted{region: set.Grants[0].Spec.Region, owner: needIfProfile, consumers: needAlways}
	accts, err := o.app.connectAccounts(ctx, o.aws, want)
	if err != nil {
		return err
	}
	var consumers []string
	for _, g := range set.Grants {
		consumers = append(consumers, g.Spec.ConsumerAccounts...)
	}
	for _, id := range consumerIDs(accts) {
		if !slices.Contains(consumers, id) {
			return notConsumer(id, slices.Compact(slices.Sorted(slices.Values(consumers))))
		}
	}
	opts := aws.VerifyOptions{WriteProbe: o.writeProbe, Progress: progressPrinter(o.app.ErrOut), Owner: accts.Owner}
	res, err := aws.VerifySet(ctx, set, accts, opts, o.parallel)
	if err != nil {
		return err
	}
	if err := printGrantProbes(o.app.Out, res, o.output); err != nil {
		return err
	}
	var failed []string
	for _, g := range res {
		if !g.OK {
			failed = append(failed, fmt.Sprintf("grants[%d]", g.Index))
		}
	}
	if len(failed) > 0 {
		return &ExitError{Code: ExitCheckFail, Err: fmt.Errorf("verify: %d of %d grants failed: %s",
			len(failed), len(res), strings.Join(failed, ", "))}
	}
	return nil
}

// printGrantProbes prints a line per grant, and the probes of each grant
// that failed.
func printGrantProbes(w io.Writer, res []aws.GrantProbes, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"grants": res})
	}
	for _, g := range res {
		fmt.Fprintln(w, g.String())
	}
	for _, g := range res {
		if !g.OK && len(g.Probes) > 0 {
			fmt.Fprintf(w, "\ngrants[%d] %s (%s):\n", g.Index, g.GrantID, g.Scope)
			if err := printProbes(w, g.Probes, format); err != nil {
				return err
			}
		}
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
