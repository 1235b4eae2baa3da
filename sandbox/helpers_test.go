package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// env is a running sandbox with a shared config file holding every demo
// profile, for driving it with the AWS CLI.
type env struct {
	sb     *Sandbox
	srv    *Server
	config string
	ca     string
}

const awsCLIv2 = "/usr/bin/aws"

// awsCLIs lists the AWS CLIs: v1 on PATH and Debian's v2. In CI both must be
// there (scripts/setup.sh installs them); a missing one fails the test.
func awsCLIs(t *testing.T) []string {
	t.Helper()
	var out []string
	if p, err := exec.LookPath("aws"); err == nil {
		out = append(out, p)
	}
	if st, err := os.Stat(awsCLIv2); err == nil && !st.IsDir() {
		if len(out) == 0 || !sameFile(out[0], awsCLIv2) {
			out = append(out, awsCLIv2)
		}
	}
	if len(out) == 0 {
		t.Fatal("no AWS CLI: `aws` is not on PATH and /usr/bin/aws is missing (scripts/setup.sh installs them)")
	}
	return out
}

func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

func startEnv(t *testing.T) *env {
	t.Helper()
	sb, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sb.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	e := &env{sb: sb, srv: srv, config: filepath.Join(dir, "config"), ca: filepath.Join(dir, "ca.pem")}
	if err := WriteFile(e.ca, sb.CACertPEM()); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(e.config, ConfigFile(sb.Profiles(), srv.URL(), Region, e.ca)); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs the AWS CLI cli as profile against the sandbox and returns
// stdout, stderr and the error.
func (e *env) run(cli, profile string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	full := append([]string{"--profile", profile, "--endpoint-url", e.srv.URL(), "--output", "json"}, args...)
	cmd := exec.CommandContext(ctx, cli, full...)
	cmd.Env = append(cleanEnv(), "AWS_CONFIG_FILE="+e.config, "AWS_SHARED_CREDENTIALS_FILE="+e.config+".none",
		"AWS_CA_BUNDLE="+e.ca, "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "HTTPS_PROXY="+e.srv.PlainURL(), "HTTP_PROXY="+e.srv.PlainURL())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// must runs a CLI call that must succeed.
func (e *env) must(t *testing.T, cli, profile string, args ...string) string {
	t.Helper()
	out, stderr, err := e.run(cli, profile, args...)
	if err != nil {
		t.Fatalf("%s --profile %s %s: %v\n%s", filepath.Base(cli), profile, strings.Join(args, " "), err, stderr)
	}
	return out
}

// denied runs a CLI call that must fail with code in its error output.
func (e *env) fails(t *testing.T, code, cli, profile string, args ...string) {
	t.Helper()
	out, stderr, err := e.run(cli, profile, args...)
	if err == nil {
		t.Fatalf("%s --profile %s %s succeeded, want %s:\n%s", filepath.Base(cli), profile, strings.Join(args, " "), code, out)
	}
	if !strings.Contains(stderr, code) {
		t.Fatalf("%s --profile %s %s: want %s, got:\n%s", filepath.Base(cli), profile, strings.Join(args, " "), code, stderr)
	}
}

func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.EqualFold(k, "HTTP_PROXY") || strings.EqualFold(k, "HTTPS_PROXY") || strings.EqualFold(k, "NO_PROXY") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func jsonField(t *testing.T, doc, field string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatalf("not JSON (%v): %s", err, doc)
	}
	return m[field]
}
