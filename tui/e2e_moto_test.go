package tui_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/internal/testenv"
)

const e2eBucket = "analytics-exports"

// motoPane starts moto with the owner's bucket and runs the wizard with
// both profiles in tmux. With delay, the wizard's AWS calls go through an
// endpoint that holds each one that long.
func motoPane(t *testing.T, delay time.Duration) (*testenv.Env, *pane) {
	t.Helper()
	env := testenv.Start(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", e2eBucket,
		"--create-bucket-configuration", "LocationConstraint="+env.Region)
	dir := t.TempDir()
	vars := []string{"HOME=" + dir, "S3GRANT_HOME=" + filepath.Join(dir, "s3grant")}
	if delay > 0 {
		vars = append(vars, "AWS_ENDPOINT_URL="+slowEndpoint(t, env.URL, delay))
	}
	p := startPane(t, env.Environ(vars...), dir, 120, 40, binary(t), "--owner-profile", "owner", "--consumer-profile", "consumer")
	return env, p
}

// connectAndPreview answers every screen for a bucket-policy grant of read
// access to reports/ and waits for the preview merged with live state,
// which says state about the bucket policy.
func connectAndPreview(p *pane, state string) {
	p.waitFor(20*time.Second, "Connect with profiles")
	p.at("How do you want to run?")
	p.keys("Enter")
	p.at("Owner profile")
	p.keys("Enter") // the profiles given as flags are selected
	p.at("Consumer profile")
	p.keys("Enter")
	p.waitFor(60*time.Second, "How should the consumer get in?", "owner (", ") → consumer (")
	p.keys("Enter") // bucket-policy
	p.at("Bucket")
	p.line(e2eBucket)
	p.at("Region")
	p.line(testenv.Region)
	p.at("Access")
	p.keys("Enter") // read
	p.at("Prefixes")
	p.line("reports/")
	p.at("Consumer principals")
	p.keys("Enter") // the whole consumer account
	p.at("Are the objects encrypted")
	p.keys("Enter") // no KMS key
	p.at("Organization ID")
	p.keys("Enter")
	p.at("Deny plain-HTTP requests?")
	p.keys("Enter")
	p.waitFor(60*time.Second, "Preview", state, "Ready: press a to apply")
}

// bucketPolicy returns the owner's bucket policy, or "" when there is none.
func bucketPolicy(t *testing.T, env *testenv.Env) string {
	out, stderr, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", e2eBucket)
	if err != nil {
		if strings.Contains(stderr, "NoSuchBucketPolicy") {
			return ""
		}
		t.Fatalf("get-bucket-policy: %v\n%s", err, stderr)
	}
	return string(out)
}

// consumerPolicies lists the consumer's own managed policies.
func consumerPolicies(t *testing.T, env *testenv.Env) string {
	return string(env.CLI(t, "consumer", "iam", "list-policies", "--scope", "Local"))
}

