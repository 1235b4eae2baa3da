package testenv

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/s3grant/s3grant/sandbox"
)

// BackendEnv selects the emulator the harness starts: "moto" (the default)
// or "sandbox", s3grant's own policy-enforcing sandbox. The same suites run
// unchanged against either: scripts/test.sh runs the apply/undo suite with
// both.
const BackendEnv = "S3GRANT_TEST_BACKEND"

// UsesSandbox reports whether the harness runs on the sandbox.
func UsesSandbox() bool { return os.Getenv(BackendEnv) == "sandbox" }

// startSandbox starts the sandbox on a free port with empty accounts. It
// serves HTTPS (so aws:SecureTransport is true, as with AWS); the CA it
// signs with goes to AWS_CA_BUNDLE. It is its own proxy, so the AWS CLI's
// {account}.127.0.0.1 s3control hosts reach it through HTTPS_PROXY.
func startSandbox(t testing.TB) *Env {
	t.Helper()
	sb, err := sandbox.New(sandbox.Options{Empty: true})
	if err != nil {
		t.Fatalf("testenv: sandbox: %v", err)
	}
	srv, err := sb.Start(0)
	if err != nil {
		t.Fatalf("testenv: sandbox: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	e := &Env{URL: srv.URL(), Region: Region, dir: t.TempDir(), proxyURL: srv.PlainURL(), sandbox: sb}
	e.caFile = filepath.Join(e.dir, "sandbox-ca.pem")
	if err := os.WriteFile(e.caFile, []byte(sb.CACertPEM()), 0o600); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	e.Reset(t)
	return e
}

// resetSandbox empties the sandbox (admin users only) and hands out new
// admin keys for every account.
func (e *Env) resetSandbox(t testing.TB) {
	t.Helper()
	if err := e.sandbox.Reset(false); err != nil {
		t.Fatalf("testenv: reset sandbox: %v", err)
	}
	e.Owner = e.sandboxAccount(t, OwnerAccount, "owner")
	e.Consumer = e.sandboxAccount(t, ConsumerAccount, "consumer")
	for i, a := range e.extra {
		e.extra[i] = e.sandboxAccount(t, a.ID, a.Profile)
	}
	e.writeFiles(t)
}

// sandboxAccount returns an administrator's keys in account (the sandbox
// enforces policies, so the harness acts as each account's admin user).
func (e *Env) sandboxAccount(t testing.TB, account, profile string) Account {
	t.Helper()
	p, err := e.sandbox.AdminProfile(account, profile)
	if err != nil {
		t.Fatalf("testenv: sandbox account %s: %v", account, err)
	}
	return Account{
		ID: account, Profile: profile,
		AccessKeyID: p.AccessKeyID, SecretAccessKey: p.Secret, SessionToken: p.SessionToken,
	}
}

// backendTransport is an HTTP transport that reaches the backend: the
// default one for moto, one trusting the sandbox's CA for the sandbox.
func (e *Env) backendTransport(t testing.TB) http.RoundTripper {
	t.Helper()
	if e.caFile == "" {
		return http.DefaultTransport
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(e.sandbox.CACertPEM())) {
		t.Fatal("testenv: the sandbox CA does not parse")
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return tr
}
