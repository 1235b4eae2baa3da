package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/sandbox"
)

// sandboxEnv starts the demo sandbox, writes its profile file and points the
// process's AWS settings at it.
func sandboxEnv(t *testing.T) *sandboxRun {
	t.Helper()
	dir := t.TempDir()
	run, err := startSandbox(sandbox.Options{}, 0, filepath.Join(dir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.stop)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "HTTP_PROXY", "HTTPS_PROXY"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", run.config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_CA_BUNDLE", run.caFile)
	t.Setenv("AWS_ENDPOINT_URL", run.srv.URL())
	t.Setenv("AWS_REGION", sandbox.Region)
	t.Setenv("AWS_DEFAULT_REGION", sandbox.Region)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PAGER", "")
	t.Setenv(journal.HomeEnv, t.TempDir())
	return run
}

// awsCLIs returns the AWS CLI v1 on PATH and Debian's v2; CI has both.
func awsCLIs(t *testing.T) []string {
	t.Helper()
	var out []string
	if p, err := exec.LookPath("aws"); err == nil {
		out = append(out, p)
	}
	if st, err := os.Stat("/usr/bin/aws"); err == nil && !st.IsDir() && (len(out) == 0 || out[0] != "/usr/bin/aws") {
		out = append(out, "/usr/bin/aws")
	}
	if len(out) < 2 && os.Getenv("CI") != "" {
		t.Fatalf("want the AWS CLI v1 and v2 (scripts/setup.sh installs them), found %v", out)
	}
	if len(out) == 0 {
		t.Fatal("no AWS CLI (scripts/setup.sh installs it)")
	}
	return out
}

