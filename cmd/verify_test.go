package cmd

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/sandbox"
)

// TestVerifyConsumerAccessPointOnSandbox: `s3grant verify` of a
// consumer-owned access point on the sandbox. The consumer's role may not
// read the access point's alias (s3control:GetAccessPoint): verify says so
// and how to go on; with --access-point-alias every probe answers as the
// policies say, the must-deny ones denied.
func TestVerifyConsumerAccessPointOnSandbox(t *testing.T) {
	sandboxEnv(t)
	ctx := context.Background()
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, errOut := runCLI(t, "plan", "--method", "access-point", "--access-point", "analytics-ap", "--access-point-owner", "consumer",
		"--bucket", sandbox.DemoBucket, "--region", sandbox.Region, "--owner-account", sandbox.OwnerAccount, "--consumer-account", sandbox.ConsumerAccount,
		"--consumer-principal", plan.ExRole, "--prefix", "reports/", "--access", "read", "--out", planFile); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	if code, out, errOut := runWithInput(t, "", "apply", planFile, "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer-admin", "--yes"); code != 0 {
		t.Fatalf("apply: %d\n%s\n%s", code, out, errOut)
	}
	verify := []string{"verify", planFile, "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer"}

	code, out, errOut := runWithInput(t, "", verify...)
	if code != ExitCheckFail || !strings.Contains(out, "--access-point-alias") || !strings.Contains(out, "get-access-point --account-id "+sandbox.ConsumerAccount) {
		t.Fatalf("verify without a readable alias: %d\n%s\n%s", code, out, errOut)
	}

	admin, err := aws.Connect(ctx, aws.ConnectOptions{Profile: "sandbox-consumer-admin"})
	if err != nil {
		t.Fatal(err)
	}
	alias, err := aws.AccessPointAlias(ctx, admin, sandbox.Region, "analytics-ap")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runWithInput(t, "", append(verify, "--access-point-alias", alias, "-o", "json")...)
	var res struct{ Probes []aws.Probe }
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("verify --access-point-alias: %d %v\n%s\n%s", code, err, out, errOut)
	}
	want := map[string]aws.ProbeResult{"list reports/": "allowed", "get-object": "allowed", "outside-grant": "denied", "bypass-access-point": "denied"}
	for _, p := range res.Probes {
		if w, ok := want[p.Name]; ok {
			if p.Result != w || !p.OK {
				t.Errorf("probe %s: %s (ok %v), want %s", p.Name, p.Result, p.OK, w)
			}
			if p.Name != "bypass-access-point" && !strings.Contains(p.Request, alias) {
				t.Errorf("probe %s does not go through the alias: %s", p.Name, p.Request)
			}
			delete(want, p.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("verify did not run %v: %s", want, out)
	}

	if code, _, errOut := runWithInput(t, "", append(verify, "--access-point-alias", "analytics-ap")...); code != ExitBadInput || !strings.Contains(errOut, "-s3alias") {
		t.Errorf("a name that is no alias: %d %s", code, errOut)
	}
}