// TestE2EMotoApply runs the wizard against moto through apply: the
// documents land in both accounts and the summary tells what to send.
func TestE2EMotoApply(t *testing.T) {
	t.Parallel()
	env, p := motoPane(t, 0)
	foreign := `{"Version":"2012-10-17","Statement":[{"Sid":"KeepMe","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/*"}]}`
	env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", e2eBucket, "--policy", foreign)
	connectAndPreview(p, "Changes the existing document")
	p.keys("d")
	p.waitFor(10*time.Second, "· diff", "(current)", "(planned)", `+      "Sid": "S3Grant`)
	p.waitFor(5*time.Second, "Ready: press a to apply")
	p.keys("a")
	p.waitFor(10*time.Second, "Apply this plan?")
	p.keys("y")
	p.waitFor(120*time.Second, "Applied:", "Run ID", "s3grant undo", "Verification from the consumer side")
	// moto does not enforce cross-account permissions: every probe that
	// must be allowed proves the path works; the one that must be denied is
	// run and shown, but moto allows it (see aws.TestVerifyAgainstMoto).
	screen := p.screen()
	allowed, denied := 0, 0
	for _, l := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(l, "(must be allowed)"):
			allowed++
			if !strings.Contains(l, "✓") {
				t.Errorf("probe failed: %s", l)
			}
		case strings.Contains(l, "(must be denied)"):
			denied++
		}
	}
	if allowed < 1 || denied < 1 {
		t.Fatalf("verification should show allowed and denied probes:\n%s", screen)
	}
	// The summary goes on below the window: what to send the consumer.
	p.keys("PageDown", "PageDown", "PageDown")
	p.waitFor(10*time.Second, "Send this to the consumer", "aws s3 ls s3://analytics-exports/reports/")
	if pol := bucketPolicy(t, env); !strings.Contains(pol, "S3Grant") || !strings.Contains(pol, "KeepMe") {
		t.Fatalf("the bucket policy should hold s3grant's statements and keep KeepMe: %s", pol)
	}
	if pols := consumerPolicies(t, env); !strings.Contains(pols, "s3grant-analytics-exports") {
		t.Fatalf("the consumer lacks s3grant's identity policy: %s", pols)
	}
	p.keys("q")
	p.waitFor(10*time.Second, "EXIT=0", "Applied:") // the summary stays on screen
}

// slowEndpoint forwards to moto, holding every request for delay, so an
// apply is still running when the test presses ctrl+c.
func slowEndpoint(t *testing.T, target string, delay time.Duration) string {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestE2ECtrlCDuringApply presses ctrl+c once the first write is done: the
// call in flight finishes, everything written is rolled back, the wizard
// exits 130 and both accounts are as they were.
func TestE2ECtrlCDuringApply(t *testing.T) {
	t.Parallel()
	env, p := motoPane(t, 400*time.Millisecond)
	before := bucketPolicy(t, env)
	connectAndPreview(p, "New document: none exists today.")
	p.keys("a")
	p.waitFor(10*time.Second, "Apply this plan?")
	p.keys("y")
	p.waitFor(120*time.Second, "✓ owner")
	p.keys("C-c")
	p.waitFor(120*time.Second, "EXIT=130")
	screen := p.screen()
	t.Logf("after ctrl+c:\n%s", screen)
	if !strings.Contains(screen, "rolled back") {
		t.Errorf("the final screen should say what was rolled back:\n%s", screen)
	}
	if after := bucketPolicy(t, env); after != before {
		t.Fatalf("bucket policy changed: before %q, after %q", before, after)
	}
	if pols := consumerPolicies(t, env); strings.Contains(pols, "s3grant-") {
		t.Fatalf("a consumer policy was left behind: %s", pols)
	}
}

// TestE2EAccessibleMotoApply answers the plain flow through standard input
// with both profiles, up to an applied and verified grant.
func TestE2EAccessibleMotoApply(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", e2eBucket,
		"--create-bucket-configuration", "LocationConstraint="+env.Region)
	dir := t.TempDir()
	answers := strings.Join([]string{
		"yes",    // connect with profiles
		"2", "1", // owner, consumer (listed: consumer, owner)
		"1",        // bucket-policy
		e2eBucket,  // bucket
		env.Region, // region
		"1",        // read
		"reports/", "", "no", "", "",
		"-",   // do not save
		"yes", // apply
	}, "\n") + "\n"
	cmd := exec.Command(binary(t), "--accessible")
	cmd.Env = env.Environ("HOME="+dir, "S3GRANT_HOME="+filepath.Join(dir, "s3grant"))
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(answers)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("s3grant --accessible: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Owner account 111122223333, consumer account 222233334444", "Access check: ",
		"s3:PutBucketPolicy arn:aws:s3:::analytics-exports: done", "Applied:", "Run ID", "Verification from the consumer side",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if pol := bucketPolicy(t, env); !strings.Contains(pol, "S3Grant") {
		t.Fatalf("the bucket policy lacks s3grant's statements: %s", pol)
	}
}
