package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// defaultAuditParallel and maxAuditParallel bound --parallel: each bucket
// takes about a dozen read calls, and S3 and IAM throttle an account that
// sends too many at once.
const (
	defaultAuditParallel = 8
	maxAuditParallel     = 64
)

// validateTarget checks --bucket against --all-buckets: exactly one, and
// --fix-logging only with one bucket.
func (o *auditOptions) validateTarget() error {
	switch {
	case o.allBuckets && o.bucket != "":
		return fmt.Errorf("bucket: --bucket and --all-buckets exclude each other, e.g. --all-buckets alone")
	case o.allBuckets && o.fixLogging:
		return fmt.Errorf("fix-logging: turns logging on for one bucket; " +
			"give --bucket NAME instead of --all-buckets")
	case o.allBuckets:
		if o.parallel < 1 || o.parallel > maxAuditParallel {
			return fmt.Errorf("parallel: must be from 1 to %d, got %d (e.g. --parallel %d)",
				maxAuditParallel, o.parallel, defaultAuditParallel)
		}
		return nil
	case o.bucket == "":
		return fmt.Errorf("bucket: required, e.g. --bucket analytics-exports (or --all-buckets)")
	case o.parallel != defaultAuditParallel:
		return fmt.Errorf("parallel: goes with --all-buckets, e.g. --all-buckets --parallel %d", o.parallel)
	}
	return spec.ValidateBucket(o.bucket)
}

// runAll audits every bucket of the account and prints the summary.
func (o *auditOptions) runAll(ctx context.Context, owner *aws.Account, store journal.Store) error {
	buckets, err := aws.ReadAuditAll(ctx, owner, aws.AuditAllOptions{
		AuditOptions: aws.AuditOptions{OrgID: o.orgID, Store: &store}, Parallel: o.parallel,
	})
	if err != nil {
		return err
	}
	sum := summarize(owner.ID, buckets)
	if err := printSummary(o.app.Out, sum, o.output); err != nil {
		return err
	}
	if n := sum.Totals.AtOrAbove(policy.Severity(o.failOn)); n > 0 {
		err := fmt.Errorf("%d findings at or above %s in %d buckets (%d could not be read)",
			n, o.failOn, len(buckets), sum.Unreadable)
		return &ExitError{Code: ExitFindings, Err: err}
	}
	return nil
}

// summarize audits each bucket that was read and records the others with
// why they could not be.
func summarize(account string, buckets []aws.BucketAudit) *audit.AccountSummary {
	sum := audit.NewAccountSummary(account)
	for _, b := range buckets {
		if b.Err != nil {
			sum.AddUnreadable(b.Bucket, b.Region, b.Err.Error())
			continue
		}
		sum.Add(audit.Audit(b.State))
	}
	sum.Sort()
	return sum
}

func printSummary(w io.Writer, s *audit.AccountSummary, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(s)
	}
	return s.WriteText(w)
}
