package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// TerraformModuleFile is the path of a grant's module.
func TerraformModuleFile(grantID string) string {
	return "modules/grant-" + strings.ToLower(grantID) + "/main.tf"
}

// manyAlias is an account's provider alias in the root module and in every
// grant module: owner, or consumer_ACCOUNT.
func manyAlias(a account) string {
	if a.side == templates.Owner {
		return "owner"
	}
	return "consumer_" + a.id
}

// terraformModules writes a root module (main.tf) with one aws provider
// per account (an alias each) and one module per grant, which declares the
// aliases it uses in configuration_aliases and receives them through the
// module block's providers map. A document several grants write (a
// bucket's policy, a key's policy) is one resource of the root module with
// every grant's statements, after the grant modules: Terraform owns the
// whole document, so two resources for one bucket policy would overwrite
// each other on every apply.
//   - https://developer.hashicorp.com/terraform/language/modules/develop/providers
//   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy
func terraformModules(plans []*plan.Plan, owner *ownerSide, o Options) (*Bundle, error) {
	root := &tf{
		p: owner.plan, o: o, f: hclwrite.NewEmptyFile(),
		used: map[string]bool{}, roles: map[string]string{}, accessPoints: map[string]string{},
		alias: manyAlias,
	}
	root.body = root.f.Body()
	accts := manyAccounts(plans)
	root.comment(fmt.Sprintf("s3grant %s: grants %s, one module each, with a provider per account.",
		o.Version, owner.plan.GrantID),
		"", "Every policy is the plans' document exactly as s3grant produced it. A policy several grants",
		"write is one resource of this root module holding every grant's statements (each grant keeps its",
		"own Sids); Terraform then owns the WHOLE document, so statements added outside this",
		"configuration later would be removed on the next apply.")
	root.body.AppendNewline()
	rp := root.body.AppendNewBlock("terraform", nil).Body().AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{
		"source":  cty.StringVal("hashicorp/aws"),
		"version": cty.StringVal(">= 5.0"),
	}))
	root.body.AppendNewline()
	root.manyVariables(plans, accts)
	for _, a := range accts {
		root.provider(a)
	}
	files := []File{{Path: TerraformFile, Mode: 0o600}}
	var modules []hcl.Traversal
	for _, p := range plans {
		data, used, err := grantModule(p, owner, o)
		if err != nil {
			return nil, err
		}
		if data == nil {
			continue
		}
		name := "grant_" + strings.ToLower(p.GrantID)
		mb := root.body.AppendNewBlock("module", []string{name}).Body()
		dir := strings.TrimSuffix(TerraformModuleFile(p.GrantID), "/main.tf")
		mb.SetAttributeValue("source", cty.StringVal("./"+dir))
		var pairs []hclwrite.ObjectAttrTokens
		for _, a := range used {
			ref := hclwrite.TokensForTraversal(traversal("aws", manyAlias(a)))
			pairs = append(pairs, hclwrite.ObjectAttrTokens{Name: ref, Value: ref})
		}
		mb.SetAttributeRaw("providers", hclwrite.TokensForObject(pairs))
		root.body.AppendNewline()
		modules = append(modules, traversal("module", name))
		files = append(files, File{Path: TerraformModuleFile(p.GrantID), Data: data, Mode: 0o600})
	}
	for _, st := range owner.plan.Steps {
		if d := owner.plan.DocumentFor(st); d == nil || !owner.shared[d.Key()] {
			continue
		}
		if err := root.step(st); err != nil {
			return nil, err
		}
		root.dependsOnModules(modules)
	}
	files[0].Data = hclwrite.Format(root.f.Bytes())
	return &Bundle{Format: FormatTerraform, Files: files}, nil
}

