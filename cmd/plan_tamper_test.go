package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// editPlanFile rewrites a saved plan file after edit changed its JSON, as a
// user (or an attacker) with a text editor would.
func editPlanFile(t *testing.T, src, dst string, edit func(m map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(dst, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

func step(m map[string]any, i int) map[string]any { return m["steps"].([]any)[i].(map[string]any) }

func firstStatement(m map[string]any, doc int, part string) map[string]any {
	d := m["documents"].([]any)[doc].(map[string]any)[part].(map[string]any)
	return d["Statement"].([]any)[0].(map[string]any)
}

// tamperedPlans are the edits of issue 12 item 1, on an iam-role plan:
// each must be refused (exit 2, naming what differs) before any AWS call.
var tamperedPlans = []struct {
	name, want string
	edit       func(m map[string]any)
}{
	{"the owner's role steps pointed at an existing admin role", "steps[0].target", func(m map[string]any) {
		step(m, 0)["target"] = adminRoleARN
		step(m, 1)["target"] = adminRoleARN
	}},
	{"an extra consumer account in the spec", "grant_id", func(m map[string]any) {
		s := m["spec"].(map[string]any)
		s["consumer-account"] = append(s["consumer-account"].([]any), "444455556666")
	}},
	{"a * trust policy", "documents[0].document", func(m map[string]any) { firstStatement(m, 0, "document")["Principal"] = "*" }},
	{"s3:* in the role's permissions", "documents[1].document", func(m map[string]any) {
		firstStatement(m, 1, "document")["Action"] = "s3:*"
		firstStatement(m, 1, "generated")["Action"] = "s3:*"
	}},
	{"the prefix removed from the spec", "documents[", func(m map[string]any) { delete(m["spec"].(map[string]any), "prefix") }},
	{"the external ID removed from the spec", "documents[0].document", func(m map[string]any) { delete(m["spec"].(map[string]any), "external-id") }},
	{"an empty prefix in the spec", "prefix: must not be empty", func(m map[string]any) { m["spec"].(map[string]any)["prefix"] = []any{""} }},
	{"documents: null", "documents: is missing or null", func(m map[string]any) { m["documents"] = nil }},
}

const adminRoleARN = "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"

var iamRolePlanArgs = []string{
	"plan", "--method", "iam-role", "--bucket", "analytics-exports",
	"--owner-account", testenv.OwnerAccount, "--consumer-account", testenv.ConsumerAccount,
	"--consumer-principal", "arn:aws:iam::222233334444:role/analytics", "--prefix", "reports/", "--external-id", "partner-7f3c9a",
}

// A tampered plan is refused before any AWS call: apply through a counting
// proxy in front of moto sees zero requests, exit 2 names the field that
// differs, and the admin role the edit pointed at keeps its trust policy.
// On the code before the fix, apply merged s3grant's trust statement into
// the admin role, and the extra consumer account panicked (index out of
// range).
func TestApplyRefusesATamperedPlanBeforeAnyAWSCall(t *testing.T) {
	env := motoEnv(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", "analytics-exports", "--create-bucket-configuration", "LocationConstraint="+env.Region)
	env.CLI(t, "consumer", "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	adminTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`
	env.CLI(t, "owner", "iam", "create-role", "--role-name", "OrganizationAccountAccessRole", "--assume-role-policy-document", adminTrust)
	dir := t.TempDir()
	good := filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, with(iamRolePlanArgs, "--region", env.Region, "--out", good)...); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	proxy := env.StartFaultProxy(t)
	for _, c := range tamperedPlans {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".json")
			editPlanFile(t, good, bad, c.edit)
			before := proxy.Calls()
			code, out, errOut := runCLI(t, "apply", bad, "--yes", "--owner-profile", "owner", "--consumer-profile", "consumer", "--endpoint-url", proxy.URL)
			if code != ExitBadInput || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "PLAN.json") {
				t.Fatalf("apply of a plan with %s: exit %d, want %d naming %q\n%s%s", c.name, code, ExitBadInput, c.want, out, errOut)
			}
			if n := proxy.Calls() - before; n != 0 {
				t.Fatalf("apply of a plan with %s made %d AWS calls before refusing it", c.name, n)
			}
			if code, out, errOut := runCLI(t, "check", bad); code != ExitBadInput || !strings.Contains(errOut, c.want) {
				t.Fatalf("check of a plan with %s: exit %d, want %d naming %q\n%s%s", c.name, code, ExitBadInput, c.want, out, errOut)
			}
		})
	}
	trust := env.CLI(t, "owner", "iam", "get-role", "--role-name", "OrganizationAccountAccessRole", "--query", "Role.AssumeRolePolicyDocument", "--output", "json")
	if strings.Contains(string(trust), "222233334444") || strings.Contains(string(trust), "S3Grant") {
		t.Fatalf("the admin role's trust policy was changed: %s", trust)
	}
	// The untouched plan still applies: the derivation refuses only edits.
	if code, out, errOut := runCLI(t, "apply", good, "--yes", "--owner-profile", "owner", "--consumer-profile", "consumer", "--endpoint-url", proxy.URL); code != 0 {
		t.Fatalf("apply of the plan as written: exit %d\n%s%s", code, out, errOut)
	}
}

