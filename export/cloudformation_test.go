package export

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// cfnSchema: required and optional properties of each resource type the
// export writes (CloudFormation User Guide, resource type reference), and
// the attributes Fn::GetAtt may read.
type cfnSchema struct {
	required, optional, getAtt []string
}

var cfnResources = map[string]cfnSchema{
	"AWS::S3::BucketPolicy":   {required: []string{"Bucket", "PolicyDocument"}},
	"AWS::IAM::Role":          {required: []string{"AssumeRolePolicyDocument"}, optional: []string{"RoleName", "MaxSessionDuration", "Tags", "ManagedPolicyArns", "Policies"}, getAtt: []string{"Arn", "RoleId"}},
	"AWS::IAM::RolePolicy":    {required: []string{"PolicyName", "RoleName"}, optional: []string{"PolicyDocument"}},
	"AWS::IAM::UserPolicy":    {required: []string{"PolicyName", "UserName"}, optional: []string{"PolicyDocument"}},
	"AWS::IAM::ManagedPolicy": {required: []string{"PolicyDocument"}, optional: []string{"ManagedPolicyName", "Description"}},
	"AWS::S3::AccessPoint":    {required: []string{"Bucket"}, optional: []string{"Name", "BucketAccountId", "Policy"}, getAtt: []string{"Arn", "Alias", "Name"}},
	// Runtime and Handler are required when the code is a ZipFile.
	"AWS::Lambda::Function": {required: []string{"Code", "Role", "Runtime", "Handler"}, optional: []string{"Description", "Timeout"}, getAtt: []string{"Arn"}},
	CustomKeyPolicy:         {required: []string{"ServiceToken", "KeyId", "Policy"}},
	CustomBucketACL:         {required: []string{"ServiceToken", "Bucket", "ExpectedBucketOwner", "AccessControlPolicy"}},
	// The StackSet template's placeholder: it has no properties.
	"AWS::CloudFormation::WaitConditionHandle": {},
}

// stepResourceTypes is the resource type each step becomes; an access
// point's policy is a property of the access point.
var stepResourceTypes = map[templates.Operation]string{
	templates.OpPutBucketPolicy: "AWS::S3::BucketPolicy", templates.OpCreateRole: "AWS::IAM::Role",
	templates.OpPutRolePolicy: "AWS::IAM::RolePolicy", templates.OpPutUserPolicy: "AWS::IAM::UserPolicy",
	templates.OpCreatePolicy: "AWS::IAM::ManagedPolicy", templates.OpCreateAccessPoint: "AWS::S3::AccessPoint",
	templates.OpPutKeyPolicy: CustomKeyPolicy, templates.OpPutBucketACL: CustomBucketACL,
}

var subVar = regexp.MustCompile(`\$\{([^}!]+)\}`)

// TestCloudFormationValid parses every template and checks resource types,
// required properties, and that every Ref, Fn::GetAtt, Fn::Sub variable and
// DependsOn resolves, and that each account's template holds its steps.
func TestCloudFormationValid(t *testing.T) {
	for name, p := range examplePlans(t) {
		b := exportOK(t, p, FormatCloudFormation)
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
			for param := range tpl.Parameters {
				if !used[param] {
					t.Errorf("%s: parameter %s is never used", where, param)
				}
			}
			for id, out := range tpl.Outputs {
				checkIntrinsics(t, where+" output "+id, out["Value"], ids, tpl, used)
			}
		}
		checkStepsInTemplates(t, name, p, b)
	}
}

func checkCFNResource(t *testing.T, where string, r cfnResource, ids map[string]string, tpl template, used map[string]bool) {
	t.Helper()
	s, ok := cfnResources[r.Type]
	if !ok {
		t.Errorf("%s: unknown resource type %s", where, r.Type)
		return
	}
	for _, req := range s.required {
		if _, ok := r.Properties[req]; !ok {
			t.Errorf("%s: required property %s is missing", where, req)
		}
	}
	for k := range r.Properties {
		if !has(s.required, k) && !has(s.optional, k) {
			t.Errorf("%s: unknown property %s", where, k)
		}
	}
	var deps []string
	switch v := r.DependsOn.(type) {
	case string:
		deps = []string{v}
	case []any:
		for _, d := range v {
			deps = append(deps, fmt.Sprint(d))
		}
	}
	for _, d := range deps {
		if _, ok := ids[d]; !ok {
			t.Errorf("%s: DependsOn %s is not a resource", where, d)
		}
	}
	checkIntrinsics(t, where, r.Properties, ids, tpl, used)
}

