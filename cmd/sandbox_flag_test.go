package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/sandbox"
)

// TestSandboxAppIgnoresTheEnvironment: the options --sandbox fills reach
// the sandbox's accounts and keep its journals apart, whatever the
// environment says about AWS (profiles, keys, endpoint, region, CA).
func TestSandboxAppIgnoresTheEnvironment(t *testing.T) {
	run, err := startSandbox(sandbox.Options{}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.stop)
	elsewhere := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE": filepath.Join(elsewhere, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(elsewhere, "credentials"),
		"AWS_PROFILE": "prod", "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_REGION": "ap-southeast-2", "AWS_CA_BUNDLE": filepath.Join(elsewhere, "ca.pem"),
		journal.HomeEnv: elsewhere,
	} {
		t.Setenv(k, v)
	}
	app := run.app(&App{})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	flags := awsFlags{ownerProfile: "sandbox-owner", consumerProfiles: []string{"sandbox-consumer-admin"}}
	accts, err := app.connectAccounts(ctx, flags, accountsWanted{owner: needAlways, consumers: needAlways})
	if err != nil {
		t.Fatalf("connect with the sandbox's options: %v", err)
	}
	if accts.Owner.ID != sandbox.OwnerAccount || accts.Consumers[sandbox.ConsumerAccount] == nil || len(accts.Consumers) != 1 {
		t.Errorf("connected owner %s and consumers %v, want %s and %s", accts.Owner.ID, consumerIDs(accts), sandbox.OwnerAccount, sandbox.ConsumerAccount)
	}
	store, err := app.journal()
	if err != nil || !strings.HasPrefix(store.Dir, run.dir) {
		t.Errorf("journal in %q (%v), want one under the sandbox's directory %s", store.Dir, err, run.dir)
	}
}

// TestSandboxFlagLeavesTheEnvironment: `s3grant --sandbox` changes no
// variable of the process (it used to point AWS_* and S3GRANT_HOME at the
// sandbox, for the rest of the process's life).
func TestSandboxFlagLeavesTheEnvironment(t *testing.T) {
	t.Setenv("AWS_PROFILE", "prod")
	t.Setenv("AWS_REGION", "ap-southeast-2")
	before := slices.Sorted(slices.Values(os.Environ()))
	var out, errOut bytes.Buffer
	app := &App{Build: BuildInfo{}.resolved(), In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	run(t.Context(), app, []string{"--sandbox", "--accessible"})
	if !strings.Contains(errOut.String(), "sandbox stopped") {
		t.Fatalf("the sandbox did not run:\n%s\n%s", out.String(), errOut.String())
	}
	if after := slices.Sorted(slices.Values(os.Environ())); !slices.Equal(before, after) {
		t.Errorf("--sandbox changed the environment:\nbefore %v\nafter  %v", before, after)
	}
}
