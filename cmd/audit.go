package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

type auditOptions struct {
	app        *App
	bucket     string
	profile    string
	endpoint   string
	orgID      string
	failOn     string
	output     outputFormat
	fixLogging bool
	logBucket  string
	logPrefix  string
	yes        bool
	allBuckets bool
	parallel   int
}

func newAuditCmd(app *App) *cobra.Command {
	o := &auditOptions{app: app}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "List who outside the owner account can reach a bucket, and how it is monitored",
		Long: `audit reads, as the bucket owner, the bucket policy, the bucket ACL, Object
Ownership, Block Public Access (bucket and account), the account's access
points on the bucket and their policies, and the default encryption key's
policy. It lists every grant to a principal outside the owner account (who,
through which document and statement, in plain words) with what the evaluator
says that principal can do, given the documents the owner can see: each
request is decided under every class of condition values the documents
distinguish, and the report says under which values it is allowed ("when over
HTTPS only and s3:prefix is like reports/*", "only through access point ...").
It flags a grant no request can meet, public statements, whole-account
grants, deleted principals' unique IDs, ACLs
in use, access points without a policy, statements s3grant wrote (with the
run), and, with --org-id, grants not pinned to the organization. It reports
server access logging and CloudTrail S3 data events; --fix-logging turns
logging on (journaled: s3grant undo reverts it).

--all-buckets audits every bucket of the account (ListBuckets, each bucket
in its own region), --parallel at a time, and prints one row per bucket:
findings by severity and who outside the account can reach what. A bucket
that cannot be read is reported in its row as a high finding (bucket-
unreadable: who can reach it is unknown), not as a failure of the audit.

Exit codes: 0 nothing at or above --fail-on, 4 findings at or above it,
2 bad input, 1 other failure.`,
		Example: `  # audit a bucket with the owner's profile
  s3grant audit --bucket analytics-exports --profile prod-data

  # in CI: fail on warnings too, JSON for the log
  s3grant audit --bucket analytics-exports --fail-on warning -o json

  # every bucket of the account, 16 at a time
  s3grant audit --all-buckets --parallel 16 --profile prod-data

  # turn on server access logging into another bucket of the account
  s3grant audit --bucket analytics-exports --fix-logging --log-bucket prod-access-logs`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&o.bucket, "bucket", "", "the bucket to audit (or --all-buckets)")
	f.BoolVar(&o.allBuckets, "all-buckets", false, "audit every bucket of the account, in every region")
	f.IntVar(&o.parallel, "parallel", defaultAuditParallel,
		fmt.Sprintf("with --all-buckets: buckets read at once (1 to %d)", maxAuditParallel))
	f.StringVar(&o.profile, "profile", "",
		"AWS profile of the bucket owner account (default: the default credential chain)")
	f.StringVar(&o.endpoint, "endpoint-url", "",
		"send every AWS call to this endpoint (LocalStack, moto); AWS_ENDPOINT_URL works too")
	f.StringVar(&o.orgID, "org-id", "", "flag grants not pinned to this AWS Organization (o-...)")
	f.StringVar(&o.failOn, "fail-on", "high",
		"exit 4 when a finding is at or above this severity: info, warning or high")
	addOutputFlag(f, &o.output)
	f.BoolVar(&o.fixLogging, "fix-logging", false, "turn on server access logging (needs --log-bucket)")
	f.StringVar(&o.logBucket, "log-bucket", "",
		"the bucket, in the same account and region, that receives the access logs")
	f.StringVar(&o.logPrefix, "log-prefix", "", "key prefix of the access logs (default: BUCKET/)")
	f.BoolVar(&o.yes, "yes", false, "turn logging on without asking")
	return cmd
}

func (o *auditOptions) validate() error {
	if err := o.validateTarget(); err != nil {
		return err
	}
	if o.orgID != "" {
		if err := spec.ValidateOrgID(o.orgID); err != nil {
			return err
		}
	}
	if policy.Severity(o.failOn).Rank() == 0 {
		return fmt.Errorf("fail-on: must be info, warning or high, got %q", o.failOn)
	}
	if o.fixLogging != (o.logBucket != "") {
		return fmt.Errorf("log-bucket: --fix-logging and --log-bucket go together, " +
			"e.g. --fix-logging --log-bucket prod-access-logs")
	}
	if o.logBucket != "" {
		if err := spec.ValidateBucket(o.logBucket); err != nil {
			return fmt.Errorf("log-bucket: %w", err)
		}
	}
	return nil
}

func (o *auditOptions) run(ctx context.Context) error {
	if err := o.validate(); err != nil {
		return badInput(err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	flags := awsFlags{ownerProfile: o.profile, endpoint: o.endpoint}
	accts, err := o.app.connectAccounts(ctx, flags, accountsWanted{owner: needAlways})
	if err != nil {
		return err
	}
	owner := accts.Owner
	store, err := o.app.journal()
	if err != nil {
		return err
	}
	if o.allBuckets {
		return o.runAll(ctx, owner, store)
	}
	if o.fixLogging {
		if err := o.fix(ctx, owner, store); err != nil {
			return err
		}
	}
	st, err := aws.ReadAudit(ctx, owner, o.bucket, aws.AuditOptions{OrgID: o.orgID, Store: &store})
	if err != nil {
		return err
	}
	report := audit.Audit(st)
	if err := printAudit(o.app.Out, report, o.output); err != nil {
		return err
	}
	if n := len(report.AtOrAbove(policy.Severity(o.failOn))); n > 0 {
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%d findings at or above %s", n, o.failOn)}
	}
	return nil
}

func printAudit(w io.Writer, r *audit.Report, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	}
	return r.WriteText(w)
}

// fix turns server access logging on after showing what changes, as a
// journaled run; messages go to stderr so -o json stays one document.
func (o *auditOptions) fix(ctx context.Context, owner *aws.Account, store journal.Store) error {
	logging := aws.LoggingFix{Bucket: o.bucket, LogBucket: o.logBucket, Prefix: o.logPrefix}
	prep, err := aws.PrepareLoggingFix(ctx, owner, logging)
	if err != nil {
		return err
	}
	msg := o.app.ErrOut
	if prep.Changes() == 0 {
		fmt.Fprintf(msg, "Server access logging of %s already goes to %s: nothing to change.\n\n",
			o.bucket, o.logBucket)
		return nil
	}
	for _, ps := range prep.Steps {
		if ps.Changes {
			fmt.Fprintf(msg, "%s %s\n%s\n", ps.Step.Operation, ps.Desc, ps.Diff)
		}
	}
	if !o.yes && !auditConfirm(o.app.In, msg, "Turn on server access logging with these changes?") {
		return fmt.Errorf("nothing changed: not confirmed (give --yes to skip the question)")
	}
	res, err := aws.Apply(ctx, prep, aws.Accounts{Owner: owner}, aws.ApplyOptions{Store: store})
	if err != nil {
		return err
	}
	undo := "s3grant undo " + res.RunID
	if o.profile != "" {
		// The run touched the owner account only: the same profile serves both.
		undo += " --owner-profile " + o.profile + " --consumer-profile " + o.profile
	}
	fmt.Fprintf(msg, "%s (run %s; `%s` reverts it)\n\n", res.Message, res.RunID, undo)
	return nil
}

// auditConfirm asks a yes/no question on w and reads the answer from r; anything
// but y or yes (including no input at all) is no.
func auditConfirm(r io.Reader, w io.Writer, question string) bool {
	fmt.Fprintf(w, "%s [y/N] ", question)
	line, _ := bufio.NewReader(r).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes"
}
