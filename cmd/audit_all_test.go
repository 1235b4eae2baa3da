package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/sandbox"
)

// TestAuditAllBucketsCLI: `audit --all-buckets` in the sandbox prints one
// row per bucket of the owner account, reads the bucket
// in another region there, reports the bucket whose policy denies reading
// it in its row (exit 4: a high finding, the audit of the others goes on),
// and -o json carries the same rows.
func TestAuditAllBucketsCLI(t *testing.T) {
	r := sandboxEnv(t)
	cli := awsCLIs(t)[0]
	must := func(args ...string) {
		t.Helper()
		if _, errOut, err := r.cli(cli, "sandbox-owner", args...); err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, errOut)
		}
	}
	must("s3api", "create-bucket", "--bucket", "west-bucket", "--create-bucket-configuration", "LocationConstraint=us-west-2", "--region", "us-west-2")
	must("s3api", "create-bucket", "--bucket", "locked-bucket", "--create-bucket-configuration", "LocationConstraint="+sandbox.Region)
	must("s3api", "put-bucket-policy", "--bucket", "locked-bucket", "--policy",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetBucketPolicy","Resource":"arn:aws:s3:::locked-bucket"}]}`)

	code, out, errOut := runCLI(t, "audit", "--all-buckets", "--parallel", "2", "--profile", "sandbox-owner")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d (the unreadable bucket is high)\n%s%s", code, ExitFindings, out, errOut)
	}
	for _, want := range []string{
		"Audit of every bucket of account " + sandbox.OwnerAccount, "1 could not be read", sandbox.DemoBucket,
		"west-bucket", "us-west-2", "locked-bucket", "unknown: could not be read", "AccessDenied", "REACHABLE FROM OUTSIDE BY",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runCLI(t, "audit", "--all-buckets", "--profile", "sandbox-owner", "-o", "json")
	if code != ExitFindings {
		t.Fatalf("-o json: exit %d\n%s", code, errOut)
	}
	var sum audit.AccountSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("-o json is not one document: %v\n%s", err, out)
	}
	rows := map[string]audit.BucketSummary{}
	for _, b := range sum.Buckets {
		rows[b.Bucket] = b
	}
	if sum.OwnerAccount != sandbox.OwnerAccount || sum.Unreadable != 1 || rows["west-bucket"].Region != "us-west-2" ||
		rows["locked-bucket"].Error == "" || rows[sandbox.DemoBucket].Report == nil {
		t.Errorf("JSON summary: %+v", sum)
	}
}

// TestAuditAllBucketsFlags: the flags --all-buckets excludes, and
// --parallel's bounds, are exit 2 naming the flag.
func TestAuditAllBucketsFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--all-buckets", "--bucket", "b1b"}, "--bucket and --all-buckets exclude each other"},
		{[]string{"--all-buckets", "--parallel", "0"}, "parallel: must be from 1 to 64, got 0"},
		{[]string{"--all-buckets", "--parallel", "65"}, "parallel: must be from 1 to 64"},
		{[]string{"--all-buckets", "--fix-logging", "--log-bucket", "logs"}, "fix-logging: turns logging on for one bucket"},
		{nil, "bucket: required, e.g. --bucket analytics-exports (or --all-buckets)"},
		{[]string{"--bucket", "b1b", "--parallel", "4"}, "parallel: goes with --all-buckets"},
	} {
		code, _, errOut := runCLI(t, append([]string{"audit"}, tc.args...)...)
		if code != ExitBadInput || !strings.Contains(errOut, tc.want) {
			t.Errorf("audit %v: exit %d %q, want 2 with %q", tc.args, code, errOut, tc.want)
		}
	}
}
