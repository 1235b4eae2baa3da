package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ConfigFile is the shared config file (AWS_CONFIG_FILE) with one profile
// per account, each pointing at moto.
func (e *Env) ConfigFile() string { return filepath.Join(e.dir, "config") }

// CredentialsFile is the shared credentials file (AWS_SHARED_CREDENTIALS_FILE).
func (e *Env) CredentialsFile() string { return filepath.Join(e.dir, "credentials") }

func (e *Env) writeFiles(t testing.TB) {
	t.Helper()
	var cfg, creds strings.Builder
	for _, a := range e.Accounts() {
		fmt.Fprintf(&cfg, "[profile %s]\nregion = %s\nendpoint_url = %s\ns3 =\n  addressing_style = path\n\n",
			a.Profile, e.Region, e.URL)
		fmt.Fprintf(&creds, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n\n",
			a.Profile, a.AccessKeyID, a.SecretAccessKey, a.SessionToken)
	}
	for path, text := range map[string]string{e.ConfigFile(): cfg.String(), e.CredentialsFile(): creds.String()} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatalf("testenv: write %s: %v", path, err)
		}
	}
}

// Environ is os.Environ() without any AWS_ variable, plus the shared config
// and credentials files, the moto endpoint and region, and extra ("K=V").
// Profiles: owner, consumer, acct-ID.
func (e *Env) Environ(extra ...string) []string {
	env := withoutAWS(os.Environ())
	env = append(env,
		"AWS_CONFIG_FILE="+e.ConfigFile(),
		"AWS_SHARED_CREDENTIALS_FILE="+e.CredentialsFile(),
		"AWS_ENDPOINT_URL="+e.URL,
		"AWS_REGION="+e.Region,
		"AWS_DEFAULT_REGION="+e.Region,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	)
	if e.caFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+e.caFile)
	}
	return append(env, extra...)
}

// AccountEnviron is Environ with account a's keys in the environment (the
// default credential chain picks them up).
func (e *Env) AccountEnviron(a Account, extra ...string) []string {
	return e.Environ(append([]string{
		"AWS_ACCESS_KEY_ID=" + a.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + a.SecretAccessKey,
		"AWS_SESSION_TOKEN=" + a.SessionToken,
	}, extra...)...)
}

// withoutAWS drops AWS_* and proxy variables, so a developer's own
// credentials or proxies never reach moto or the tests.
func withoutAWS(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "AWS_"),
			strings.EqualFold(k, "HTTP_PROXY"), strings.EqualFold(k, "HTTPS_PROXY"), strings.EqualFold(k, "NO_PROXY"):
			continue
		}
		out = append(out, kv)
	}
	return out
}
