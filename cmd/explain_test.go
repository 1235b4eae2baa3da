package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	explainBucketPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"ToRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*"},
 {"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::analytics-exports/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	explainIdentity = `{"Version":"2012-10-17","Statement":{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/*"}}`
)

func TestExplain(t *testing.T) {
	dir := t.TempDir()
	bp := writeFile(t, dir, "bp.json", explainBucketPolicy)
	id := writeFile(t, dir, "id.json", explainIdentity)
	base := []string{
		"explain", "--principal", "arn:aws:sts::222233334444:assumed-role/analytics/s1", "--action", "s3:GetObject",
		"--resource", "arn:aws:s3:::analytics-exports/reports/q1.csv", "--resource-account", "111122223333", "--resource-policy", bp,
	}
	cases := []struct {
		name   string
		args   []string
		want   string
		reason string
	}{
		{"both sides allow", with(base, "--identity-policy", id), "Allowed", "ToRole"},
		{"identity side missing", base, "ImplicitlyDenied", "no identity policy statement"},
		{"plain HTTP", with(base, "--identity-policy", id, "--context", "aws:SecureTransport=false"), "ExplicitlyDenied", "TLS"},
		{"another prefix", withFlag(with(base, "--identity-policy", id), "--resource", "arn:aws:s3:::analytics-exports/private/x"), "ImplicitlyDenied", "must allow too"},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, with(c.args, "-o", "json")...)
		var r struct {
			Decision string `json:"decision"`
			Reasons  []struct {
				Statement string `json:"statement"`
				Message   string `json:"message"`
			} `json:"reasons"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("%s: exit %d: %s %s", c.name, code, out, errOut)
		}
		if r.Decision != c.want || !strings.Contains(out, c.reason) {
			t.Errorf("%s: got %s, want %s with reason %q:\n%s", c.name, r.Decision, c.want, c.reason, out)
		}
	}
	code, out, _ := runCLI(t, with(base, "--identity-policy", id)...)
	if code != 0 || !strings.HasPrefix(out, "Allowed\n") || !strings.Contains(out, "statement ToRole (Allow)") {
		t.Fatalf("text output: %s", out)
	}
}

func TestExplainTrustPolicy(t *testing.T) {
	dir := t.TempDir()
	trust := writeFile(t, dir, "trust.json", `{"Version":"2012-10-17","Statement":[{"Sid":"Trust","Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"partner-7f3c9a"}}}]}`)
	id := writeFile(t, dir, "id.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	args := []string{
		"explain", "--principal", "arn:aws:iam::222233334444:role/analytics", "--action", "sts:AssumeRole",
		"--resource", "arn:aws:iam::111122223333:role/partner-reader", "--resource-policy", trust, "--identity-policy", id,
	}
	if _, out, _ := runCLI(t, args...); !strings.HasPrefix(out, "ImplicitlyDenied") || !strings.Contains(out, "sts:ExternalId") {
		t.Fatalf("without the ExternalId: %s", out)
	}
	if _, out, _ := runCLI(t, with(args, "--context", "sts:ExternalId=partner-7f3c9a")...); !strings.HasPrefix(out, "Allowed") {
		t.Fatalf("with the ExternalId: %s", out)
	}
}

func TestExplainBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", `{"Statement":[{"Effect":"Maybe"}]}`)
	ok := []string{
		"explain", "--principal", "arn:aws:iam::222233334444:role/analytics", "--action", "s3:GetObject",
		"--resource", "arn:aws:s3:::analytics-exports/k", "--resource-account", "111122223333",
	}
	cases := []struct {
		args []string
		flag string
	}{
		{withFlag(ok, "--principal", ""), "principal"},
		{withFlag(ok, "--principal", "bob"), "principal"},
		{withFlag(ok, "--action", "GetObject"), "action"},
		{withFlag(ok, "--resource", "analytics-exports/k"), "resource"},
		{withFlag(ok, "--resource-account", "12"), "resource-account"},
		{ok[:len(ok)-2], "resource-account"},
		{with(ok, "--identity-policy", bad), "identity-policy"},
		{with(ok, "--resource-policy", dir+"/none.json"), "resource-policy"},
		{with(ok, "--access-point-policy", bad), "access-point-policy"},
		{with(ok, "--key-policy", bad), "key-policy"},
		{with(ok, "--bpa", "block-everything"), "bpa"},
		{with(ok, "--context", "novalue"), "context"},
		{with(ok, "-o", "yaml"), "output"},
		{withFlag(ok, "--resource", "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/k"), "bucket"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, c.args...)
		if code != ExitBadInput || !strings.Contains(errOut, c.flag) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s", c.args, code, errOut, c.flag)
		}
	}
}
