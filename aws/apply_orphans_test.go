package aws_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// Unique IDs that IAM would leave in place of deleted principals.
const (
	goneRole = "AROAZZZZORPHANROLE001"
	goneUser = "AIDAZZZZORPHANUSER001"
)

// orphanedBucketPolicy: a statement naming only a deleted role (it goes), one
// naming a deleted user and a live account (it keeps the account), and a
// statement without a unique ID (untouched).
const orphanedBucketPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"GoneRole","Effect":"Allow","Principal":{"AWS":"` + goneRole + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/old/*"},
 {"Sid":"Mixed","Effect":"Allow","Principal":{"AWS":["` + goneUser + `","arn:aws:iam::999988887777:root"]},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::analytics-exports"},
 {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/partner/*"}]}`

// cleanedBucketPolicy is orphanedBucketPolicy with the unique IDs removed.
const cleanedBucketPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"Mixed","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999988887777:root"]},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::analytics-exports"},
 {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/partner/*"}]}`

const orphanedAPPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"OldReader","Effect":"Allow","Principal":{"AWS":["` + goneRole + `","arn:aws:iam::111122223333:role/key-admin"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:eu-west-1:111122223333:accesspoint/analytics-ap/object/old/*"}]}`

const orphanedKeyStatement = `{"Sid":"GoneUser","Effect":"Allow","Principal":{"AWS":"` + goneUser + `"},"Action":"kms:Decrypt","Resource":"*"}`

// seedOrphans stores unique-ID principals in the bucket policy, the access
// point policy and the key policy. moto stores such documents as given (AWS
// only ever produces them itself, when a named principal is deleted).
func (w *world) seedOrphans(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	w.putBucketPolicy(t, orphanedBucketPolicy)
	ctl := w.owner().S3Control(testenv.Region)
	must(ctl.CreateAccessPoint(ctx, &s3control.CreateAccessPointInput{AccountId: sdk.String(testenv.OwnerAccount), Name: sdk.String("analytics-ap"), Bucket: sdk.String(plan.ExBucket)}))(t)
	must(ctl.PutAccessPointPolicy(ctx, &s3control.PutAccessPointPolicyInput{AccountId: sdk.String(testenv.OwnerAccount), Name: sdk.String("analytics-ap"), Policy: sdk.String(orphanedAPPolicy)}))(t)
	kc := w.owner().KMS(testenv.Region)
	kp := must(kc.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &w.keyARN, PolicyName: sdk.String("default")}))(t)
	var doc map[string]any
	if err := json.Unmarshal([]byte(sdk.ToString(kp.Policy)), &doc); err != nil {
		t.Fatal(err)
	}
	var extra any
	_ = json.Unmarshal([]byte(orphanedKeyStatement), &extra)
	doc["Statement"] = append(doc["Statement"].([]any), extra)
	raw, _ := json.Marshal(doc)
	must(kc.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &w.keyARN, PolicyName: sdk.String("default"), Policy: sdk.String(string(raw))}))(t)
}

// TestOrphanedPrincipals: unique-ID principals in the bucket, access point
// and key policies stop the apply before any write and name every
// statement; with RemoveOrphanedPrincipals exactly those entries go (a
// statement only when no principal is left), the diff shows it, nothing
// else changes, a second apply changes nothing, and undo restores the
// documents as they were, unique IDs included.
func TestOrphanedPrincipals(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	w.seedOrphans(t)
	file := offlinePlan(t, w.example(t, "access-point/kms-read-write"))
	before := w.snapshot(t, file)

	_, err := aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{})
	var oe *aws.OrphanError
	if !errors.Is(err, aws.ErrOrphanedPrincipals) || !errors.As(err, &oe) {
		t.Fatalf("prepare with orphaned principals: %v", err)
	}
	for _, want := range []string{
		"stopped before any write", "statement GoneRole: " + goneRole, "statement Mixed: " + goneUser,
		"statement OldReader: " + goneRole, "statement GoneUser: " + goneUser, "bucket policy of analytics-exports",
		"policy of access point analytics-ap", "key policy of", "--remove-orphaned-principals",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("a stopped prepare wrote:\n%s", strings.Join(d, "\n"))
	}

	prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{RemoveOrphanedPrincipals: true}))(t)
	dropped := map[string]bool{}
	for _, o := range prep.Orphans {
		dropped[o.Statement] = o.Dropped
	}
	if len(prep.Orphans) != 4 || !dropped["GoneRole"] || dropped["Mixed"] || !dropped["GoneUser"] || dropped["OldReader"] {
		t.Fatalf("orphans found: %+v", prep.Orphans)
	}
	for _, ps := range prep.Steps {
		if ps.Ref.Type == journal.BucketPolicy && !strings.Contains(ps.Diff, goneRole) {
			t.Errorf("the bucket policy diff does not show %s going:\n%s", goneRole, ps.Diff)
		}
	}
	res := must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
	if res.Outcome != journal.OutcomeApplied || len(res.OrphansRemoved) != 4 {
		t.Fatalf("apply: %+v", res)
	}
	after := w.snapshot(t, file)
	for key, doc := range after {
		if strings.Contains(doc, "AROA") || strings.Contains(doc, "AIDA") {
			t.Errorf("%s still holds a unique ID: %s", key, doc)
		}
	}
	// Every statement other than s3grant's is the cleaned original, exactly.
	clean := must(policy.Parse([]byte(cleanedBucketPolicy)))(t)
	live := w.bucketPolicy(t)
	foreign := policy.Foreign(live, prep.Plan.SidPrefix)
	if len(foreign) != len(clean.Statement) {
		t.Errorf("foreign statements after apply: %d, want %d", len(foreign), len(clean.Statement))
	}
	for _, st := range clean.Statement {
		if !hasStatement(live, st) {
			t.Errorf("apply changed or lost %s", st.Canonical())
		}
	}

	again := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t)
	if n := again.Changes(); n != 0 {
		t.Errorf("a second prepare wants %d writes", n)
	}
	must(aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)}))(t)
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("undo did not restore the documents with their unique IDs:\n%s", strings.Join(d, "\n"))
	}
}

// TestUndoWhenAWSRefusesOrphans: AWS refuses to store a unique ID again
// ("Invalid principal in policy"), which moto does not. The proxy answers
// undo's PutBucketPolicy as AWS would; undo then restores the document
// without the unique IDs (they matched no one) and says so.
func TestUndoWhenAWSRefusesOrphans(t *testing.T) {
	env := testenv.Start(t)
	proxy := env.StartFaultProxy(t)
	ctx := context.Background()
	w := newWorld(t, env, proxy.URL, 1)
	w.putBucketPolicy(t, orphanedBucketPolicy)
	file := offlinePlan(t, w.example(t, "bucket-policy/read"))
	prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{RemoveOrphanedPrincipals: true}))(t)
	res := must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)

	proxy.ArmErrorOn("PUT /"+plan.ExBucket+"?policy", 400, "MalformedPolicy", "Invalid principal in policy")
	undone, err := aws.Undo(ctx, res.RunID, w.accts, aws.UndoOptions{ApplyOptions: fastApply(w)})
	if hit := proxy.Disarm(); hit == "" {
		t.Fatal("undo never wrote the bucket policy")
	}
	if err != nil || undone.Outcome != journal.OutcomeUndone {
		t.Fatalf("undo: %v %+v", err, undone)
	}
	if !strings.Contains(undone.Message, "restored without the unique IDs "+goneRole+", "+goneUser) || !strings.Contains(undone.Message, "Invalid principal") {
		t.Errorf("undo does not say what it could not restore: %s", undone.Message)
	}
	if got, want := w.bucketPolicy(t), must(policy.Parse([]byte(cleanedBucketPolicy)))(t); !policy.Equal(got, want) {
		t.Errorf("after undo:\n%s\nwant\n%s", got.Canonical(), want.Canonical())
	}
}

// TestOrphanOnlyInNotPrincipal: a NotPrincipal holding nothing but a unique
// ID cannot be cleaned without changing whom the Deny exempts: s3grant
// stops even with RemoveOrphanedPrincipals and says to edit it by hand.
func TestOrphanOnlyInNotPrincipal(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	w := newWorld(t, env, "", 0)
	w.putBucketPolicy(t, `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyOldAdmin","Effect":"Deny","NotPrincipal":{"AWS":"`+goneRole+`"},"Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::analytics-exports"}]}`)
	file := offlinePlan(t, w.example(t, "bucket-policy/read"))
	before := w.snapshot(t, file)
	_, err := aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{RemoveOrphanedPrincipals: true})
	if !errors.Is(err, aws.ErrOrphanedPrincipals) || !strings.Contains(err.Error(), "OnlyOldAdmin") || !strings.Contains(err.Error(), "by hand") {
		t.Fatalf("prepare: %v", err)
	}
	if d := diffSnapshots(before, w.snapshot(t, file)); len(d) > 0 {
		t.Fatalf("written:\n%s", strings.Join(d, "\n"))
	}
}
