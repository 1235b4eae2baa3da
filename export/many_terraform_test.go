package export

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/s3grant/s3grant/plan"
)

// parseHCLFile parses one file of the bundle with the HCL parser Terraform
// uses.
func parseHCLFile(t *testing.T, b *Bundle, name string) *hclsyntax.Body {
	t.Helper()
	f, diags := hclparse.NewParser().ParseHCL(fileData(t, b, name), name)
	if diags.HasErrors() {
		t.Fatalf("%s does not parse: %s\n%s", name, diags.Error(), fileData(t, b, name))
	}
	return f.Body.(*hclsyntax.Body)
}

// terraformDocsIn reads the policy attributes and ACL blocks of every
// resource of one file.
func terraformDocsIn(t *testing.T, b *Bundle, name, ownerID string) []found {
	t.Helper()
	var out []found
	for _, blk := range parseHCLFile(t, b, name).Blocks {
		if blk.Type != "resource" {
			continue
		}
		for _, attr := range []string{"policy", "assume_role_policy"} {
			if a, ok := blk.Body.Attributes[attr]; ok {
				out = append(out, found{where: name + " " + strings.Join(blk.Labels, "."), json: []byte(literal(t, a))})
			}
		}
		for _, acp := range blk.Body.Blocks {
			if acp.Type == "access_control_policy" {
				out = append(out, found{where: name, acl: terraformACL(t, acp.Body, ownerID)})
			}
		}
	}
	return out
}

func traversalOf(t *testing.T, e hcl.Expression) string {
	t.Helper()
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		e = k.Wrapped
	}
	tr, diags := hcl.AbsTraversalForExpr(e)
	if diags.HasErrors() {
		t.Fatalf("not a reference: %s", diags.Error())
	}
	return traversalString(tr)
}

// checkTerraformModules: the root module declares a provider per account
// (an alias each); each grant has a module block whose source is a file of
// the bundle and whose providers map passes root aliases to exactly the
// configuration_aliases the module declares; every resource of a module
// uses a declared alias; each bucket's policy is one resource, in the root
// module after every grant module when several grants write it.
func checkTerraformModules(t *testing.T, plans []*plan.Plan, b *Bundle) {
	t.Helper()
	root := parseHCLFile(t, b, TerraformFile)
	declared := map[string]bool{}
	var modules []string
	for _, blk := range root.Blocks {
		switch blk.Type {
		case "provider":
			declared["aws."+literal(t, blk.Body.Attributes["alias"])] = true
		case "module":
			modules = append(modules, "module."+blk.Labels[0])
		}
	}
	if len(modules) != len(plans) || len(b.Files) != len(plans)+1 {
		t.Fatalf("%d module blocks and %d files for %d grants", len(modules), len(b.Files), len(plans))
	}
	policies := map[string]int{} // bucket -> aws_s3_bucket_policy resources
	for _, blk := range root.Blocks {
		switch blk.Type {
		case "module":
			checkModuleBlock(t, b, blk, declared, policies)
		case "resource":
			if blk.Labels[0] == "aws_s3_bucket_policy" {
				policies[literal(t, blk.Body.Attributes["bucket"])]++
			}
			var deps []string
			for _, e := range blk.Body.Attributes["depends_on"].Expr.(*hclsyntax.TupleConsExpr).Exprs {
				deps = append(deps, traversalOf(t, e))
			}
			if !slices.Equal(deps, modules) {
				t.Errorf("the root module's %v depends on %v, want every module %v", blk.Labels, deps, modules)
			}
		}
	}
	for bucket, n := range policies {
		if n != 1 {
			t.Errorf("%d aws_s3_bucket_policy resources for %s: they would overwrite each other", n, bucket)
		}
	}
}

func checkModuleBlock(t *testing.T, b *Bundle, blk *hclsyntax.Block, declared map[string]bool, policies map[string]int) {
	t.Helper()
	file := strings.TrimPrefix(literal(t, blk.Body.Attributes["source"]), "./") + "/main.tf"
	passed := map[string]bool{}
	for _, item := range blk.Body.Attributes["providers"].Expr.(*hclsyntax.ObjectConsExpr).Items {
		k, v := traversalOf(t, item.KeyExpr), traversalOf(t, item.ValueExpr)
		if !declared[v] {
			t.Errorf("module %s gets %s, which the root module does not declare", blk.Labels[0], v)
		}
		passed[k] = true
	}
	mod := parseHCLFile(t, b, file)
	aliases := map[string]bool{}
	for _, tb := range mod.Blocks {
		if tb.Type != "terraform" {
			continue
		}
		aws := tb.Body.Blocks[0].Body.Attributes["aws"].Expr.(*hclsyntax.ObjectConsExpr)
		for _, item := range aws.Items {
			if hcl.ExprAsKeyword(item.KeyExpr) == "configuration_aliases" {
				for _, e := range item.ValueExpr.(*hclsyntax.TupleConsExpr).Exprs {
					aliases[traversalOf(t, e)] = true
				}
			}
		}
	}
	if len(aliases) == 0 || !mapsEqual(aliases, passed) {
		t.Errorf("%s declares configuration_aliases %v, the module block passes %v", file, aliases, passed)
	}
	for _, r := range mod.Blocks {
		if r.Type != "resource" && r.Type != "data" {
			continue
		}
		if p := traversalOf(t, r.Body.Attributes["provider"].Expr); !aliases[p] {
			t.Errorf("%s %v uses provider %s, not declared in configuration_aliases", file, r.Labels, p)
		}
		if r.Labels[0] == "aws_s3_bucket_policy" {
			policies[literal(t, r.Body.Attributes["bucket"])]++
		}
	}
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// TestTerraformModulesSingleGrant: every example, as a list of one grant,
// is a root module and the grant's module, which parse, pass the provider
// checks, and hold the plan's documents exactly, in step order.
func TestTerraformModulesSingleGrant(t *testing.T) {
	for name, p := range examplePlans(t) {
		b := exportManyOK(t, []*plan.Plan{p}, FormatTerraform)
		checkTerraformModules(t, []*plan.Plan{p}, b)
		got := terraformDocsIn(t, b, TerraformModuleFile(p.GrantID), testOwnerCanonicalID)
		sameDocs(t, name+" module", got, planDocs(p, func(*plan.Document) bool { return true }), testOwnerCanonicalID)
	}
}
