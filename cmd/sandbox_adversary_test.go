package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/sandbox"
)

// The sandbox end to end for issue 17: the consumer is not on our side. Its
// administrator rewrites its own access point policy and IAM policies after
// the grant; the owner's documents must hold the line alone.

// planAndApply plans args against the sandbox's demo accounts and applies
// it, failing the test on any error; it returns the plan file.
func planAndApply(t *testing.T, args []string, applyExtra ...string) (string, plan.Plan) {
	t.Helper()
	planFile := filepath.Join(t.TempDir(), "plan.json")
	base := []string{
		"plan", "--bucket", sandbox.DemoBucket, "--region", sandbox.Region, "--owner-account", sandbox.OwnerAccount,
		"--consumer-account", sandbox.ConsumerAccount, "--consumer-principal", plan.ExRole, "--out", planFile,
	}
	if code, out, errOut := runCLI(t, append(base, args...)...); code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errOut)
	}
	applyArgs := append([]string{"apply", planFile, "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer-admin", "--yes"}, applyExtra...)
	if code, out, errOut := runWithInput(t, "", applyArgs...); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
	}
	var p plan.Plan
	data, _ := os.ReadFile(planFile)
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	return planFile, p
}

// mustRun runs an AWS CLI command that has to succeed (the consumer's
// administrator rewriting its own documents, the owner's setup).
func (r *sandboxRun) mustRun(t *testing.T, profile string, args ...string) string {
	t.Helper()
	out, stderr, err := r.cli(awsCLIs(t)[0], profile, args...)
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", profile, args, err, stderr)
	}
	return out
}

