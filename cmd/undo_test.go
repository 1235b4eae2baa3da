package cmd

import (
	"context"
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

	code, out, errOut := runCLI(t, "undo", res.RunID, "--owner-profile", "owner")
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
