package cmd

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/testenv"
)

const cmdGoneRole = "AROAZZZZORPHANROLE001"

// TestApplyOrphanedPrincipalsAndPolicyStatus: apply stops before any write
// on a bucket policy holding a unique ID, naming it and the flag; with
// --remove-orphaned-principals the preview shows the removal and asks, the
// JSON summary lists it and the bucket's public status (here from a proxy
// answering GetBucketPolicyStatus as S3 would, since moto does not), and a
// public bucket is said loudly in the text summary.
func TestApplyOrphanedPrincipalsAndPolicyStatus(t *testing.T) {
	env := motoEnv(t)
	proxy := env.StartFaultProxy(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", "analytics-exports", "--create-bucket-configuration", "LocationConstraint="+env.Region)
	env.CLI(t, "consumer", "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	orphaned := `{"Version":"2012-10-17","Statement":[{"Sid":"OldJob","Effect":"Allow","Principal":{"AWS":"` + cmdGoneRole +
		`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/old/*"}]}`
	env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", "analytics-exports", "--policy", orphaned)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, errOut := runCLI(t, "plan", "--method", "bucket-policy", "--bucket", "analytics-exports", "--region", env.Region,
		"--owner-account", testenv.OwnerAccount, "--consumer-account", testenv.ConsumerAccount,
		"--consumer-principal", "arn:aws:iam::222233334444:role/analytics", "--prefix", "reports/", "--out", planFile); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	args := []string{"apply", planFile, "--owner-profile", "owner", "--consumer-profile", "consumer", "--endpoint-url", proxy.URL}

	code, _, errOut := runWithInput(t, "", append(args, "--yes")...)
	if code != ExitFailure || !strings.Contains(errOut, "statement OldJob: "+cmdGoneRole) || !strings.Contains(errOut, "--remove-orphaned-principals") {
		t.Fatalf("apply over an orphaned principal: exit %d\n%s", code, errOut)
	}
	if pol := env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports"); strings.Contains(string(pol), "S3Grant") {
		t.Fatalf("a stopped apply wrote: %s", pol)
	}

	// Asked, not confirmed: the preview shows the removal; nothing is written.
	code, out, _ := runWithInput(t, "no\n", append(args, "--remove-orphaned-principals")...)
	if code != ExitFailure || !strings.Contains(out, "orphaned principals: bucket policy of analytics-exports, statement OldJob") ||
		!regexp.MustCompile(`(?m)^\s*-\s+"AWS": "`+cmdGoneRole+`"`).MatchString(out) || !strings.Contains(out, "removing the orphaned principals of 1 statements") {
		t.Fatalf("unconfirmed apply with removal: exit %d\n%s", code, out)
	}

	proxy.ArmResponseOn("GET /analytics-exports?policyStatus", 200,
		`<?xml version="1.0" encoding="UTF-8"?><PolicyStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsPublic>true</IsPublic></PolicyStatus>`)
	code, out, errOut = runWithInput(t, "yes\n", append(args, "--remove-orphaned-principals", "-o", "json")...)
	if proxy.Disarm() == "" {
		t.Error("apply did not ask GetBucketPolicyStatus")
	}
	if code != ExitOK {
		t.Fatalf("apply with removal: exit %d\n%s\n%s", code, out, errOut)
	}
	var res struct {
		RunID   string `json:"run_id"`
		Removed []struct {
			Statement string   `json:"statement"`
			IDs       []string `json:"ids"`
			Dropped   bool     `json:"dropped"`
		} `json:"orphaned_principals_removed"`
		Status []struct {
			Bucket   string `json:"bucket"`
			Checked  bool   `json:"checked"`
			IsPublic *bool  `json:"is_public"`
		} `json:"bucket_policy_status"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
	if len(res.Removed) != 1 || res.Removed[0].Statement != "OldJob" || res.Removed[0].IDs[0] != cmdGoneRole || !res.Removed[0].Dropped {
		t.Errorf("removed: %+v", res.Removed)
	}
	if len(res.Status) != 1 || !res.Status[0].Checked || res.Status[0].IsPublic == nil || !*res.Status[0].IsPublic {
		t.Errorf("policy status: %+v", res.Status)
	}
	if pol := env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports"); strings.Contains(string(pol), cmdGoneRole) || !strings.Contains(string(pol), "S3Grant") {
		t.Errorf("bucket policy after apply: %s", pol)
	}

	// Text: a public bucket is said loudly; moto's own answer is a note.
	proxy.ArmResponseOn("GET /analytics-exports?policyStatus", 200,
		`<?xml version="1.0" encoding="UTF-8"?><PolicyStatus><IsPublic>true</IsPublic></PolicyStatus>`)
	code, out, _ = runWithInput(t, "", append(args, "--yes")...)
	proxy.Disarm()
	if code != ExitOK || !strings.Contains(out, "!!! PUBLIC BUCKET: analytics-exports !!!") {
		t.Errorf("public bucket in text: exit %d\n%s", code, out)
	}
	code, out, _ = runWithInput(t, "", append(args, "--yes")...)
	if code != ExitOK || !strings.Contains(out, "bucket analytics-exports: could not check whether the bucket policy is public") {
		t.Errorf("unchecked bucket in text: exit %d\n%s", code, out)
	}

	// Undo puts the unique ID back (moto accepts it; see aws.TestUndoWhenAWSRefusesOrphans for AWS).
	if code, out, errOut := runCLI(t, "undo", res.RunID, "--yes", "--owner-profile", "owner", "--consumer-profile", "consumer", "--endpoint-url", proxy.URL); code != ExitOK {
		t.Fatalf("undo: %d\n%s%s", code, out, errOut)
	}
	if pol := env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports"); !strings.Contains(string(pol), cmdGoneRole) || strings.Contains(string(pol), "S3Grant") {
		t.Errorf("bucket policy after undo: %s", pol)
	}
}
