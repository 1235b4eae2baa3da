package export

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v3"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// The extractors below read the documents back out of each artefact, the way
// the tool that consumes it would, so the tests compare what AWS would get.

// found is one document read back from an artefact, in artefact order.
type found struct {
	where string
	json  []byte      // a policy document
	acl   *policy.ACL // a bucket ACL
}

func fileData(t *testing.T, b *Bundle, name string) []byte {
	t.Helper()
	for _, f := range b.Files {
		if f.Path == name {
			return f.Data
		}
	}
	t.Fatalf("no file %s in the %s bundle", name, b.Format)
	return nil
}

// cliDocs reads the document files in step order (their names start with
// the step number), leaving out the .existing.json preconditions.
func cliDocs(t *testing.T, b *Bundle) []found {
	t.Helper()
	var out []found
	for _, f := range b.Files {
		if !strings.HasPrefix(f.Path, DocsDir+"/") || strings.HasSuffix(f.Path, ".existing.json") {
			continue
		}
		fd := found{where: f.Path}
		if strings.HasSuffix(f.Path, "-bucket-acl.json") {
			a, err := fromAWSACL(f.Data)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			fd.acl = a
		} else {
			fd.json = f.Data
		}
		out = append(out, fd)
	}
	return out
}

// parseHCL parses main.tf with the HCL parser Terraform uses.
func parseHCL(t *testing.T, b *Bundle) *hclsyntax.Body {
	t.Helper()
	f, diags := hclparse.NewParser().ParseHCL(fileData(t, b, TerraformFile), TerraformFile)
	if diags.HasErrors() {
		t.Fatalf("main.tf does not parse: %s\n%s", diags.Error(), fileData(t, b, TerraformFile))
	}
	return f.Body.(*hclsyntax.Body)
}

// literal evaluates an attribute that must not depend on anything.
func literal(t *testing.T, a *hclsyntax.Attribute) string {
	t.Helper()
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("attribute %s is not a literal: %s", a.Name, diags.Error())
	}
	return v.AsString()
}

// terraformDocs reads the policy attributes and ACL blocks of every resource.
func terraformDocs(t *testing.T, b *Bundle, ownerID string) []found {
	t.Helper()
	var out []found
	for _, blk := range parseHCL(t, b).Blocks {
		if blk.Type != "resource" {
			continue
		}
		where := strings.Join(blk.Labels, ".")
		for _, name := range []string{"policy", "assume_role_policy"} {
			if a, ok := blk.Body.Attributes[name]; ok {
				out = append(out, found{where: where, json: []byte(literal(t, a))})
			}
		}
		for _, acp := range blk.Body.Blocks {
			if acp.Type == "access_control_policy" {
				out = append(out, found{where: where, acl: terraformACL(t, acp.Body, ownerID)})
			}
		}
	}
	return out
}

// terraformACL rebuilds the ACL; a reference to the owner's canonical ID
// (data.aws_canonical_user_id.owner.id) stands for ownerID.
func terraformACL(t *testing.T, body *hclsyntax.Body, ownerID string) *policy.ACL {
	t.Helper()
	value := func(a *hclsyntax.Attribute) string {
		if tr, ok := a.Expr.(*hclsyntax.ScopeTraversalExpr); ok {
			if got := traversalString(tr.Traversal); got != "data.aws_canonical_user_id.owner.id" {
				t.Fatalf("unexpected reference %s in the ACL", got)
			}
			return ownerID
		}
		return literal(t, a)
	}
	a := &policy.ACL{Grants: []policy.Grant{}}
	for _, blk := range body.Blocks {
		switch blk.Type {
		case "owner":
			a.Owner = value(blk.Body.Attributes["id"])
		case "grant":
			g := policy.Grant{Permission: literal(t, blk.Body.Attributes["permission"])}
			ge := blk.Body.Blocks[0].Body
			g.Type = literal(t, ge.Attributes["type"])
			if id, ok := ge.Attributes["id"]; ok {
				g.ID = value(id)
			}
			if uri, ok := ge.Attributes["uri"]; ok {
				g.URI = literal(t, uri)
			}
			a.Grants = append(a.Grants, g)
		}
	}
	return a
}

func traversalString(tr hcl.Traversal) string {
	var parts []string
	for _, s := range tr {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ".")
}

