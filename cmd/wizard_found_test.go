package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/sandbox"
)

// The wizard connected to the sandbox, through the same wiring as
// `s3grant --owner-profile ... --consumer-profile ...`: what the accounts
// say is offered as each question's default, and an empty answer puts it
// in the plan.

// wizardConnected runs the plain wizard with both sandbox profiles and the
// answers, one a line.
func wizardConnected(t *testing.T, answers ...string) (int, string) {
	t.Helper()
	code, out, errOut := runWithInput(t, strings.Join(answers, "\n")+"\n",
		"--accessible", "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer-admin")
	return code, out + errOut
}

func wizardPlan(t *testing.T, path, out string) plan.Plan {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no plan saved: %v\n%s", err, out)
	}
	var p plan.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWizardDefaultsFromTheBucket: the demo bucket's default encryption is
// the demo key, named by its bare ID. Pressing enter at the region, the
// KMS yes/no and the key puts the bucket's region and the key's ARN (in
// the owner's account and partition) in the plan.
func TestWizardDefaultsFromTheBucket(t *testing.T) {
	r := sandboxEnv(t)
	r.mustRun(t, "sandbox-owner", "s3api", "put-bucket-encryption", "--bucket", sandbox.DemoBucket, "--server-side-encryption-configuration",
		`{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"`+sandbox.DemoKeyID+`"}}]}`)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	code, out := wizardConnected(t,
		"", "", "", // connect, with the profiles given
		"1", sandbox.DemoBucket, // bucket-policy on the demo bucket
		"",                 // region: the bucket's
		"", "reports/", "", // read reports/, the whole consumer account
		"", "", // encrypted: yes (the bucket's key found), the key: the one found
		"", "", // no organization, deny plain HTTP
		planFile, "no", // save, do not apply
	)
	key := arn.Key(arn.AWS, sandbox.Region, sandbox.OwnerAccount, sandbox.DemoKeyID)
	for _, want := range []string{
		"Default read from the bucket's location", "(empty: " + sandbox.Region + ")",
		"Found " + key + " in the bucket's default encryption.", "(yes/no) [yes]", "(empty: " + key + ")",
		"--region " + sandbox.Region, "--kms-key " + key,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the wizard's output lacks %q", want)
		}
	}
	p := wizardPlan(t, planFile, out)
	if p.Spec.Region != sandbox.Region || p.Spec.KMSKey != key {
		t.Errorf("plan region %q key %q, want %s and %s (exit %d)\n%s", p.Spec.Region, p.Spec.KMSKey, sandbox.Region, key, code, out)
	}
}

// TestWizardCanonicalIDFromTheConsumer: with the acl method, the consumer
// account's canonical ID (ListBuckets as the consumer) is the default
// grantee and reaches the plan.
func TestWizardCanonicalIDFromTheConsumer(t *testing.T) {
	sandboxEnv(t)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	code, out := wizardConnected(t,
		"", "", "",
		"4", "acl", sandbox.DemoBucket, // acl, typed consent to use ACLs
		"", "", "", // region, access (list), principals
		"",         // canonical IDs: the consumer's
		"",         // no consent to turn ACLs back on
		"", "", "", // no KMS key, no organization, deny plain HTTP
		planFile, "no",
	)
	if !strings.Contains(out, "(empty: "+plan.ExCanonical+")") || !strings.Contains(out, "Default read from the consumer account (ListBuckets)") {
		t.Errorf("the canonical ID question does not offer the consumer's ID:\n%s", out)
	}
	if p := wizardPlan(t, planFile, out); len(p.Spec.CanonicalIDs) != 1 || p.Spec.CanonicalIDs[0] != plan.ExCanonical {
		t.Errorf("plan canonical IDs %v, want %s (exit %d)\n%s", p.Spec.CanonicalIDs, plan.ExCanonical, code, out)
	}
}

// TestWizardEncryptionDenied: the owner's bucket policy denies reading the
// default encryption. The region is still offered; the KMS question is
// asked as before (default no, the key not filled) with the reason.
func TestWizardEncryptionDenied(t *testing.T) {
	r := sandboxEnv(t)
	r.mustRun(t, "sandbox-owner", "s3api", "put-bucket-policy", "--bucket", sandbox.DemoBucket, "--policy",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetEncryptionConfiguration","Resource":"arn:aws:s3:::`+sandbox.DemoBucket+`"}]}`)
	// The answers end at the KMS question: reading the plan's live state
	// needs the default encryption too, so it would fail later.
	_, out := wizardConnected(t, "", "", "", "1", sandbox.DemoBucket, "", "", "reports/", "")
	want := "Not pre-filled: GetBucketEncryption was denied (AccessDenied).\nAre the objects encrypted with a customer managed KMS key? (yes/no) [no]:"
	if !strings.Contains(out, want) || !strings.Contains(out, "(empty: "+sandbox.Region+")") {
		t.Errorf("want the region offered and the KMS question asked with the reason %q:\n%s", want, out)
	}
}

// TestWizardDefaultsOnMoto: the same wiring on moto. The bucket's region
// and its key (named by ID in the default encryption) reach the plan; moto's
// canonical IDs are 32 hex digits, which the acl method's rule refuses, so
// the question is asked with that reason instead of a default.
func TestWizardDefaultsOnMoto(t *testing.T) {
	env := motoEnv(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", plan.ExBucket, "--create-bucket-configuration", "LocationConstraint="+env.Region)
	var created struct{ KeyMetadata struct{ KeyID, Arn string } }
	if err := json.Unmarshal(env.CLI(t, "owner", "kms", "create-key"), &created); err != nil {
		t.Fatal(err)
	}
	env.CLI(t, "owner", "s3api", "put-bucket-encryption", "--bucket", plan.ExBucket, "--server-side-encryption-configuration",
		`{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"`+created.KeyMetadata.KeyID+`"}}]}`)
	profiles := []string{"--accessible", "--owner-profile", "owner", "--consumer-profile", "consumer"}
	planFile := filepath.Join(t.TempDir(), "plan.json")
	answers := []string{"", "", "", "1", plan.ExBucket, "", "", "reports/", "", "", "", "", "", planFile, "no"}
	code, out, errOut := runWithInput(t, strings.Join(answers, "\n")+"\n", profiles...)
	p := wizardPlan(t, planFile, out+errOut)
	if p.Spec.Region != env.Region || p.Spec.KMSKey != created.KeyMetadata.Arn || created.KeyMetadata.Arn == "" {
		t.Errorf("plan region %q key %q, want %s and %s (exit %d)\n%s%s", p.Spec.Region, p.Spec.KMSKey, env.Region, created.KeyMetadata.Arn, code, out, errOut)
	}

	answers = []string{"", "", "", "4", "acl", plan.ExBucket, "", "", ""} // up to the canonical IDs
	_, out, errOut = runWithInput(t, strings.Join(answers, "\n")+"\n", profiles...)
	if !strings.Contains(out, "in the consumer account (ListBuckets), refused: must be 64 lowercase hex characters") ||
		!strings.Contains(out, "Canonical user IDs, comma-separated:") {
		t.Errorf("moto's canonical ID should be refused with the rule, the question asked:\n%s%s", out, errOut)
	}
}
