package testenv

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"
)

// AWSCLIv2 is where Debian's awscli package (v2) installs the CLI.
const AWSCLIv2 = "/usr/bin/aws"

// CLIs returns the AWS CLIs on this machine: `aws` on PATH (v1 here) and
// /usr/bin/aws (v2) when it is installed and is another file. It fails the
// test when there is none.
func (e *Env) CLIs(t testing.TB) []string {
	t.Helper()
	var out []string
	if p, err := exec.LookPath("aws"); err == nil {
		out = append(out, p)
	}
	if st, err := os.Stat(AWSCLIv2); err == nil && !st.IsDir() && (len(out) == 0 || !sameFile(out[0], AWSCLIv2)) {
		out = append(out, AWSCLIv2)
	}
	if len(out) == 0 {
		t.Fatal("testenv: no AWS CLI: `aws` is not on PATH and /usr/bin/aws is missing (scripts/setup.sh installs it)")
	}
	return out
}

func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// CLI runs the first AWS CLI of CLIs with profile and returns its stdout.
func (e *Env) CLI(t testing.TB, profile string, args ...string) []byte {
	t.Helper()
	return e.RunCLI(t, e.CLIs(t)[0], profile, args...)
}

// RunCLI runs cli with --profile profile --output json --endpoint-url
// URL and returns stdout;
// a non-zero exit fails the test with its stderr.
func (e *Env) RunCLI(t testing.TB, cli, profile string, args ...string) []byte {
	t.Helper()
	out, stderr, err := e.TryCLI(cli, profile, args...)
	if err != nil {
		t.Fatalf("testenv: %s --profile %s %v: %v\n%s", cli, profile, args, err, stderr)
	}
	return out
}

// TryCLI runs cli like RunCLI and returns stdout, stderr and the error, for
// calls expected to fail (a missing document).
func (e *Env) TryCLI(cli, profile string, args ...string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// --endpoint-url as well as AWS_ENDPOINT_URL: CLI v2 before 2.13 (Debian
	// 12 ships 2.9) ignores the variable and the profile's endpoint_url.
	full := append([]string{"--profile", profile, "--output", "json", "--endpoint-url", e.URL}, args...)
	cmd := exec.CommandContext(ctx, cli, full...)
	proxy := e.proxyURL
	cmd.Env = e.Environ("HTTP_PROXY="+proxy, "http_proxy="+proxy, "HTTPS_PROXY="+proxy, "https_proxy="+proxy)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.Bytes(), stderr.String(), err
}

// ProxyURL is the forwarding proxy that sends every request to moto
// whatever its host (for clients that put the account ID in the host).
func (e *Env) ProxyURL() string { return e.proxyURL }

// startForwarder serves an HTTP proxy on a free port that forwards every
// request to target, keeping the Host header the client sent.
func startForwarder(t testing.TB, target string) string {
	t.Helper()
	to, err := url.Parse(target)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(to)
		r.Out.Host = r.In.Host
	}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: proxy listen: %v", err)
	}
	srv := &http.Server{Handler: rp, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + l.Addr().String()
}
