package cmd

import (
	"regexp"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/sandbox"
)

// TestAuditFixLoggingInSandbox: `s3grant audit` reads server access logging
// and CloudTrail in the sandbox (issue 16: both were "could not be read"),
// `audit --fix-logging` turns logging on there end to end, and `undo` of
// its run turns it off and takes its statement out of the log bucket's
// policy. The trail is set up with the AWS CLI (CreateTrail, advanced
// event selectors for the bucket's objects, StartLogging), and the
// sandbox refuses PutBucketLogging while the log bucket's policy does not
// let logging.s3.amazonaws.com write, as S3 does.
func TestAuditFixLoggingInSandbox(t *testing.T) {
	r := sandboxEnv(t)
	cli := awsCLIs(t)[0]
	const logs = "analytics-access-logs"
	b := sandbox.DemoBucket
	must := func(args ...string) string {
		t.Helper()
		out, errOut, err := r.cli(cli, "sandbox-owner", args...)
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, errOut)
		}
		return out
	}
	must("s3api", "create-bucket", "--bucket", logs, "--create-bucket-configuration", "LocationConstraint="+sandbox.Region)
	audit := []string{"audit", "--bucket", b, "--profile", "sandbox-owner"}
	code, out, errOut := runCLI(t, audit...)
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("audit: exit %d\n%s%s", code, out, errOut)
	}
	for _, unread := range []string{"could not be read", "access-logging-unknown", "data-events-unknown"} {
		if strings.Contains(out, unread) {
			t.Errorf("audit says %q in the sandbox:\n%s", unread, out)
		}
	}
	if !strings.Contains(out, "server access logging is off") || !strings.Contains(out, "no CloudTrail trail") {
		t.Errorf("audit before any setup does not say logging is off and no trail records data events:\n%s", out)
	}

	// Without the log delivery statement S3 refuses the target.
	if _, errOut, err := r.cli(cli, "sandbox-owner", "s3api", "put-bucket-logging", "--bucket", b, "--bucket-logging-status",
		`{"LoggingEnabled":{"TargetBucket":"`+logs+`","TargetPrefix":"x/"}}`); err == nil || !strings.Contains(errOut, "InvalidTargetBucketForLogging") {
		t.Errorf("put-bucket-logging to a log bucket whose policy does not allow log delivery: %v %s", err, errOut)
	}

	must("cloudtrail", "create-trail", "--name", "data-trail", "--s3-bucket-name", logs, "--is-multi-region-trail")
	must("cloudtrail", "put-event-selectors", "--trail-name", "data-trail", "--advanced-event-selectors",
		`[{"Name":"analytics objects","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::`+b+`/"]}]}]`)
	if got := must("cloudtrail", "get-event-selectors", "--trail-name", "data-trail"); !strings.Contains(got, "analytics objects") {
		t.Errorf("get-event-selectors: %s", got)
	}
	code, out, _ = runCLI(t, audit...)
	if !strings.Contains(out, "the trail selects S3 data events for the bucket but is not logging") {
		t.Errorf("audit does not see the stopped trail (exit %d):\n%s", code, out)
	}
	must("cloudtrail", "start-logging", "--name", "data-trail")

	code, out, errOut = runCLI(t, append(audit, "--fix-logging", "--log-bucket", logs, "--yes")...)
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("audit --fix-logging: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"server access logs go to s3://" + logs + "/" + b + "/", "CloudTrail records S3 data events for the bucket in data-trail"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit after the fix lacks %q:\n%s", want, out)
		}
	}
	if got := must("s3api", "get-bucket-logging", "--bucket", b); !strings.Contains(got, logs) {
		t.Errorf("the AWS CLI does not see logging on: %s", got)
	}
	if got := must("s3api", "get-bucket-policy", "--bucket", logs); !strings.Contains(got, "logging.s3.amazonaws.com") {
		t.Errorf("the log bucket's policy lacks the log delivery statement: %s", got)
	}

	m := regexp.MustCompile("`(s3grant undo [^`]+)`").FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("no undo command in %q", errOut)
	}
	undo := strings.Fields(m[1])[1:]
	if !strings.Contains(m[1], "--owner-profile") {
		undo = append(undo, "--owner-profile", "sandbox-owner")
	}
	// Undo shows the two documents it restores and, asked, waits for yes.
	code, out, errOut = runWithInput(t, "no\n", undo...)
	if code != ExitFailure || !strings.Contains(out, "server access logging of bucket "+b) || !strings.Contains(out, "bucket policy of "+logs) {
		t.Fatalf("%v answered no: exit %d\n%s%s", undo, code, out, errOut)
	}
	if got := must("s3api", "get-bucket-logging", "--bucket", b); !strings.Contains(got, logs) {
		t.Fatalf("undo answered no turned logging off: %s", got)
	}
	if code, out, errOut := runWithInput(t, "yes\n", undo...); code != ExitOK {
		t.Fatalf("%v: exit %d\n%s%s", undo, code, out, errOut)
	}
	if got := must("s3api", "get-bucket-logging", "--bucket", b); strings.Contains(got, logs) {
		t.Errorf("undo left logging on: %s", got)
	}
	if _, _, err := r.cli(cli, "sandbox-owner", "s3api", "get-bucket-policy", "--bucket", logs); err == nil {
		t.Errorf("undo left a bucket policy on the log bucket, which had none")
	}
}
