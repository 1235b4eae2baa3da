package testenv

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAccountsAndCLI(t *testing.T) {
	SandboxToo(t)
	env := Start(t)
	extra := env.Assume(t, "444455556666")
	for _, a := range []Account{env.Owner, env.Consumer, extra} {
		var id struct{ Account, Arn string }
		if err := json.Unmarshal(env.CLI(t, a.Profile, "sts", "get-caller-identity"), &id); err != nil {
			t.Fatal(err)
		}
		if id.Account != a.ID {
			t.Fatalf("profile %s acts in %s, want %s", a.Profile, id.Account, a.ID)
		}
	}
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", "testenv-bucket",
		"--create-bucket-configuration", "LocationConstraint="+env.Region)
	env.CLI(t, "owner", "s3control", "create-access-point", "--account-id", env.Owner.ID, "--name", "testenv-ap", "--bucket", "testenv-bucket")
	out := env.CLI(t, "owner", "s3control", "list-access-points", "--account-id", env.Owner.ID)
	if !strings.Contains(string(out), "testenv-ap") {
		t.Fatalf("access point not listed through the CLI: %s", out)
	}
	env.Reset(t)
	out = env.CLI(t, "owner", "s3api", "list-buckets")
	if strings.Contains(string(out), "testenv-bucket") {
		t.Fatalf("reset kept the bucket: %s", out)
	}
	var id struct{ Account string }
	_ = json.Unmarshal(env.CLI(t, "consumer", "sts", "get-caller-identity"), &id)
	if id.Account != ConsumerAccount {
		t.Fatalf("after reset consumer acts in %q", id.Account)
	}
	for _, kv := range env.Environ() {
		if strings.HasPrefix(kv, "AWS_ACCESS_KEY_ID=") {
			t.Fatalf("Environ leaks keys: %s", kv)
		}
	}
}
