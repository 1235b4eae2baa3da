package export

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// tfSchema is the part of the AWS provider's schema the export uses
// (registry.terraform.io/providers/hashicorp/aws, resource docs): required
// and optional arguments, nested blocks, and the attributes others may read.
type tfSchema struct {
	required, optional, blocks, exported []string
}

var tfResources = map[string]tfSchema{
	"aws_s3_bucket_policy":              {required: []string{"bucket", "policy"}},
	"aws_iam_role":                      {required: []string{"assume_role_policy"}, optional: []string{"name", "max_session_duration", "tags"}, exported: []string{"name", "arn", "id"}},
	"aws_iam_role_policy":               {required: []string{"role", "policy"}, optional: []string{"name"}},
	"aws_iam_user_policy":               {required: []string{"user", "policy"}, optional: []string{"name"}},
	"aws_iam_policy":                    {required: []string{"policy"}, optional: []string{"name", "description"}, exported: []string{"arn"}},
	"aws_s3_access_point":               {required: []string{"bucket", "name"}, optional: []string{"account_id", "bucket_account_id"}, blocks: []string{"lifecycle"}, exported: []string{"arn", "alias"}},
	"aws_s3control_access_point_policy": {required: []string{"access_point_arn", "policy"}},
	"aws_kms_key_policy":                {required: []string{"key_id", "policy"}},
	"aws_s3_bucket_acl":                 {required: []string{"bucket"}, optional: []string{"expected_bucket_owner"}, blocks: []string{"access_control_policy"}},
}

var tfData = map[string]tfSchema{"aws_canonical_user_id": {exported: []string{"id"}}}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tfDecl is what main.tf declares.
type tfDecl struct {
	vars, aliases map[string]bool
	resources     map[string]string // "type.name" -> type
	data          map[string]string
}

func declarations(t *testing.T, body *hclsyntax.Body) tfDecl {
	t.Helper()
	d := tfDecl{vars: map[string]bool{}, aliases: map[string]bool{}, resources: map[string]string{}, data: map[string]string{}}
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			d.vars[b.Labels[0]] = true
		case "provider":
			alias := literal(t, b.Body.Attributes["alias"])
			if d.aliases[alias] {
				t.Errorf("provider alias %s declared twice", alias)
			}
			d.aliases[alias] = true
		case "resource":
			d.resources[b.Labels[0]+"."+b.Labels[1]] = b.Labels[0]
		case "data":
			d.data[b.Labels[0]+"."+b.Labels[1]] = b.Labels[0]
		}
	}
	return d
}

// checkReference resolves one traversal against the declarations.
func (d tfDecl) checkReference(tr hcl.Traversal) error {
	parts := strings.Split(traversalString(tr), ".")
	switch {
	case parts[0] == "var" && len(parts) == 2:
		if !d.vars[parts[1]] {
			return fmt.Errorf("var.%s is not declared", parts[1])
		}
		return nil
	case parts[0] == "aws" && len(parts) == 2:
		if !d.aliases[parts[1]] {
			return fmt.Errorf("provider aws.%s is not declared", parts[1])
		}
		return nil
	case parts[0] == "data" && len(parts) == 4:
		typ, ok := d.data[parts[1]+"."+parts[2]]
		if !ok || !has(tfData[typ].exported, parts[3]) {
			return fmt.Errorf("%s does not resolve", strings.Join(parts, "."))
		}
		return nil
	case len(parts) == 2 || len(parts) == 3:
		typ, ok := d.resources[parts[0]+"."+parts[1]]
		if !ok {
			return fmt.Errorf("resource %s.%s is not declared", parts[0], parts[1])
		}
		if len(parts) == 3 && !has(tfResources[typ].exported, parts[2]) {
			return fmt.Errorf("%s has no attribute %s", typ, parts[2])
		}
		return nil
	}
	return fmt.Errorf("unexpected reference %s", strings.Join(parts, "."))
}

