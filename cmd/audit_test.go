package cmd

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// auditEnv points the command at moto with the owner's profile, and keeps
// the journal in a temporary directory.
func auditEnv(t *testing.T) *testenv.Env {
	t.Helper()
	env := testenv.Start(t)
	for _, kv := range env.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		os.Unsetenv(k)
	}
	t.Setenv(journal.HomeEnv, t.TempDir())
	for _, b := range []string{"audited", "access-logs"} {
		env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", b, "--create-bucket-configuration", "LocationConstraint="+testenv.Region)
	}
	return env
}

// The exit code follows --fail-on; a public statement is high; --fix-logging
// turns logging on, and the next audit sees it.
func TestAuditCommandAgainstMoto(t *testing.T) {
	env := auditEnv(t)
	base := []string{"audit", "--bucket", "audited", "--profile", "owner", "--endpoint-url", env.URL}

	code, out, errOut := runCLI(t, base...)
	if code != ExitOK {
		t.Fatalf("a private bucket: exit %d, want 0\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "No document grants anything to a principal outside the account") {
		t.Errorf("the text does not say nothing is granted outside:\n%s", out)
	}
	if code, _, _ := runCLI(t, with(base, "--fail-on", "warning")...); code != ExitFindings {
		t.Errorf("--fail-on warning with logging off: exit %d, want %d", code, ExitFindings)
	}

	env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", "audited", "--policy",
		`{"Version":"2012-10-17","Statement":[{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::audited/*"}]}`)
	code, out, _ = runCLI(t, with(base, "-o", "json")...)
	if code != ExitFindings {
		t.Fatalf("a public statement: exit %d, want %d", code, ExitFindings)
	}
	var report struct {
		Grants []struct {
			Who     string `json:"who"`
			InWords string `json:"in_words"`
		} `json:"grants"`
		Findings []struct {
			Code     string `json:"code"`
			Severity string `json:"severity"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
	if len(report.Grants) != 1 || report.Grants[0].Who != "*" || !strings.HasPrefix(report.Grants[0].InWords, "Anyone, including anonymous requests, may read objects") {
		t.Errorf("grants: %+v", report.Grants)
	}
	public := 0
	for _, f := range report.Findings {
		if f.Code == "public-statement" && f.Severity == "high" {
			public++
		}
	}
	if public != 1 {
		t.Errorf("%d high public-statement findings, want 1: %+v", public, report.Findings)
	}

	code, out, errOut = runCLI(t, with(base, "--fix-logging", "--log-bucket", "access-logs", "--yes", "--fail-on", "high")...)
	if code != ExitFindings { // the public statement is still there
		t.Fatalf("fix-logging: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "s3grant undo") || !strings.Contains(out, "server access logs go to s3://access-logs/audited/") {
		t.Errorf("fix-logging did not report its run or the audit does not see logging on:\n%s\n%s", errOut, out)
	}
	if got := string(env.CLI(t, "owner", "s3api", "get-bucket-logging", "--bucket", "audited")); !strings.Contains(got, "access-logs") {
		t.Errorf("the AWS CLI does not see logging on: %s", got)
	}

	// The run is undone like any other, with the command it printed.
	m := regexp.MustCompile("`(s3grant undo [^`]+)`").FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("no undo command in %q", errOut)
	}
	undo := append(strings.Fields(m[1])[1:], "--endpoint-url", env.URL, "--yes")
	if code, out, errOut := runCLI(t, undo...); code != ExitOK {
		t.Fatalf("%v: exit %d\n%s%s", undo, code, out, errOut)
	}
	if got := string(env.CLI(t, "owner", "s3api", "get-bucket-logging", "--bucket", "audited")); strings.Contains(got, "access-logs") {
		t.Errorf("undo left logging on: %s", got)
	}
	if _, _, err := env.TryCLI("aws", "owner", "s3api", "get-bucket-policy", "--bucket", "access-logs"); err == nil {
		t.Errorf("undo left a bucket policy on the log bucket, which had none")
	}
}

func TestAuditCommandBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"audit"}, "bucket"},
		{[]string{"audit", "--bucket", "Bad_Bucket"}, "bucket"},
		{[]string{"audit", "--bucket", "ok-bucket", "--fail-on", "critical"}, "fail-on"},
		{[]string{"audit", "--bucket", "ok-bucket", "-o", "yaml"}, "output"},
		{[]string{"audit", "--bucket", "ok-bucket", "--fix-logging"}, "log-bucket"},
		{[]string{"audit", "--bucket", "ok-bucket", "--log-bucket", "logs"}, "log-bucket"},
		{[]string{"audit", "--bucket", "ok-bucket", "--org-id", "org-1"}, "org"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != ExitBadInput || !strings.Contains(strings.ToLower(errOut), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s", tc.args, code, errOut, tc.want)
		}
	}
}
