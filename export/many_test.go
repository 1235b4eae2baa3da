package export

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// thirdConsumer is a consumer account of none of the gallery's examples;
// strayAccount is an account of the OU that no grant names.
const (
	thirdConsumer = "777788889999"
	strayAccount  = "999900001111"
)

// roundTrip passes a plan through its file, as `s3grant export` reads it.
func roundTrip(t *testing.T, p *plan.Plan) *plan.Plan {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back plan.Plan
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	return &back
}

// threeGrants are three single-grant plans on the same bucket, one per
// consumer account (read, read-write, list), each planned against the same
// known state (a foreign bucket policy statement to keep).
func threeGrants(t *testing.T) []*plan.Plan {
	t.Helper()
	var out []*plan.Plan
	for i, c := range []struct{ account, role string }{
		{plan.ExConsumer, plan.ExRole}, {plan.ExConsumer2, plan.ExRole2}, {thirdConsumer, "arn:aws:iam::" + thirdConsumer + ":role/billing"},
	} {
		s := plan.BaseSpec(spec.MethodBucketPolicy, []spec.Access{spec.AccessRead, spec.AccessReadWrite, spec.AccessList}[i])
		s.ConsumerAccounts, s.ConsumerPrincipals = []string{c.account}, []string{c.role}
		p, err := plan.New(s, knownState(t, plan.Example{Spec: s}))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, roundTrip(t, p))
	}
	return out
}

func exportManyOK(t *testing.T, plans []*plan.Plan, f Format) *Bundle {
	t.Helper()
	b, err := Many(plans, f, Options{Version: "v1.2.3"})
	if err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return b
}

// stackSetTemplate is what the checks read beyond the single-grant
// template: the conditions, and each resource's.
type stackSetTemplate struct {
	Parameters map[string]map[string]any `yaml:"Parameters"`
	Conditions map[string]any            `yaml:"Conditions"`
	Resources  map[string]struct {
		Condition string `yaml:"Condition"`
	} `yaml:"Resources"`
}

// evalCondition evaluates a condition as CloudFormation would in account
// acct with every parameter at its default.
func evalCondition(t *testing.T, tpl stackSetTemplate, v any, acct string) bool {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		t.Fatalf("condition %v is not one function", v)
	}
	value := func(x any) string {
		if r, ok := x.(map[string]any); ok {
			name := fmt.Sprint(r["Ref"])
			if name == "AWS::AccountId" {
				return acct
			}
			p, ok := tpl.Parameters[name]
			if !ok {
				t.Fatalf("Ref %s is no parameter", name)
			}
			return fmt.Sprint(p["Default"])
		}
		return fmt.Sprint(x)
	}
	for fn, args := range m {
		list, _ := args.([]any)
		switch fn {
		case "Fn::Equals":
			return value(list[0]) == value(list[1])
		case "Fn::And", "Fn::Or":
			if len(list) < 2 || len(list) > 10 {
				t.Errorf("%s takes 2 to 10 conditions, got %d", fn, len(list))
			}
			all, some := true, false
			for _, c := range list {
				r := evalCondition(t, tpl, c, acct)
				all, some = all && r, some || r
			}
			return map[string]bool{"Fn::And": all, "Fn::Or": some}[fn]
		case "Condition":
			return evalCondition(t, tpl, tpl.Conditions[fmt.Sprint(args)], acct)
		}
		t.Fatalf("unknown condition function %s", fn)
	}
	return false
}

// stackSetDocs are the documents the consumer template creates in acct,
// with the IDs of the resources created there.
func stackSetDocs(t *testing.T, data []byte, acct string) ([]found, []string) {
	t.Helper()
	var tpl stackSetTemplate
	if err := yaml.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	var created []string
	for id, r := range tpl.Resources {
		if r.Condition == "" {
			created = append(created, id)
			continue
		}
		c, ok := tpl.Conditions[r.Condition]
		if !ok {
			t.Fatalf("resource %s: condition %s is not defined", id, r.Condition)
		}
		if evalCondition(t, tpl, c, acct) {
			created = append(created, id)
		}
	}
	var out []found
	for _, f := range cfnDocs(t, StackSetConsumerFile, data, "") {
		if slices.Contains(created, filepath.Base(f.where)) {
			out = append(out, f)
		}
	}
	slices.Sort(created)
	return out, created
}