// checkIntrinsics walks a value and resolves the intrinsic functions in it.
func checkIntrinsics(t *testing.T, where string, v any, ids map[string]string, tpl template, used map[string]bool) {
	t.Helper()
	known := func(name string) bool {
		_, res := ids[name]
		_, param := tpl.Parameters[name]
		used[name] = true
		return res || param || strings.HasPrefix(name, "AWS::")
	}
	switch v := v.(type) {
	case map[string]any:
		for k, inner := range v {
			switch k {
			case "Ref":
				if !known(fmt.Sprint(inner)) {
					t.Errorf("%s: Ref %v does not resolve", where, inner)
				}
			case "Fn::GetAtt":
				args, _ := inner.([]any)
				if len(args) != 2 {
					t.Errorf("%s: Fn::GetAtt %v", where, inner)
					continue
				}
				typ := ids[fmt.Sprint(args[0])]
				if !has(cfnResources[typ].getAtt, fmt.Sprint(args[1])) {
					t.Errorf("%s: Fn::GetAtt %v: %s has no such attribute", where, args, typ)
				}
			case "Fn::Sub":
				for _, m := range subVar.FindAllStringSubmatch(fmt.Sprint(inner), -1) {
					if !known(m[1]) {
						t.Errorf("%s: Fn::Sub variable %s does not resolve", where, m[1])
					}
				}
			}
			checkIntrinsics(t, where, inner, ids, tpl, used)
		}
	case []any:
		for _, inner := range v {
			checkIntrinsics(t, where, inner, ids, tpl, used)
		}
	}
}

// checkStepsInTemplates: the resources of each account's template, in
// order, are its steps (an access point policy folds into the access point)
// followed only by the custom resource writer.
func checkStepsInTemplates(t *testing.T, name string, p *plan.Plan, b *Bundle) {
	t.Helper()
	for _, a := range accounts(p) {
		var want []string
		for _, st := range p.Steps {
			if st.Account == a.side && st.AccountID == a.id && st.Operation != templates.OpPutAccessPointPolicy {
				want = append(want, stepResourceTypes[st.Operation])
			}
		}
		if len(want) == 0 {
			continue
		}
		file := CloudFormationFile(a.side, a.id)
		_, resources := parseTemplate(t, file, fileData(t, b, file))
		var got []string
		for _, r := range resources {
			if r.ID != writerID && r.ID != writerRoleID {
				got = append(got, r.Type)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s %s: resources %v, steps %v", name, file, got, want)
		}
	}
}

// TestCloudFormationWriterCode compiles the custom resource handler with
// Python, as Lambda would load it.
func TestCloudFormationWriterCode(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed to check the Lambda handler (moto_server's Python has it)")
	}
	cmd := exec.Command(py, "-c", "import ast, sys; ast.parse(sys.stdin.read(), 'index.py')")
	cmd.Stdin = strings.NewReader(writerCode)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the handler does not parse: %v\n%s", err, out)
	}
}

// TestCloudFormationParameters: an ACL whose owner the plan did not read
// asks for the owner's canonical ID; one it read does not.
func TestCloudFormationParameters(t *testing.T) {
	plans := examplePlans(t)
	for name, want := range map[string]bool{"acl/write": true, "acl/write+state": false, "bucket-policy/read": false} {
		tpl, _ := parseTemplate(t, name, fileData(t, exportOK(t, plans[name], FormatCloudFormation), CloudFormationFile(templates.Owner, plan.ExOwner)))
		if _, got := tpl.Parameters[OwnerCanonicalIDParam]; got != want {
			t.Errorf("%s: parameter %s present=%v, want %v", name, OwnerCanonicalIDParam, got, want)
		}
	}
}
