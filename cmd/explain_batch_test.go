package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func runCLIIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &App{Build: BuildInfo{}.resolved(), In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}
	code := run(context.Background(), app, args)
	return code, out.String(), errOut.String()
}

// batchCase is one request of the comparison, as a batch line and as the
// single form's flags.
type batchCase struct {
	principal, action, resource, account, bucket string
	identity                                     []string
	resourcePolicy, apPolicy, keyPolicy          string
	context                                      map[string][]string
}

// batchCases crosses callers, actions, resources and documents over the
// shapes the differential test covers: same and cross account, bucket and
// object ARNs, access points, trust and key policies, conditions, denies,
// variables, anonymous callers.
func batchCases() []batchCase {
	const (
		bucket = `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::exports","arn:aws:s3:::exports/reports/*"]},{"Sid":"Acct","Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::exports/in/${aws:username}/*"},{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::exports/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::exports/public/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`
		ident  = `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:*Object","Resource":"arn:aws:s3:::exports/*"},{"Sid":"NoPriv","Effect":"Deny","NotAction":"s3:Get*","Resource":"arn:aws:s3:::exports/private/*"}]}`
		list   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:ListBucket","sts:AssumeRole","kms:Decrypt"],"Resource":"*","Condition":{"StringLike":{"s3:prefix":["reports/*"]}}}}`
		trust  = `{"Version":"2012-10-17","Statement":[{"Sid":"Trust","Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x-1"}}}]}`
		key    = `{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Use","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"kms:Decrypt","Resource":"*"}]}`
		ap     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap1/object/*"}]}`
	)
	principals := []string{
		"arn:aws:iam::222233334444:role/analytics", "arn:aws:sts::222233334444:assumed-role/analytics/s1",
		"arn:aws:iam::222233334444:user/etl", "arn:aws:iam::111122223333:role/app", "anonymous",
	}
	var out []batchCase
	for _, p := range principals {
		for _, ctx := range []map[string][]string{nil, {"aws:SecureTransport": {"false"}}, {"aws:SourceIp": {"203.0.113.9"}, "s3:prefix": {"reports/q"}, "sts:ExternalId": {"x-1"}}} {
			out = append(out,
				batchCase{p, "s3:GetObject", "arn:aws:s3:::exports/reports/q1.csv", "111122223333", "", []string{ident}, bucket, "", "", ctx},
				batchCase{p, "s3:PutObject", "arn:aws:s3:::exports/in/etl/x", "111122223333", "", []string{ident, list}, bucket, "", "", ctx},
				batchCase{p, "s3:GetObject", "arn:aws:s3:::exports/public/x", "111122223333", "", nil, bucket, "", "", ctx},
				batchCase{p, "s3:PutObject", "arn:aws:s3:::exports/private/x", "111122223333", "", []string{ident}, "", "", "", ctx},
				batchCase{p, "s3:ListBucket", "arn:aws:s3:::exports", "111122223333", "", []string{list}, bucket, "", "", ctx},
				batchCase{p, "s3:GetObject", "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap1/object/reports/q1.csv", "", "exports", []string{ident}, bucket, ap, "", ctx},
				batchCase{p, "s3:GetObject", "arn:aws:s3:::exports/reports/q1.csv", "111122223333", "", []string{ident, list}, bucket, "", key, ctx},
				batchCase{p, "sts:AssumeRole", "arn:aws:iam::111122223333:role/partner", "", "", []string{list}, trust, "", "", ctx},
				batchCase{p, "kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/k1", "", "", []string{list}, "", "", key, ctx},
			)
		}
	}
	return out
}

func (c batchCase) line() string {
	m := map[string]any{"principal": c.principal, "action": c.action, "resource": c.resource}
	for k, v := range map[string]string{"resource_account": c.account, "bucket": c.bucket} {
		if v != "" {
			m[k] = v
		}
	}
	var ids []json.RawMessage
	for _, p := range c.identity {
		ids = append(ids, json.RawMessage(p))
	}
	m["identity_policies"] = ids
	for k, v := range map[string]string{"resource_policy": c.resourcePolicy, "access_point_policy": c.apPolicy, "key_policy": c.keyPolicy} {
		if v != "" {
			m[k] = json.RawMessage(v)
		}
	}
	if c.context != nil {
		m["context"] = c.context
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// args are the single form's flags, with the identity policies in files
// named as the batch names them so the reasons read the same.
func (c batchCase) args(t *testing.T, dir string) []string {
	a := []string{"explain", "--principal", c.principal, "--action", c.action, "--resource", c.resource, "-o", "json"}
	for flag, v := range map[string]string{"--resource-account": c.account, "--bucket": c.bucket} {
		if v != "" {
			a = append(a, flag, v)
		}
	}
	for i, p := range c.identity {
		a = append(a, "--identity-policy", writeFile(t, dir, fmt.Sprintf("identity_policies[%d]", i), p))
	}
	for flag, v := range map[string]string{"--resource-policy": c.resourcePolicy, "--access-point-policy": c.apPolicy, "--key-policy": c.keyPolicy} {
		if v != "" {
			a = append(a, flag, writeFile(t, dir, strings.TrimPrefix(flag, "--")+".json", v))
		}
	}
	for k, vals := range c.context {
		for _, v := range vals {
			a = append(a, "--context", k+"="+v)
		}
	}
	return a
}

// TestExplainBatchMatchesSingle: every batch answer is the single form's
// result for the same request, decision and reasons, in order; and
// --reasons=false gives the same decisions alone.
func TestExplainBatchMatchesSingle(t *testing.T) {
	cases := batchCases()
	var lines []string
	for _, c := range cases {
		lines = append(lines, c.line())
	}
	code, out, errOut := runCLIIn(t, strings.Join(lines, "\n")+"\n", "explain", "--batch", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, quiet, _ := runCLIIn(t, strings.Join(lines, "\n"), "explain", "--batch", "-", "--reasons=false")
	answers, quietAnswers := strings.Split(strings.TrimSuffix(out, "\n"), "\n"), strings.Split(strings.TrimSuffix(quiet, "\n"), "\n")
	if len(answers) != len(cases) || len(quietAnswers) != len(cases) {
		t.Fatalf("%d requests, %d and %d answers", len(cases), len(answers), len(quietAnswers))
	}
	seen := map[string]int{}
	for i, c := range cases {
		code, single, errOut := runCLI(t, c.args(t, t.TempDir())...)
		if code != 0 {
			t.Fatalf("case %d single form: exit %d: %s", i, code, errOut)
		}
		var want, got, q map[string]any
		mustJSON(t, single, &want)
		mustJSON(t, answers[i], &got)
		mustJSON(t, quietAnswers[i], &q)
		if !equalJSON(want, got) {
			t.Errorf("case %d (%s %s %s):\nsingle %s\nbatch  %s", i, c.principal, c.action, c.resource, single, answers[i])
		}
		if q["decision"] != want["decision"] || q["reasons"] != nil {
			t.Errorf("case %d --reasons=false: %s, want decision %v alone", i, quietAnswers[i], want["decision"])
		}
		seen[fmt.Sprint(want["decision"])]++
	}
	if len(seen) != 3 {
		t.Errorf("the cases do not cover all three decisions: %v", seen)
	}
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// TestExplainBatchBadLines: a line that is not a valid request gets an
// error naming what is wrong, every other line is answered in its place,
// and the exit code is 2 at the end.
func TestExplainBatchBadLines(t *testing.T) {
	good := `{"principal":"arn:aws:iam::111122223333:role/app","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resource_account":"111122223333","identity_policies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}]}`
	lines := []struct{ in, want string }{
		{good, `"decision":"Allowed"`},
		{`{"principal":`, `line 2: not a valid request`},
		{``, `line 3: empty line`},
		{`{"principal":"arn:aws:iam::111122223333:role/app","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resource_acount":"1"}`, `unknown field \"resource_acount\"`},
		{`{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}`, `line 5: principal: is required`},
		{`{"principal":"arn:aws:iam::111122223333:role/app","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}`, `resource-account: is required`},
		{strings.Replace(good, `"Effect":"Allow"`, `"Effect":"Permit"`, 1), `line 7: identity_policies[0]: `},
		{`{"principal":"arn:aws:iam::111122223333:role/app","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resource_account":"111122223333","context":{"k":1}}`, `a context value must be a string or a list`},
		{`{"principal":"arn:aws:iam::111122223333:role/app","action":"s3:GetObject","resource":"arn:aws:s3:::b/` + strings.Repeat("k", maxBatchLine) + `"}`, `line 9: the line is longer than 1048576 bytes`},
		{good + ` {}`, `more than one JSON value`},
		{strings.Replace(good, "GetObject", "PutObject", 1), `"decision":"ImplicitlyDenied"`},
	}
	var in []string
	for _, l := range lines {
		in = append(in, l.in)
	}
	code, out, errOut := runCLIIn(t, strings.Join(in, "\r\n"), "explain", "--batch", "-")
	if code != 2 || !strings.Contains(errOut, "9 of 11 lines were not valid") {
		t.Errorf("exit %d, stderr %q: want 2 and a count of the bad lines", code, errOut)
	}
	answers := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(answers) != len(lines) {
		t.Fatalf("%d lines, %d answers:\n%s", len(lines), len(answers), out)
	}
	for i, l := range lines {
		if !strings.Contains(answers[i], l.want) {
			t.Errorf("line %d: %s\nwant it to contain %s", i+1, answers[i], l.want)
		}
	}
	if code, _, errOut := runCLIIn(t, good, "explain", "--batch", "-", "--principal", "x"); code != 2 || !strings.Contains(errOut, "principal: cannot be given with --batch") {
		t.Errorf("--batch with --principal: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "explain", "--batch", filepath.Join(t.TempDir(), "missing.jsonl")); code != 2 || !strings.Contains(errOut, "batch:") {
		t.Errorf("missing batch file: exit %d %s", code, errOut)
	}
}

// BenchmarkExplainBatch: 10,000 requests (the comparison's shapes in turn)
// through one explain --batch, with and without reasons; ns/op is the
// whole batch.
func BenchmarkExplainBatch(b *testing.B) {
	cases := batchCases()
	var in strings.Builder
	for i := range 10_000 {
		in.WriteString(cases[i%len(cases)].line())
		in.WriteByte('\n')
	}
	for _, reasons := range []string{"true", "false"} {
		b.Run("reasons="+reasons, func(b *testing.B) {
			for range b.N {
				var out, errOut bytes.Buffer
				app := &App{Build: BuildInfo{}.resolved(), In: strings.NewReader(in.String()), Out: &out, ErrOut: &errOut}
				if code := run(context.Background(), app, []string{"explain", "--batch", "-", "--reasons=" + reasons}); code != 0 {
					b.Fatalf("exit %d: %s", code, errOut.String())
				}
			}
			b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "requests/s")
		})
	}
}