// cli runs an AWS CLI against the sandbox (--endpoint-url: CLI v2.9 ignores
// AWS_ENDPOINT_URL) with the sandbox as its proxy for s3control hosts.
func (r *sandboxRun) cli(cli, profile string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, append([]string{"--profile", profile, "--endpoint-url", r.srv.URL(), "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "HTTPS_PROXY="+r.srv.PlainURL())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// probe is one consumer request and whether it must be allowed.
type probe struct {
	name  string
	allow bool
	args  []string
	as    string // the profile, when not the phase's
}

// expect runs every probe with every CLI and checks allowed or denied.
func (r *sandboxRun) expect(t *testing.T, phase, profile string, probes []probe) {
	t.Helper()
	for _, cli := range awsCLIs(t) {
		for _, p := range probes {
			who := profile
			if p.as != "" {
				who = p.as
			}
			out, stderr, err := r.cli(cli, who, p.args...)
			switch {
			case p.allow && err != nil:
				t.Errorf("%s, %s: %s must be allowed: %v\n%s", phase, filepath.Base(filepath.Dir(cli))+"/aws", p.name, err, stderr)
			case !p.allow && err == nil:
				t.Errorf("%s, %s: %s must be denied, got:\n%s", phase, cli, p.name, out)
			case !p.allow && !strings.Contains(stderr, "AccessDenied") && !strings.Contains(stderr, "NoSuchBucket"):
				t.Errorf("%s, %s: %s failed, but not with AccessDenied:\n%s", phase, cli, p.name, stderr)
			}
		}
	}
}

func getObject(bucket, key, out string) []string {
	return []string{"s3api", "get-object", "--bucket", bucket, "--key", key, out}
}

func listPrefix(bucket, prefix string) []string {
	return []string{"s3api", "list-objects-v2", "--bucket", bucket, "--prefix", prefix}
}

// TestSandboxCLISession: for each method, the consumer's everyday AWS CLI
// commands are denied before the grant, allowed on the prefix and denied
// elsewhere after `s3grant apply`, and denied again after `s3grant undo`.
func TestSandboxCLISession(t *testing.T) {
	cases := []struct {
		method string
		extra  []string
	}{
		{"bucket-policy", nil},
		{"iam-role", []string{"--external-id", "partner-7f3c9a"}},
		{"access-point", []string{"--access-point", "analytics-ap"}},
		{"access-point", []string{"--access-point", "analytics-ap", "--access-point-owner", "consumer"}},
		{"acl", []string{"--canonical-id", plan.ExCanonical, "--access", "list"}},
	}
	for _, c := range cases {
		t.Run(c.method+strings.Join(c.extra, "_"), func(t *testing.T) {
			r := sandboxEnv(t)
			sessionFor(t, r, c.method, c.extra)
		})
	}
}

func sessionFor(t *testing.T, r *sandboxRun, method string, extra []string) {
	t.Helper()
	tmp := t.TempDir()
	obj := filepath.Join(tmp, "object")
	b := sandbox.DemoBucket
	planFile := filepath.Join(tmp, "plan.json")
	args := []string{
		"plan", "--method", method, "--bucket", b, "--region", sandbox.Region, "--owner-account", sandbox.OwnerAccount,
		"--consumer-account", sandbox.ConsumerAccount, "--out", planFile,
	}
	args = append(args, "--consumer-principal", plan.ExRole)
	if method != "acl" {
		args = append(args, "--prefix", "reports/", "--access", "read")
	}
	if code, _, errOut := runCLI(t, append(args, extra...)...); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	var plan plan.Plan
	data, _ := os.ReadFile(planFile)
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	direct := []probe{
		{name: "list reports/", allow: true, args: listPrefix(b, "reports/")},
		{name: "get reports/2026-01.csv", allow: true, args: getObject(b, "reports/2026-01.csv", obj)},
		{name: "list exports/", allow: false, args: listPrefix(b, "exports/")},
		{name: "get exports/daily/2026-01-02.json", allow: false, args: getObject(b, "exports/daily/2026-01-02.json", obj)},
	}
	consumer := "sandbox-consumer"
	before := direct
	switch method {
	case "iam-role":
		// The consumer assumes the owner's role with the ExternalId, then
		// reads with the session (a profile per CLI holds it).
		consumer = "granted-role"
		before = []probe{r.assumeProbe(plan)}
	case "acl":
		// A bucket ACL READ lists the bucket, and never grants GetObject.
		direct = []probe{{name: "list the bucket", allow: true, args: listPrefix(b, "")}, {name: "get reports/2026-01.csv", args: getObject(b, "reports/2026-01.csv", obj)}}
		before = direct
	}
	deny := func(ps []probe) []probe {
		out := make([]probe, len(ps))
		for i, p := range ps {
			out[i] = p
			out[i].allow = false
		}
		return out
	}
	r.expect(t, "before the grant", consumer, deny(before))

	applyArgs := []string{"apply", planFile, "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer-admin", "--yes", "-o", "json"}
	if method == "acl" {
		applyArgs = append(applyArgs, "--allow-acl-downgrade")
	}
	code, out, errOut := runWithInput(t, "", applyArgs...)
	if code != 0 {
		t.Fatalf("apply: %d\n%s\n%s", code, out, errOut)
	}
	var sum struct {
		RunID string `json:"run_id"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.RunID == "" {
		t.Fatalf("apply -o json: %v\n%s", err, out)
	}
	after := direct
	switch method {
	case "access-point":
		after = r.throughAlias(t, plan, obj)
	case "iam-role":
		r.expect(t, "after the grant", "sandbox-consumer", []probe{r.assumeProbe(plan)})
		r.roleProfile(t, awsCLIs(t)[0], consumer, plan)
	}
	r.expect(t, "after the grant", consumer, after)
	if method == "bucket-policy" || method == "iam-role" || (method == "access-point" && !plan.Spec.APOwnerIsConsumer()) {
		verifyAsConsumer(t, planFile)
	}

	if code, out, errOut := runWithInput(t, "yes\n", "undo", sum.RunID, "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer-admin"); code != 0 {
		t.Fatalf("undo: %d\n%s\n%s", code, out, errOut)
	}
	r.expect(t, "after undo", consumer, deny(append(append([]probe{}, before...), after...)))
}

func (r *sandboxRun) assumeProbe(p plan.Plan) probe {
	return probe{name: "assume the owner's role", allow: true, as: "sandbox-consumer", args: []string{
		"sts", "assume-role", "--role-arn",
		"arn:aws:iam::" + p.Spec.OwnerAccount + ":role/" + p.Spec.RoleName, "--role-session-name", "cli", "--external-id", p.Spec.ExternalID,
	}}
}

// roleProfile assumes the plan's role with cli as the consumer and writes
// the session into profile name (CLI v2.9 ignores endpoint_url for a
// profile's own AssumeRole, so the test assumes the role itself).
func (r *sandboxRun) roleProfile(t *testing.T, cli, name string, p plan.Plan) {
	t.Helper()
	out, stderr, err := r.cli(cli, "sandbox-consumer", r.assumeProbe(p).args...)
	if err != nil {
		t.Fatalf("assume-role: %v\n%s", err, stderr)
	}
	var res struct {
		Credentials struct {
			AccessKeyID     string `json:"AccessKeyId"`
			SecretAccessKey string
			SessionToken    string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(r.config, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := res.Credentials
	fmt.Fprintf(f, "\n[profile %s]\nregion = %s\nca_bundle = %s\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n",
		name, sandbox.Region, r.caFile, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
}

// throughAlias returns the probes through the access point's alias, which
// the access point's owner reads with GetAccessPoint.
func (r *sandboxRun) throughAlias(t *testing.T, p plan.Plan, obj string) []probe {
	t.Helper()
	owner, account := "sandbox-owner", p.Spec.OwnerAccount
	if p.Spec.APOwnerIsConsumer() {
		owner, account = "sandbox-consumer-admin", p.Spec.ConsumerAccounts[0]
	}
	out, stderr, err := r.cli(awsCLIs(t)[0], owner, "s3control", "get-access-point", "--account-id", account, "--name", p.Spec.AccessPoint)
	if err != nil {
		t.Fatalf("get-access-point: %v\n%s", err, stderr)
	}
	var ap struct{ Alias string }
	if err := json.Unmarshal([]byte(out), &ap); err != nil || ap.Alias == "" {
		t.Fatalf("get-access-point: no alias in %s", out)
	}
	a := ap.Alias
	return []probe{
		{name: "list reports/ through the access point", allow: true, args: listPrefix(a, "reports/")},
		{name: "get reports/2026-01.csv through the access point", allow: true, args: getObject(a, "reports/2026-01.csv", obj)},
		{name: "list exports/ through the access point", allow: false, args: listPrefix(a, "exports/")},
		{name: "get exports/daily/2026-01-02.json through the access point", allow: false, args: getObject(a, "exports/daily/2026-01-02.json", obj)},
		{name: "get reports/2026-01.csv directly", allow: false, args: getObject(p.Spec.Bucket, "reports/2026-01.csv", obj)},
	}
}

// verifyAsConsumer runs `s3grant verify` as the plan's consumer principal
// (the analytics role's session): what it reports is what the sandbox's
// policies allow, the denial probe included (moto cannot show that one).
func verifyAsConsumer(t *testing.T, planFile string) {
	t.Helper()
	_, out, errOut := runWithInput(t, "", "verify", planFile, "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer", "-o", "json")
	var res struct {
		Probes []struct {
			Name, Result string
			OK           bool
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("verify -o json: %v\n%s\n%s", err, out, errOut)
	}
	want := map[string]string{"list reports/": "allowed", "get-object": "allowed", "outside-grant": "denied"}
	for _, p := range res.Probes {
		if w, ok := want[p.Name]; ok {
			if p.Result != w || !p.OK {
				t.Errorf("verify probe %s: %s (ok %v), want %s", p.Name, p.Result, p.OK, w)
			}
			delete(want, p.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("verify did not run %v: %s", want, out)
	}
}

// TestSandboxServe: serve writes a 0600 profile file whose profiles work
// with the AWS CLI, prints how to use it, and stops when its context ends.
func TestSandboxServe(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sandbox.config")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan int)
	go func() {
		app := &App{Build: BuildInfo{}.resolved(), In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
		done <- run(ctx, app, []string{"sandbox", "serve", "--profile-file", file, "--state", filepath.Join(dir, "state.json")})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(file + ".ca.pem"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no profile file after 30s: %s %s", out.String(), errOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, f := range []string{file, file + ".ca.pem", filepath.Join(dir, "state.json")} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v mode %v", f, err, st.Mode())
		}
	}
	cfg, _ := os.ReadFile(file)
	endpoint := ""
	for _, line := range strings.Split(string(cfg), "\n") {
		if v, ok := strings.CutPrefix(line, "endpoint_url = "); ok {
			endpoint = v
		}
	}
	cmd := exec.Command(awsCLIs(t)[0], "--profile", "sandbox-consumer", "--endpoint-url", endpoint, "--output", "json", "sts", "get-caller-identity")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") { // the profile's own ca_bundle must do
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "AWS_CONFIG_FILE="+file, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"))
	id, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(id), "assumed-role/analytics/sandbox") {
		t.Errorf("the written profile does not work: %v\n%s", err, id)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d: %s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
	if !strings.Contains(errOut.String(), "sts POST / as arn:aws:sts::222233334444:assumed-role/analytics/sandbox -> ok") {
		t.Errorf("serve does not log the request:\n%s", errOut.String())
	}
	for _, want := range []string{"Nothing real is touched", "https://127.0.0.1:", "sandbox-consumer", "export AWS_CONFIG_FILE=" + file} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve output lacks %q:\n%s", want, out.String())
		}
	}
}