// TestTerraformValid parses every generated main.tf back with the HCL
// parser and checks every resource against the provider's schema and every
// reference against what the file declares.
func TestTerraformValid(t *testing.T) {
	for name, p := range examplePlans(t) {
		body := parseHCL(t, exportOK(t, p, FormatTerraform))
		d := declarations(t, body)
		for _, a := range accounts(p) {
			if !d.aliases[tfAlias(p, a)] {
				t.Errorf("%s: no provider for %s account %s", name, a.side, a.id)
			}
		}
		var resources []*hclsyntax.Block
		for _, b := range body.Blocks {
			if b.Type == "resource" {
				resources = append(resources, b)
				checkResource(t, name, b, d)
			}
			checkReferences(t, name, b, d)
		}
		// One resource per step, in step order, each in its step's account.
		if len(resources) != len(p.Steps) {
			t.Fatalf("%s: %d resources for %d steps", name, len(resources), len(p.Steps))
		}
		for i, st := range p.Steps {
			got := traversalString(resources[i].Body.Attributes["provider"].Expr.(*hclsyntax.ScopeTraversalExpr).Traversal)
			if want := "aws." + tfAlias(p, account{side: st.Account, id: st.AccountID}); got != want {
				t.Errorf("%s: step %d (%s) uses provider %s, want %s", name, st.ID, st.Operation, got, want)
			}
		}
	}
}

func checkResource(t *testing.T, name string, b *hclsyntax.Block, d tfDecl) {
	t.Helper()
	where := name + ": " + strings.Join(b.Labels, ".")
	s, ok := tfResources[b.Labels[0]]
	if !ok {
		t.Errorf("%s: unknown resource type", where)
		return
	}
	for _, r := range s.required {
		if _, ok := b.Body.Attributes[r]; !ok {
			t.Errorf("%s: required argument %s is missing", where, r)
		}
	}
	for n := range b.Body.Attributes {
		if !has(s.required, n) && !has(s.optional, n) && n != "provider" && n != "depends_on" {
			t.Errorf("%s: unknown argument %s", where, n)
		}
	}
	for _, nb := range b.Body.Blocks {
		if !has(s.blocks, nb.Type) {
			t.Errorf("%s: unknown block %s", where, nb.Type)
		}
	}
	if _, ok := b.Body.Attributes["provider"]; !ok {
		t.Errorf("%s: no provider: it would run in the default account", where)
	}
}

// checkReferences resolves every variable reference in the block, nested
// blocks and depends_on included.
func checkReferences(t *testing.T, name string, b *hclsyntax.Block, d tfDecl) {
	t.Helper()
	diags := hclsyntax.VisitAll(b.Body, func(n hclsyntax.Node) hcl.Diagnostics {
		expr, ok := n.(hclsyntax.Expression)
		if !ok {
			return nil
		}
		if tr, ok := expr.(*hclsyntax.ScopeTraversalExpr); ok {
			root := tr.Traversal.RootName()
			if root == "string" || root == "policy" { // type constraints and ignore_changes name, not reference
				return nil
			}
			if err := d.checkReference(tr.Traversal); err != nil {
				t.Errorf("%s: %s: %v", name, strings.Join(append([]string{b.Type}, b.Labels...), "."), err)
			}
		}
		return nil
	})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
}

// TestTerraformReferences: the role policy refers to the role it creates,
// the key policy waits for it, and the access point policy refers to the
// access point.
func TestTerraformReferences(t *testing.T) {
	plans := examplePlans(t)
	for name, wants := range map[string][]string{
		"iam-role/org-kms-no-tls": {"role     = aws_iam_role.s3grant_analytics_exports.name", "depends_on = [aws_iam_role.s3grant_analytics_exports]"},
		"access-point/read":       {"access_point_arn = aws_s3_access_point.access_point_111122223333.arn"},
		"acl/write":               {"data \"aws_canonical_user_id\" \"owner\"", "id   = data.aws_canonical_user_id.owner.id"},
	} {
		text := string(fileData(t, exportOK(t, plans[name], FormatTerraform), TerraformFile))
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: main.tf lacks %q:\n%s", name, w, text)
			}
		}
	}
	if !strings.Contains(string(fileData(t, exportOK(t, plans["acl/write+state"], FormatTerraform), TerraformFile)), `id   = "`+testOwnerCanonicalID+`"`) {
		t.Error("acl/write+state: the known owner is not written")
	}
}
