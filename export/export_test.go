package export

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/templates"
)

const testOwnerCanonicalID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// foreignBucketPolicy is an existing bucket policy in a shape s3grant
// tolerates (one statement as an object, Version 2008) holding a policy
// variable that Terraform must not interpolate.
const foreignBucketPolicy = `{"Version":"2008-10-17","Id":"Existing","Statement":{"Sid":"HomeDirs","Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["s3:GetObject"],
 "Resource":"arn:aws:s3:::analytics-exports/home/${aws:username}/*"}}`

// knownState is what a plan made against live accounts sees: a foreign
// bucket policy statement and the bucket's ACL with its owner.
func knownState(t *testing.T, s plan.Example) *plan.State {
	t.Helper()
	existing, err := policy.Parse([]byte(foreignBucketPolicy))
	if err != nil {
		t.Fatal(err)
	}
	st := &plan.State{Known: true, BucketACL: &policy.ACL{Owner: testOwnerCanonicalID, Grants: []policy.Grant{
		{Type: policy.GranteeCanonicalUser, ID: testOwnerCanonicalID, Permission: policy.PermFullControl},
		{Type: policy.GranteeGroup, URI: policy.GroupLogDelivery, Permission: policy.PermWrite},
	}}}
	st.SetPolicy(plan.DocKey{Kind: policy.KindBucketPolicy, Target: "arn:aws:s3:::" + s.Spec.Bucket}, existing)
	return st
}

// examplePlans is every example of the gallery planned twice: without state,
// and against a known state with foreign statements to keep.
func examplePlans(t *testing.T) map[string]*plan.Plan {
	t.Helper()
	out := map[string]*plan.Plan{}
	for _, ex := range plan.Examples() {
		for _, known := range []bool{false, true} {
			var st *plan.State
			name := ex.Name
			if known {
				st, name = knownState(t, ex), ex.Name+"+state"
			}
			p, err := plan.New(ex.Spec, st)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			// Round trip through the plan file, as `s3grant export` reads it.
			data, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var back plan.Plan
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out[name] = &back
		}
	}
	return out
}

func exportOK(t *testing.T, p *plan.Plan, f Format) *Bundle {
	t.Helper()
	b, err := Export(p, f, Options{Version: "v1.2.3"})
	if err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return b
}

// TestDocumentsIdenticalToPlan: every document inside every export is the
// plan's document, byte for byte after canonical JSON, for every example.
func TestDocumentsIdenticalToPlan(t *testing.T) {
	all := func(*plan.Document) bool { return true }
	for name, p := range examplePlans(t) {
		t.Run(name, func(t *testing.T) {
			sameDocs(t, describe(name, FormatCLI), cliDocs(t, exportOK(t, p, FormatCLI)), planDocs(p, all), "")
			sameDocs(t, describe(name, FormatTerraform), terraformDocs(t, exportOK(t, p, FormatTerraform), testOwnerCanonicalID),
				planDocs(p, all), testOwnerCanonicalID)
			b := exportOK(t, p, FormatCloudFormation)
			for _, a := range accounts(p) {
				want := planDocs(p, func(d *plan.Document) bool { return d.Account == a.side && d.AccountID == a.id })
				file := CloudFormationFile(a.side, a.id)
				if len(want) == 0 {
					continue
				}
				sameDocs(t, describe(name, FormatCloudFormation)+" "+file, cfnDocs(t, file, fileData(t, b, file), testOwnerCanonicalID), want, testOwnerCanonicalID)
			}
		})
	}
}

// TestForeignStatementsSurvive: with a known state, the bucket policy in each
// export still holds the foreign statement, with its policy variable intact.
func TestForeignStatementsSurvive(t *testing.T) {
	p := examplePlans(t)["bucket-policy/read+state"]
	for _, f := range Formats {
		b := exportOK(t, p, f)
		var text strings.Builder
		for _, file := range b.Files {
			text.Write(file.Data)
		}
		if !strings.Contains(text.String(), "HomeDirs") {
			t.Errorf("%s: the foreign statement HomeDirs is missing", f)
		}
		if f == FormatTerraform && !strings.Contains(text.String(), "home/$${aws:username}/*") {
			t.Errorf("terraform: the policy variable is not escaped:\n%s", text.String())
		}
	}
}

func TestFileModes(t *testing.T) {
	p := examplePlans(t)["iam-role/org-kms-no-tls"]
	for _, f := range Formats {
		for _, file := range exportOK(t, p, f).Files {
			want := uint32(0o600)
			if file.Path == ScriptName {
				want = 0o700
			}
			if file.Mode != want {
				t.Errorf("%s %s: mode %o, want %o", f, file.Path, file.Mode, want)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	p := examplePlans(t)["bucket-policy/read"]
	if _, err := Export(p, Format("pulumi"), Options{}); err == nil || !strings.Contains(err.Error(), "format") {
		t.Fatalf("unknown format: %v", err)
	}
	if _, err := ParseFormat("yaml"); err == nil || !strings.Contains(err.Error(), "terraform") {
		t.Fatalf("ParseFormat: %v", err)
	}
	bad := *p
	bad.FormatVersion = 99
	if _, err := Export(&bad, FormatCLI, Options{}); err == nil || !strings.Contains(err.Error(), "format_version") {
		t.Fatalf("unsupported plan version: %v", err)
	}
}

func TestProfiles(t *testing.T) {
	p := examplePlans(t)["bucket-policy/several-consumers"]
	o := Options{OwnerProfile: "prod-data", ConsumerProfiles: map[string]string{plan.ExConsumer2: "reporting"}}
	script := string(fileData(t, exportOK2(t, p, FormatCLI, o), ScriptName))
	for _, want := range []string{
		`OWNER_PROFILE="${OWNER_PROFILE:-prod-data}"`,
		fmt.Sprintf(`CONSUMER_%s_PROFILE="${CONSUMER_%s_PROFILE:-consumer}"`, plan.ExConsumer, plan.ExConsumer),
		fmt.Sprintf(`CONSUMER_%s_PROFILE="${CONSUMER_%s_PROFILE:-reporting}"`, plan.ExConsumer2, plan.ExConsumer2),
		fmt.Sprintf(`check_account "$CONSUMER_%s_PROFILE" %s`, plan.ExConsumer2, plan.ExConsumer2),
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %s", want)
		}
	}
	if got := o.withDefaults().Profile(templates.Consumer, plan.ExConsumer); got != "consumer" {
		t.Errorf("default consumer profile %q", got)
	}
}

func exportOK2(t *testing.T, p *plan.Plan, f Format, o Options) *Bundle {
	t.Helper()
	b, err := Export(p, f, o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
