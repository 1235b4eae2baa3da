package export

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// TerraformFile is the name of the generated configuration.
const TerraformFile = "main.tf"

// tf builds the Terraform configuration.
type tf struct {
	p    *plan.Plan
	o    Options
	f    *hclwrite.File
	body *hclwrite.Body
	// names already used per resource type, and the resources later
	// resources refer to: role ARN -> address, access point ARN -> address.
	used         map[string]bool
	roles        map[string]string
	accessPoints map[string]string
	aclOwnerData bool
	// alias names an account's provider; nil: tfAlias.
	alias func(account) string
}

func terraformBundle(p *plan.Plan, o Options) (*Bundle, error) {
	t := &tf{
		p: p, o: o, f: hclwrite.NewEmptyFile(),
		used: map[string]bool{}, roles: map[string]string{}, accessPoints: map[string]string{},
	}
	t.body = t.f.Body()
	t.header()
	for _, st := range p.Steps {
		if err := t.step(st); err != nil {
			return nil, err
		}
	}
	data := hclwrite.Format(t.f.Bytes())
	return &Bundle{Format: FormatTerraform, Files: []File{{Path: TerraformFile, Data: data, Mode: 0o600}}}, nil
}

func (t *tf) comment(lines ...string) {
	for _, l := range lines {
		text := strings.TrimRight("# "+l, " ") + "\n"
		t.body.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(text)}})
	}
}

func (t *tf) header() {
	p := t.p
	t.comment(fmt.Sprintf("s3grant %s: grant %s, %s access to %s for %s by %s.", t.o.Version, p.GrantID, p.Spec.Access,
		p.Spec.Scope(), strings.Join(p.Spec.ConsumerAccounts, ", "), p.Spec.Method))
	t.comment("", "Every policy below is the plan's merged document, exactly as s3grant produced it.",
		"How existing documents were merged: s3grant adds or replaces only the statements whose Sid",
		fmt.Sprintf("starts with %s and keeps every other statement exactly as it was read. Terraform", p.SidPrefix),
		"then owns the WHOLE document (aws_s3_bucket_policy, aws_kms_key_policy and the inline policies",
		"replace what is there), so statements added outside this file later would be removed on the",
		"next apply: merge them here, or re-run s3grant plan and export again.")
	if !p.StateKnown {
		t.comment("", "WARNING: the plan was made without reading the accounts, so each document holds",
			"s3grant's statements alone. Applying REPLACES any bucket, key or access point policy that",
			"exists. Run s3grant plan --live and export again before applying.")
	}
	t.body.AppendNewline()
	tfb := t.body.AppendNewBlock("terraform", nil).Body()
	rp := tfb.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{
		"source": cty.StringVal("hashicorp/aws"), "version": cty.StringVal(">= 5.0"),
	}))
	t.body.AppendNewline()
	t.variables()
	for _, a := range accounts(t.p) {
		t.provider(a)
	}
}

func (t *tf) variables() {
	region := t.p.Spec.Region
	if region == "" && t.p.Spec.KMSKey != "" {
		region = arnRegion(t.p.Spec.KMSKey)
	}
	v := t.body.AppendNewBlock("variable", []string{"region"}).Body()
	v.SetAttributeValue("description", cty.StringVal("The bucket's region."))
	v.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
	if region != "" {
		v.SetAttributeValue("default", cty.StringVal(region))
	}
	t.body.AppendNewline()
	for _, a := range accounts(t.p) {
		v := t.body.AppendNewBlock("variable", []string{tfAlias(t.p, a) + "_profile"}).Body()
		desc := fmt.Sprintf("The AWS profile of the %s account %s.", a.side, a.id)
		v.SetAttributeValue("description", cty.StringVal(desc))
		v.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
		v.SetAttributeValue("default", cty.StringVal(t.o.Profile(a.side, a.id)))
		t.body.AppendNewline()
	}
}

// tfAlias is the provider alias of an account: owner, consumer, and
// consumer_ACCOUNT for the second and later consumer accounts.
func tfAlias(p *plan.Plan, a account) string {
	if a.side == templates.Owner {
		return "owner"
	}
	if len(p.Spec.ConsumerAccounts) == 0 || p.Spec.ConsumerAccounts[0] == a.id {
		return "consumer"
	}
	return "consumer_" + a.id
}

func (t *tf) provider(a account) {
	alias := tfAlias(t.p, a)
	if t.alias != nil {
		alias = t.alias(a)
	}
	pb := t.body.AppendNewBlock("provider", []string{"aws"}).Body()
	pb.SetAttributeValue("alias", cty.StringVal(alias))
	pb.SetAttributeTraversal("region", traversal("var", "region"))
	pb.SetAttributeTraversal("profile", traversal("var", alias+"_profile"))
	// A wrong profile then fails before anything is written.
	pb.SetAttributeValue("allowed_account_ids", cty.ListVal([]cty.Value{cty.StringVal(a.id)}))
	t.body.AppendNewline()
}

func traversal(root string, attrs ...string) hcl.Traversal {
	tr := hcl.Traversal{hcl.TraverseRoot{Name: root}}
	for _, a := range attrs {
		tr = append(tr, hcl.TraverseAttr{Name: a})
	}
	return tr
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// name returns a unique resource name for a type, readable from its parts.
func (t *tf) name(typ string, parts ...string) string {
	base := strings.Trim(nonIdent.ReplaceAllString(strings.Join(parts, "_"), "_"), "_")
	n := base
	for i := 2; t.used[typ+"."+n]; i++ {
		n = fmt.Sprintf("%s_%d", base, i)
	}
	t.used[typ+"."+n] = true
	return n
}

// heredoc holds a JSON document as a heredoc string, escaping the template
// sequences so policy variables such as ${aws:username} stay literal.
func heredoc(text string) hclwrite.Tokens {
	esc := strings.ReplaceAll(strings.ReplaceAll(text, "${", "$${"), "%{", "%%{")
	return hclwrite.Tokens{
		{Type: hclsyntax.TokenOHeredoc, Bytes: []byte("<<POLICY\n")},
		{Type: hclsyntax.TokenStringLit, Bytes: []byte(esc + "\n")},
		{Type: hclsyntax.TokenCHeredoc, Bytes: []byte("POLICY")},
	}
}