// manyAccounts is the owner, then every consumer account of the plans once.
func manyAccounts(plans []*plan.Plan) []account {
	out := []account{{side: templates.Owner, id: plans[0].Spec.OwnerAccount}}
	for _, p := range plans {
		for _, id := range p.Spec.ConsumerAccounts {
			a := account{side: templates.Consumer, id: id}
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// manyVariables declares the region and each account's profile.
func (t *tf) manyVariables(plans []*plan.Plan, accts []account) {
	v := t.body.AppendNewBlock("variable", []string{"region"}).Body()
	v.SetAttributeValue("description", cty.StringVal("The buckets' region."))
	v.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
	if r := plans[0].Spec.Region; r != "" {
		v.SetAttributeValue("default", cty.StringVal(r))
	}
	t.body.AppendNewline()
	for _, a := range accts {
		v := t.body.AppendNewBlock("variable", []string{manyAlias(a) + "_profile"}).Body()
		desc := fmt.Sprintf("The AWS profile of the %s account %s.", a.side, a.id)
		v.SetAttributeValue("description", cty.StringVal(desc))
		v.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
		v.SetAttributeValue("default", cty.StringVal(t.o.Profile(a.side, a.id)))
		t.body.AppendNewline()
	}
}

// dependsOnModules orders the last resource written after every grant
// module: a shared policy names the principals the modules create.
func (t *tf) dependsOnModules(modules []hcl.Traversal) {
	blocks := t.body.Blocks()
	if len(blocks) == 0 || len(modules) == 0 {
		return
	}
	b := blocks[len(blocks)-1].Body()
	deps := make([]hclwrite.Tokens, 0, len(modules))
	for _, m := range modules {
		deps = append(deps, hclwrite.TokensForTraversal(m))
	}
	b.SetAttributeRaw("depends_on", hclwrite.TokensForTuple(deps))
}

// grantModule writes the grant's module: its steps but the shared
// documents, with the provider aliases it uses declared; nil when the
// grant has nothing of its own.
func grantModule(p *plan.Plan, owner *ownerSide, o Options) ([]byte, []account, error) {
	t := &tf{
		p: p, o: o, f: hclwrite.NewEmptyFile(),
		used: map[string]bool{}, roles: map[string]string{}, accessPoints: map[string]string{},
		alias: manyAlias,
	}
	t.body = t.f.Body()
	t.comment(fmt.Sprintf("s3grant %s: grant %s, %s access to %s for %s by %s.", o.Version, p.GrantID, p.Spec.Access,
		p.Spec.Scope(), strings.Join(p.Spec.ConsumerAccounts, ", "), p.Spec.Method))
	t.body.AppendNewline()
	head := t.body.AppendNewBlock("terraform", nil).Body()
	t.body.AppendNewline()
	var used []account
	for _, st := range p.Steps {
		if d := p.DocumentFor(st); d != nil && st.Account == templates.Owner && owner.shared[d.Key()] {
			continue // in the root module, merged
		}
		if err := t.step(st); err != nil {
			return nil, nil, err
		}
		if a := (account{side: st.Account, id: st.AccountID}); !slices.Contains(used, a) {
			used = append(used, a)
		}
	}
	if len(used) == 0 {
		return nil, nil, nil
	}
	if t.aclOwnerData && !slices.Contains(used, account{side: templates.Owner, id: p.Spec.OwnerAccount}) {
		used = append(used, account{side: templates.Owner, id: p.Spec.OwnerAccount})
	}
	aliases := make([]hclwrite.Tokens, 0, len(used))
	for _, a := range used {
		aliases = append(aliases, hclwrite.TokensForTraversal(traversal("aws", manyAlias(a))))
	}
	aws := hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
		{Name: hclwrite.TokensForIdentifier("source"), Value: hclwrite.TokensForValue(cty.StringVal("hashicorp/aws"))},
		{Name: hclwrite.TokensForIdentifier("version"), Value: hclwrite.TokensForValue(cty.StringVal(">= 5.0"))},
		{Name: hclwrite.TokensForIdentifier("configuration_aliases"), Value: hclwrite.TokensForTuple(aliases)},
	})
	head.AppendNewBlock("required_providers", nil).Body().SetAttributeRaw("aws", aws)
	return hclwrite.Format(t.f.Bytes()), used, nil
}
