package cmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// TestUndoOwnerOnlyRun: a run that changed only the owner account (audit
// --fix-logging) is undone with the owner's profile alone. The default
// credential chain holds no credentials here, so connecting a consumer
// account would fail: undo must not try.
func TestUndoOwnerOnlyRun(t *testing.T) {
	env := motoEnv(t)
	for _, b := range []string{"audited", "access-logs"} {
		env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", b, "--create-bucket-configuration", "LocationConstraint="+testenv.Region)
	}
	ctx := context.Background()
	owner, err := aws.Connect(ctx, aws.ConnectOptions{Profile: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	prep, err := aws.PrepareLoggingFix(ctx, owner, aws.LoggingFix{Bucket: "audited", LogBucket: "access-logs"})
	if err != nil {
		t.Fatal(err)
	}
	store, err := journal.DefaultStore()
	if err != nil {
		t.Fatal(err)
	}
	res, err := aws.Apply(ctx, prep, aws.Accounts{Owner: owner}, aws.ApplyOptions{Store: store})
	if err != nil || res.Outcome != journal.OutcomeApplied {
		t.Fatalf("apply the logging fix: %v %+v", err, res)
	}
	if _, err := aws.Connect(ctx, aws.ConnectOptions{}); err == nil {
		t.Fatal("the default credential chain connects: the test would not notice undo connecting a consumer")
	}

	code, out, errOut := runCLI(t, "undo", res.RunID, "--owner-profile", "owner", "--yes")
	if code != ExitOK || !strings.Contains(out, "undone: 2 documents restored") {
		t.Fatalf("undo of an owner-only run: exit %d\n%s%s", code, out, errOut)
	}
	if got := env.CLI(t, "owner", "s3api", "get-bucket-logging", "--bucket", "audited"); strings.Contains(string(got), "access-logs") {
		t.Errorf("undo left logging on: %s", got)
	}
	if _, _, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", "access-logs"); err == nil {
		t.Error("undo left a bucket policy on the log bucket, which had none")
	}

	// The owner's credentials are still checked against the run's owner.
	prep2, err := aws.PrepareLoggingFix(ctx, owner, aws.LoggingFix{Bucket: "audited", LogBucket: "access-logs"})
	if err != nil {
		t.Fatal(err)
	}
	res2, err := aws.Apply(ctx, prep2, aws.Accounts{Owner: owner}, aws.ApplyOptions{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "undo", res2.RunID, "--owner-profile", "consumer")
	if code == ExitOK || !strings.Contains(errOut, "changed owner account "+testenv.OwnerAccount) || !strings.Contains(errOut, "act in "+testenv.ConsumerAccount) {
		t.Fatalf("undo with the wrong owner profile: exit %d %s", code, errOut)
	}
}

// TestUndoUsesRecordedConnection: flags not given come from the run's
// record; flags given win.
func TestUndoUsesRecordedConnection(t *testing.T) {
	rec := &journal.Connection{OwnerProfile: "prod-data", ConsumerProfiles: []string{"analytics"}, Endpoint: "https://127.0.0.1:4566"}
	got := awsFlags{}.orRecorded(rec)
	if got.ownerProfile != "prod-data" || len(got.consumerProfiles) != 1 || got.consumerProfiles[0] != "analytics" || got.endpoint != rec.Endpoint {
		t.Fatalf("recorded connection not used: %+v", got)
	}
	given := awsFlags{ownerProfile: "other", consumerProfiles: []string{"x"}, endpoint: "https://e"}.orRecorded(rec)
	if given.ownerProfile != "other" || given.consumerProfiles[0] != "x" || given.endpoint != "https://e" {
		t.Fatalf("flags given must win: %+v", given)
	}
	if (awsFlags{}).orRecorded(nil).ownerProfile != "" {
		t.Fatal("no record: nothing filled")
	}
}

// testUndoConfirms: undo shows the documents it will restore, per account,
// as a diff from now to after the undo, and asks like apply: with no answer
// on standard input (a script without --yes) it refuses with exit 2 and
// says to pass --yes; answered "no" it writes nothing (exit 1); with --yes
// it restores without asking, and -o json lists what it restored. The run
// is a bucket-policy grant to the consumer account, from apply.
func testUndoConfirms(t *testing.T, env *testenv.Env, runID string) {
	t.Helper()
	policyLeft := func() bool {
		_, _, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", "analytics-exports")
		return err == nil
	}
	code, out, errOut := runCLI(t, "undo", runID)
	if code != ExitBadInput || !strings.Contains(errOut, "--yes") || !strings.Contains(errOut, "nothing was undone") {
		t.Fatalf("undo with no answer on stdin and no --yes: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"Undo of run " + runID + " restores:", "== owner account ==", "== consumer account ==",
		"bucket policy of analytics-exports (" + testenv.OwnerAccount + ")", "(after undo)", "-  \"Version\"",
		"Restore 2 documents in accounts " + testenv.OwnerAccount + " (owner), " + testenv.ConsumerAccount + " (consumer)?",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("undo's preview lacks %q:\n%s", want, out)
		}
	}
	if !policyLeft() {
		t.Fatal("undo refused for want of an answer, yet the bucket policy is gone")
	}
	if code, _, errOut := runWithInput(t, "no\n", "undo", runID); code != ExitFailure || !strings.Contains(errOut, "not confirmed: nothing was undone") || !policyLeft() {
		t.Fatalf("undo answered no: exit %d %s (policy left: %v)", code, errOut, policyLeft())
	}

	code, out, errOut = runCLI(t, "undo", runID, "--yes", "-o", "json")
	var res struct {
		Outcome  journal.Outcome `json:"outcome"`
		Restored []struct {
			Step        int    `json:"step"`
			Account     string `json:"account"`
			AccountID   string `json:"account_id"`
			Description string `json:"description"`
			Diff        string `json:"diff"`
			Deletes     bool   `json:"deletes"`
		} `json:"restored"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK {
		t.Fatalf("undo --yes -o json: exit %d %v\n%s%s", code, err, out, errOut)
	}
	if res.Outcome != journal.OutcomeUndone || len(res.Restored) != 2 {
		t.Fatalf("undo -o json: want outcome undone and 2 documents restored:\n%s", out)
	}
	got := map[string]bool{}
	for _, r := range res.Restored {
		got[r.Account+" "+r.AccountID] = true
		if r.Diff == "" || !strings.Contains(r.Diff, "(after undo)") {
			t.Errorf("restored step %d %s has no diff: %+v", r.Step, r.Description, r)
		}
		if r.Description == "bucket policy of analytics-exports" && !r.Deletes {
			t.Errorf("the bucket policy the run created is deleted by undo, but deletes is false: %+v", r)
		}
	}
	if !got["owner "+testenv.OwnerAccount] || !got["consumer "+testenv.ConsumerAccount] {
		t.Errorf("restored lists %v, want both accounts", got)
	}
	if strings.Contains(out, "Undo of run") {
		t.Errorf("-o json mixes the preview into standard output:\n%s", out)
	}
	if !strings.Contains(errOut, "== owner account ==") {
		t.Errorf("with -o json the preview goes to standard error:\n%s", errOut)
	}
}