// template is a CloudFormation template as a YAML parser reads it.
type template struct {
	Version    string                    `yaml:"AWSTemplateFormatVersion"`
	Parameters map[string]map[string]any `yaml:"Parameters"`
	Resources  yaml.Node                 `yaml:"Resources"`
	Outputs    map[string]map[string]any `yaml:"Outputs"`
}

type cfnResource struct {
	ID         string
	Type       string         `yaml:"Type"`
	DependsOn  any            `yaml:"DependsOn"`
	Properties map[string]any `yaml:"Properties"`
}

// parseTemplate parses a template and returns its resources in file order.
func parseTemplate(t *testing.T, name string, data []byte) (template, []cfnResource) {
	t.Helper()
	var tpl template
	if err := yaml.Unmarshal(data, &tpl); err != nil {
		t.Fatalf("%s does not parse as YAML: %v\n%s", name, err, data)
	}
	var out []cfnResource
	for i := 0; i+1 < len(tpl.Resources.Content); i += 2 {
		var r cfnResource
		if err := tpl.Resources.Content[i+1].Decode(&r); err != nil {
			t.Fatalf("%s: resource %s: %v", name, tpl.Resources.Content[i].Value, err)
		}
		r.ID = tpl.Resources.Content[i].Value
		out = append(out, r)
	}
	return tpl, out
}

// cfnDocs reads the plan's documents out of one template, leaving out the
// custom resource writer's own role.
func cfnDocs(t *testing.T, name string, data []byte, ownerID string) []found {
	t.Helper()
	_, resources := parseTemplate(t, name, data)
	var out []found
	asJSON := func(v any) []byte {
		if s, ok := v.(string); ok {
			return []byte(s)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return b
	}
	for _, r := range resources {
		where := path.Join(name, r.ID)
		if r.ID == writerRoleID {
			continue
		}
		for _, k := range []string{"AssumeRolePolicyDocument", "PolicyDocument", "Policy"} {
			if v, ok := r.Properties[k]; ok {
				out = append(out, found{where: where, json: asJSON(v)})
			}
		}
		if v, ok := r.Properties["AccessControlPolicy"]; ok {
			text, _ := v.(string)
			if m, ok := v.(map[string]any); ok {
				text = strings.ReplaceAll(m["Fn::Sub"].(string), "${"+OwnerCanonicalIDParam+"}", ownerID)
			}
			a, err := fromAWSACL([]byte(text))
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			out = append(out, found{where: where, acl: a})
		}
	}
	return out
}

// planDocs are the plan's documents of the given accounts, in step order.
func planDocs(p *plan.Plan, keep func(*plan.Document) bool) []*plan.Document {
	var out []*plan.Document
	for _, st := range p.Steps {
		if d := p.DocumentFor(st); d != nil && keep(d) {
			out = append(out, d)
		}
	}
	return out
}

// sameDocs checks found against the plan's documents one by one: policies
// byte-identical after policy.Parse + Canonical, ACLs after Canonical. An
// ACL the plan made without knowing the owner is compared with the owner's
// FULL_CONTROL the artefact adds.
func sameDocs(t *testing.T, what string, got []found, want []*plan.Document, ownerID string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d documents, the plan has %d", what, len(got), len(want))
	}
	for i, d := range want {
		g := got[i]
		if d.ACL != nil {
			if g.acl == nil {
				t.Fatalf("%s: %s holds a policy where the plan has the ACL of %s", what, g.where, d.Target)
			}
			wantACL := d.ACL
			if d.ACL.Owner == "" && ownerID != "" && g.acl.Owner == ownerID {
				wantACL, _ = fromAWSACL(toAWSACL(d.ACL, ownerID).indented())
			}
			if string(g.acl.Canonical()) != string(wantACL.Canonical()) {
				t.Errorf("%s: %s ACL differs from the plan's:\n%s\nwant\n%s", what, g.where, g.acl.Canonical(), wantACL.Canonical())
			}
			continue
		}
		p, err := policy.Parse(g.json)
		if err != nil {
			t.Fatalf("%s: %s: %v\n%s", what, g.where, err, g.json)
		}
		if string(p.Canonical()) != string(d.Policy.Canonical()) {
			t.Errorf("%s: %s differs from the plan's %s %s:\n%s\nwant\n%s", what, g.where, d.Kind, d.Target, p.Canonical(), d.Policy.Canonical())
		}
	}
}

func describe(ex string, f Format) string { return fmt.Sprintf("%s [%s]", ex, f) }