// checkStackSetStructure runs the single-grant template checks (types,
// required properties, every Ref, Fn::GetAtt, Fn::Sub variable and
// DependsOn resolves, every parameter is used) on both templates, and
// checks every condition a resource names is defined.
func checkStackSetStructure(t *testing.T, name string, b *Bundle) {
	t.Helper()
	for _, f := range b.Files {
		tpl, resources := parseTemplate(t, f.Path, f.Data)
		where := name + " " + f.Path
		if tpl.Version != "2010-09-09" {
			t.Errorf("%s: AWSTemplateFormatVersion %q", where, tpl.Version)
		}
		ids := map[string]string{}
		for _, r := range resources {
			ids[r.ID] = r.Type
		}
		used := map[string]bool{}
		for _, r := range resources {
			checkCFNResource(t, where+" "+r.ID, r, ids, tpl, used)
		}
		var ss stackSetTemplate
		if err := yaml.Unmarshal(f.Data, &ss); err != nil {
			t.Fatal(err)
		}
		for id, c := range ss.Conditions {
			checkIntrinsics(t, where+" condition "+id, c, ids, tpl, used)
		}
		for id, r := range ss.Resources {
			if _, ok := ss.Conditions[r.Condition]; r.Condition != "" && !ok {
				t.Errorf("%s %s: condition %s is not defined", where, id, r.Condition)
			}
		}
		for param, p := range tpl.Parameters {
			if !used[param] {
				t.Errorf("%s: parameter %s is never used", where, param)
			}
			if p["Type"] != "String" {
				t.Errorf("%s: parameter %s: %v", where, param, p)
			}
			if strings.HasPrefix(param, "Deploy") && (p["Default"] != "true" || fmt.Sprint(p["AllowedValues"]) != "[true false]") {
				t.Errorf("%s: parameter %s turns a grant on or off, defaulting to on: %v", where, param, p)
			}
		}
		for id, out := range tpl.Outputs {
			checkIntrinsics(t, where+" output "+id, out["Value"], ids, tpl, used)
		}
	}
}

// TestStackSetSingleGrant: every example, as a list of one grant, gives an
// owner template whose documents are the plan's owner documents and a
// consumer template that creates, in each consumer account, exactly that
// account's documents of the plan, and in an account of the OU no grant
// names nothing but the placeholder; both pass the structural checks.
func TestStackSetSingleGrant(t *testing.T) {
	for name, p := range examplePlans(t) {
		t.Run(name, func(t *testing.T) {
			b := exportManyOK(t, []*plan.Plan{p}, FormatStackSet)
			checkStackSetStructure(t, name, b)
			owner := planDocs(p, func(d *plan.Document) bool { return d.Account == templates.Owner })
			sameDocs(t, name+" owner", cfnDocs(t, StackSetOwnerFile, fileData(t, b, StackSetOwnerFile), testOwnerCanonicalID), owner, testOwnerCanonicalID)
			consumer := fileData(t, b, StackSetConsumerFile)
			for _, a := range p.Spec.ConsumerAccounts {
				got, _ := stackSetDocs(t, consumer, a)
				sameDocs(t, name+" consumer "+a, got, planDocs(p, func(d *plan.Document) bool { return d.Account == templates.Consumer && d.AccountID == a }), "")
			}
			if docs, created := stackSetDocs(t, consumer, strayAccount); len(docs) != 0 || strings.Join(created, ",") != "NoGrantPlaceholder" {
				t.Errorf("an account no grant names creates %v", created)
			}
		})
	}
}