// everything is the policy an administrator writes to allow all of S3.
func everything(principal string) string {
	p := map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}
	if principal != "" {
		p["Statement"].([]map[string]any)[0]["Principal"] = map[string]any{"AWS": strings.Split(principal, ",")}
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// TestSandboxConsumerWidensAccessPoint: with a consumer-owned access point,
// the consumer's administrator opens its access point policy to a third
// account and to every principal of its own account, and gives them all of
// S3 in IAM: none of them reaches the owner's bucket, and the named role
// gains nothing outside its prefix. (On main the bucket policy delegated to
// Principal "*", and the partner account read the owner's bucket.)
func TestSandboxConsumerWidensAccessPoint(t *testing.T) {
	r := sandboxEnv(t)
	_, p := planAndApply(t, []string{
		"--method", "access-point", "--access-point", "analytics-ap", "--access-point-owner", "consumer",
		"--prefix", "reports/", "--access", "read",
	})
	apARN := p.Spec.AccessPointARN(sandbox.ConsumerAccount)
	wide := everything("arn:aws:iam::" + sandbox.PartnerAccount + ":root,arn:aws:iam::" + sandbox.ConsumerAccount + ":root")
	wide = strings.Replace(wide, `"Resource":"*"`, `"Resource":["`+apARN+`","`+apARN+`/object/*"]`, 1)
	r.mustRun(t, "sandbox-consumer-admin", "s3control", "put-access-point-policy", "--account-id", sandbox.ConsumerAccount, "--name", "analytics-ap", "--policy", wide)
	r.mustRun(t, "sandbox-consumer-admin", "iam", "put-role-policy", "--role-name", sandbox.ConsumerRoleName, "--policy-name", "everything", "--policy-document", everything(""))
	obj := filepath.Join(t.TempDir(), "obj")
	probes := r.throughAlias(t, p, obj)
	alias := probes[0].args[3] // list-objects-v2 --bucket ALIAS
	r.expect(t, "after the consumer widened its documents", "sandbox-consumer", []probe{
		{name: "the named role still reads reports/ through the access point", allow: true, args: getObject(alias, "reports/2026-01.csv", obj)},
		{name: "the named role reads exports/ through the access point", args: getObject(alias, "exports/daily/2026-01-02.json", obj)},
		{name: "the named role deletes through the access point", args: []string{"s3api", "delete-object", "--bucket", alias, "--key", "reports/2026-01.csv"}},
		{name: "the partner account reads reports/ through the consumer's access point", as: "sandbox-partner", args: getObject(alias, "reports/2026-01.csv", obj)},
		{name: "the partner account lists reports/ through the consumer's access point", as: "sandbox-partner", args: listPrefix(alias, "reports/")},
		{name: "the consumer's admin (not named in the grant) reads reports/ through the access point", as: "sandbox-consumer-admin", args: getObject(alias, "reports/2026-01.csv", obj)},
	})
}

// TestSandboxACLWrite: the acl method with --access write. A 12 MB `aws s3
// cp` (a multipart upload) works and the owner reads what the consumer
// wrote; after the consumer's administrator gives the role all of S3, it
// still cannot delete or overwrite the owner's objects, nor upload without
// handing the owner full control. (On main the multipart upload failed on
// UploadPart and the bucket ACL's WRITE deleted the owner's objects.)
func TestSandboxACLWrite(t *testing.T) {
	r := sandboxEnv(t)
	planAndApply(t, []string{"--method", "acl", "--canonical-id", plan.ExCanonical, "--access", "write"}, "--allow-acl-downgrade")
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(big, make([]byte, 12<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := sandbox.DemoBucket
	r.expect(t, "after the grant", "sandbox-consumer", []probe{
		{
			name: "a 12 MB multipart upload with the owner's full control", allow: true,
			args: []string{"s3", "cp", big, "s3://" + b + "/uploads/big.bin", "--acl", "bucket-owner-full-control"},
		},
		{
			name: "a small upload with the owner's full control", allow: true,
			args: []string{"s3api", "put-object", "--bucket", b, "--key", "uploads/small.txt", "--body", small, "--acl", "bucket-owner-full-control"},
		},
		{name: "an upload without the owner's full control", args: []string{"s3api", "put-object", "--bucket", b, "--key", "uploads/mine.txt", "--body", small}},
		{name: "a multipart upload without the owner's full control", args: []string{"s3", "cp", big, "s3://" + b + "/uploads/mine.bin"}},
	})
	r.expect(t, "the owner reads what the consumer wrote", "sandbox-owner", []probe{
		{name: "the owner reads the 12 MB upload", allow: true, args: getObject(b, "uploads/big.bin", filepath.Join(dir, "back"))},
		{name: "the owner reads the small upload", allow: true, args: getObject(b, "uploads/small.txt", filepath.Join(dir, "back2"))},
	})
	r.mustRun(t, "sandbox-consumer-admin", "iam", "put-role-policy", "--role-name", sandbox.ConsumerRoleName, "--policy-name", "everything", "--policy-document", everything(""))
	r.expect(t, "after the consumer gave its role all of S3", "sandbox-consumer", []probe{
		{name: "delete the owner's object", args: []string{"s3api", "delete-object", "--bucket", b, "--key", "reports/2026-01.csv"}},
		{name: "delete what the consumer wrote", args: []string{"s3api", "delete-object", "--bucket", b, "--key", "uploads/small.txt"}},
	})
	// DeleteObjects answers 200 with an error per key it refused.
	out := r.mustRun(t, "sandbox-consumer", "s3api", "delete-objects", "--bucket", b, "--delete", `{"Objects":[{"Key":"reports/2026-02.csv"}]}`)
	if !strings.Contains(out, "AccessDenied") || strings.Contains(out, `"Deleted"`) {
		t.Errorf("delete-objects of the owner's object must be refused per key:\n%s", out)
	}
	r.expect(t, "the owner's objects are still there", "sandbox-owner", []probe{
		{name: "the owner reads reports/2026-01.csv", allow: true, args: getObject(b, "reports/2026-01.csv", filepath.Join(dir, "r1"))},
		{name: "the owner reads reports/2026-02.csv", allow: true, args: getObject(b, "reports/2026-02.csv", filepath.Join(dir, "r2"))},
	})
}

// TestSandboxWriteObjectOwnership: a write grant on a bucket whose Object
// Ownership is ObjectWriter is refused by `plan --live`, naming the fix;
// with BucketOwnerEnforced it applies and the owner reads what the consumer
// wrote. (On main the plan went through on ObjectWriter, and the owner
// could not read the consumer's upload.)
func TestSandboxWriteObjectOwnership(t *testing.T) {
	r := sandboxEnv(t)
	b := sandbox.DemoBucket
	setOwnership := func(o string) {
		r.mustRun(t, "sandbox-owner", "s3api", "put-bucket-ownership-controls", "--bucket", b, "--ownership-controls", `{"Rules":[{"ObjectOwnership":"`+o+`"}]}`)
	}
	live := []string{
		"plan", "--method", "bucket-policy", "--bucket", b, "--region", sandbox.Region, "--owner-account", sandbox.OwnerAccount,
		"--consumer-account", sandbox.ConsumerAccount, "--consumer-principal", plan.ExRole, "--prefix", "uploads/", "--access", "read-write",
		"--live", "--owner-profile", "sandbox-owner", "--consumer-profile", "sandbox-consumer-admin",
	}
	for _, o := range []string{"ObjectWriter", "BucketOwnerPreferred"} {
		setOwnership(o)
		code, out, errOut := runCLI(t, live...)
		if code == 0 || !strings.Contains(errOut, "Object Ownership "+o) || !strings.Contains(errOut, "BucketOwnerEnforced") {
			t.Errorf("plan --live on %s: exit %d, want a refusal naming %s and the fix:\n%s\n%s", o, code, o, out, errOut)
		}
	}
	setOwnership("BucketOwnerEnforced")
	planAndApply(t, []string{"--method", "bucket-policy", "--prefix", "uploads/", "--access", "read-write"})
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.expect(t, "after the grant", "sandbox-consumer", []probe{
		{name: "the consumer uploads", allow: true, args: []string{"s3", "cp", small, "s3://" + b + "/uploads/small.txt"}},
	})
	r.expect(t, "the owner reads what the consumer wrote", "sandbox-owner", []probe{
		{name: "the owner reads the upload", allow: true, args: getObject(b, "uploads/small.txt", filepath.Join(dir, "back"))},
	})
}
