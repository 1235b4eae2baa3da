// Package testenv runs s3grant's integration tests against a real AWS
// emulator: moto_server (Python moto, on PATH), started on a free 127.0.0.1
// port for the test and killed when it ends. It does not import the AWS SDK.
//
// API:
//
//	env := testenv.Start(t)     // moto_server up, reset, Owner and Consumer assumed
//	env.URL                     // http://127.0.0.1:PORT, the endpoint for SDK clients
//	env.Region                  // eu-west-1
//	env.Owner, env.Consumer     // Account{ID, AccessKeyID, SecretAccessKey, SessionToken, Profile}
//	env.Assume(t, "444455556666")   // credentials in any other account (profile "acct-444455556666")
//	env.Reset(t)                // POST /moto-api/reset, then re-assume every account and rewrite the files
//	env.Environ(extra...)       // os.Environ() without AWS_*, plus the shared config/credentials
//	                            // files, AWS_ENDPOINT_URL and AWS_REGION: run the real binary with it
//	                            // and --owner-profile owner --consumer-profile consumer
//	env.AccountEnviron(a)       // the same with one account's keys in AWS_ACCESS_KEY_ID & co.
//	env.ConfigFile(), env.CredentialsFile()  // the files: profiles owner, consumer, acct-ID
//	env.CLI(t, "owner", args...)    // runs the AWS CLI (v1 `aws` on PATH) with the profile, returns stdout
//	env.CLIs()                  // the AWS CLIs found: `aws` on PATH and /usr/bin/aws (v2) when present
//	env.RunCLI(t, cli, "owner", args...)  // one given CLI
//
// Accounts: moto hands out credentials for any account through
// sts:AssumeRole into arn:aws:iam::<account>:role/<any>, and requests signed
// with them act in that account. Owner is OwnerAccount and Consumer is
// ConsumerAccount (the account IDs of plan.Examples()); both are reached by
// AssumeRole from moto's default account. A reset forgets assumed
// credentials, so Reset assumes them again and rewrites the files in place.
//
// The AWS CLI puts the account ID in the s3control host
// (ACCOUNT.127.0.0.1:PORT), which does not resolve; the environment routes the
// CLI through a small forwarding proxy (HTTP_PROXY) that sends every request
// to moto whatever its host.
//
// Start fails the test (t.Fatal) when moto_server cannot start: these tests
// must run in CI, never skip.
package testenv

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/s3grant/s3grant/sandbox"
)

// The accounts of the example gallery (plan.Examples()).
const (
	OwnerAccount    = "111122223333"
	ConsumerAccount = "222233334444"
	Region          = "eu-west-1"
)

// Account is one account's credentials in moto. Profile names it in the
// shared config and credentials files.
type Account struct {
	ID              string
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Profile         string
}

// Env is a running moto_server and the accounts in it.
type Env struct {
	URL      string
	Region   string
	Owner    Account
	Consumer Account

	extra    []Account // accounts from Assume, re-assumed on Reset
	dir      string
	proxyURL string
	client   *http.Client
	sandbox  *sandbox.Sandbox // set when BackendEnv selects the sandbox
	caFile   string           // the sandbox's CA (AWS_CA_BUNDLE)
}

// Start starts moto_server on a free 127.0.0.1 port, waits until it answers,
// resets it and assumes the owner and consumer accounts. The server is killed
// when the test ends.
func Start(t testing.TB) *Env {
	t.Helper()
	admitToSandboxPass(t)
	if UsesSandbox() {
		return startSandbox(t)
	}
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Fatalf("testenv: moto_server is not on PATH "+
			"(pip install 'moto[server]==5.2.1'; scripts/setup.sh checks it): %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("testenv: no free port: %v", err)
	}
	var logs bytes.Buffer
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the pyenv shim forks: kill the whole group
	cmd.Env = withoutAWS(os.Environ())
	if err := cmd.Start(); err != nil {
		t.Fatalf("testenv: start moto_server: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	e := &Env{
		URL: fmt.Sprintf("http://127.0.0.1:%d", port), Region: Region, dir: t.TempDir(),
		client: &http.Client{Timeout: 30 * time.Second},
	}
	if err := e.waitReady(60 * time.Second); err != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		t.Fatalf("testenv: moto_server on port %d did not start: %v\nmoto_server output:\n%s", port, err, logs.String())
	}
	e.proxyURL = startForwarder(t, e.URL)
	e.Reset(t)
	return e
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (e *Env) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		resp, err := e.client.Get(e.URL + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s: %w", limit, last)
}

// Reset empties moto (POST /moto-api/reset), assumes every account again
// and rewrites the config and credentials files in place.
func (e *Env) Reset(t testing.TB) {
	t.Helper()
	if e.sandbox != nil {
		e.resetSandbox(t)
		return
	}
	resp, err := e.client.Post(e.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("testenv: reset moto: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("testenv: reset moto: %s", resp.Status)
	}
	e.Owner = e.assume(t, OwnerAccount, "owner")
	e.Consumer = e.assume(t, ConsumerAccount, "consumer")
	for i, a := range e.extra {
		e.extra[i] = e.assume(t, a.ID, a.Profile)
	}
	e.writeFiles(t)
}

// Assume returns credentials acting in account (profile "acct-ACCOUNT"),
// kept across Reset.
func (e *Env) Assume(t testing.TB, account string) Account {
	t.Helper()
	switch account {
	case e.Owner.ID:
		return e.Owner
	case e.Consumer.ID:
		return e.Consumer
	}
	for _, a := range e.extra {
		if a.ID == account {
			return a
		}
	}
	var a Account
	if e.sandbox != nil {
		a = e.sandboxAccount(t, account, "acct-"+account)
	} else {
		a = e.assume(t, account, "acct-"+account)
	}
	e.extra = append(e.extra, a)
	e.writeFiles(t)
	return a
}

// Accounts returns every account with credentials: owner, consumer, then the
// ones from Assume.
func (e *Env) Accounts() []Account {
	return append([]Account{e.Owner, e.Consumer}, e.extra...)
}