// TestExportManyMergesBucketPolicy: three grants on one bucket give ONE
// bucket policy resource (CloudFormation and Terraform each) holding the
// foreign statement once and every grant's statements, equal to merging
// the plans' documents as apply does; each consumer account gets its own
// grant's documents, exactly the plan's.
func TestExportManyMergesBucketPolicy(t *testing.T) {
	plans := threeGrants(t)
	want := plans[0].Documents[0].Policy
	for _, p := range plans[1:] {
		want = policy.Merge(want, p.SidPrefix, p.Documents[0].Generated.Statement)
	}
	wantStmts := len(plans[0].Documents[0].Existing.Statement)
	for _, p := range plans {
		wantStmts += len(p.Documents[0].Generated.Statement)
	}
	if len(want.Statement) != wantStmts {
		t.Fatalf("merged %d statements, want %d", len(want.Statement), wantStmts)
	}
	merged := &plan.Document{Account: templates.Owner, Kind: policy.KindBucketPolicy, Target: "arn:aws:s3:::" + plan.ExBucket, Policy: want}

	b := exportManyOK(t, plans, FormatStackSet)
	checkStackSetStructure(t, "three grants", b)
	_, resources := parseTemplate(t, StackSetOwnerFile, fileData(t, b, StackSetOwnerFile))
	if n := countTypes(resources)["AWS::S3::BucketPolicy"]; n != 1 || len(resources) != 1 {
		t.Errorf("owner template: %d bucket policies in %d resources, want the one", n, len(resources))
	}
	sameDocs(t, "owner template", cfnDocs(t, StackSetOwnerFile, fileData(t, b, StackSetOwnerFile), ""), []*plan.Document{merged}, "")
	for _, p := range plans {
		a := p.Spec.ConsumerAccounts[0]
		got, _ := stackSetDocs(t, fileData(t, b, StackSetConsumerFile), a)
		sameDocs(t, "consumer "+a, got, planDocs(p, func(d *plan.Document) bool { return d.Account == templates.Consumer }), "")
	}

	tb := exportManyOK(t, plans, FormatTerraform)
	root := terraformDocs(t, tb, "")
	sameDocs(t, "terraform root", root, []*plan.Document{merged}, "")
	checkTerraformModules(t, plans, tb)
	for _, p := range plans {
		got := terraformDocsIn(t, tb, TerraformModuleFile(p.GrantID), "")
		sameDocs(t, "terraform module "+p.GrantID, got, planDocs(p, func(d *plan.Document) bool { return d.Account == templates.Consumer }), "")
	}
}

func countTypes(rs []cfnResource) map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		out[r.Type]++
	}
	return out
}

// TestStackSetCfnLint runs cfn-lint, the CloudFormation linter, on the
// templates of the three grants and of one example per method. W2511
// (Version 2008-10-17) is the foreign statement's document as read: s3grant
// keeps its Version, since 2012-10-17 would read its ${aws:username} as a
// policy variable.
func TestStackSetCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint is needed (pip install cfn-lint)")
	}
	dir := t.TempDir()
	var paths []string
	write := func(name string, b *Bundle) {
		for _, f := range b.Files {
			path := filepath.Join(dir, name+"-"+f.Path)
			if err := os.WriteFile(path, f.Data, 0o600); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, path)
		}
	}
	write("three", exportManyOK(t, threeGrants(t), FormatStackSet))
	plans := examplePlans(t)
	for _, name := range []string{"bucket-policy/several-consumers+state", "iam-role/org-kms-no-tls", "access-point/cross-account", "acl/write"} {
		write(strings.ReplaceAll(strings.ReplaceAll(name, "/", "-"), "+", "-"), exportManyOK(t, []*plan.Plan{plans[name]}, FormatStackSet))
	}
	out, err := exec.Command(lint, append([]string{"--ignore-checks", "W2511", "--"}, paths...)...).CombinedOutput()
	if err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}

// TestExportManyRefuses: no grant, a grant given twice, grants of two
// owner accounts, grants planned from different versions of the shared
// bucket policy (merging would drop or resurrect a statement) and a format
// that is not for many accounts are errors naming what is wrong.
func TestExportManyRefuses(t *testing.T) {
	plans := threeGrants(t)
	other := roundTrip(t, plans[1])
	other.Spec.OwnerAccount = thirdConsumer
	stale := *plans[2]
	s := stale.Spec
	fresh, err := plan.New(s, nil) // planned without the foreign statement
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		plans []*plan.Plan
		f     Format
		want  string
	}{
		{"none", nil, FormatStackSet, "no grant"},
		{"twice", []*plan.Plan{plans[0], plans[0]}, FormatStackSet, "grant " + plans[0].GrantID + " is given twice"},
		{"two owners", []*plan.Plan{plans[0], other}, FormatTerraform, "owner account " + thirdConsumer},
		{"two states", []*plan.Plan{plans[0], roundTrip(t, fresh)}, FormatStackSet, "planned from different versions of the bucket-policy of arn:aws:s3:::" + plan.ExBucket},
		{"format", plans, FormatCLI, "several grants export as cloudformation-stackset or terraform"},
	} {
		if _, err := Many(tc.plans, tc.f, Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}