// export never writes a hand-edited document: a "*" trust or s3:* in the
// plan file is refused (exit 2) and no file is written. On the code before
// the fix, export wrote both verbatim.
func TestExportRefusesHandEditedDocuments(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, with(iamRolePlanArgs, "--out", good)...); code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	for _, c := range tamperedPlans {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".json")
			editPlanFile(t, good, bad, c.edit)
			outDir := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "-"))
			code, out, errOut := runCLI(t, "export", bad, "--format", "cli", "--out", outDir)
			if code != ExitBadInput || !strings.Contains(errOut, c.want) {
				t.Fatalf("export of a plan with %s: exit %d, want %d naming %q\n%s%s", c.name, code, ExitBadInput, c.want, out, errOut)
			}
			if _, err := os.Stat(outDir); !os.IsNotExist(err) {
				t.Fatalf("export of a plan with %s wrote %s", c.name, outDir)
			}
			if code, out, _ := runCLI(t, "export", bad, "--format", "terraform"); code != ExitBadInput || strings.Contains(out, `"*"`) || strings.Contains(out, "s3:*") {
				t.Fatalf("export --format terraform of a plan with %s: exit %d\n%s", c.name, code, out)
			}
		})
	}
	if code, _, errOut := runCLI(t, "export", good, "--format", "terraform"); code != 0 {
		t.Fatalf("export of the plan as written: exit %d %s", code, errOut)
	}
}

// export proves what it writes: a plan whose merged documents fail the
// access check (here, merged with an existing bucket policy letting anyone
// read) is refused with exit 3 and nothing is written. On the code before
// the fix, export wrote it.
func TestExportRefusesAPlanFailingTheCheck(t *testing.T) {
	s := spec.Spec{
		Method: spec.MethodBucketPolicy, Bucket: "analytics-exports", OwnerAccount: testenv.OwnerAccount,
		ConsumerAccounts: []string{testenv.ConsumerAccount}, Prefixes: []string{"reports/"},
	}
	public, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	st := &plan.State{Known: true}
	st.SetPolicy(plan.DocKey{Kind: policy.KindBucketPolicy, Target: s.BucketARN()}, public)
	p, err := plan.New(s, st)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "plan.json")
	if err := plan.WriteFile(file, p); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	code, _, errOut := runCLI(t, "export", file, "--format", "cli", "--out", outDir)
	if code != ExitCheckFail || !strings.Contains(errOut, "export refused") || !strings.Contains(errOut, "FAIL") {
		t.Fatalf("export of a plan failing the check: exit %d, want %d\n%s", code, ExitCheckFail, errOut)
	}
	if _, err := os.Stat(outDir); !os.IsNotExist(err) {
		t.Fatalf("export of a plan failing the check wrote %s", outDir)
	}
}
