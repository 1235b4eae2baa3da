package export

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// The StackSet export's files: the owner's template, deployed as a stack in
// the owner account first, and the consumer template, deployed as a
// service-managed StackSet to the consumers' organizational units.
const (
	StackSetOwnerFile    = "owner-stack.yaml"
	StackSetConsumerFile = "consumer-stackset.yaml"
)

// stackSetBundle writes the owner's template (every grant's owner-side
// documents, each shared document once) and one consumer template for a
// StackSet with service-managed permissions and organizational-unit
// targets (DeploymentTargets.OrganizationalUnitIds). Every account of an
// OU gets the same template and parameter values, so the template tells
// the accounts apart with the AWS::AccountId pseudo parameter ("the AWS
// account ID of the account in which the stack is being created"): each
// grant's resources carry a condition naming the accounts the owner's
// template grants, and an account of the OU that no grant names creates
// nothing but a placeholder (a template needs one resource).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html#stacksets-concepts-stackset-permission-models
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
func stackSetBundle(plans []*plan.Plan, owner *ownerSide, o Options) (*Bundle, error) {
	ownerData, err := stackSetOwner(owner, o)
	if err != nil {
		return nil, err
	}
	consumerData, err := stackSetConsumer(plans, o)
	if err != nil {
		return nil, err
	}
	return &Bundle{Format: FormatStackSet, Files: []File{
		{Path: StackSetOwnerFile, Data: ownerData, Mode: 0o600},
		{Path: StackSetConsumerFile, Data: consumerData, Mode: 0o600},
	}}, nil
}

// stackSetOwner is the owner account's template, built as the
// single-grant export builds it from the merged owner side.
func stackSetOwner(owner *ownerSide, o Options) ([]byte, error) {
	p := owner.plan
	c := &cfn{
		p: p, acct: account{side: templates.Owner, id: p.Spec.OwnerAccount},
		accessPoints: map[string]string{}, roles: map[string]string{},
	}
	for _, st := range p.Steps {
		if err := c.step(st); err != nil {
			return nil, err
		}
	}
	c.addWriter()
	if err := c.checkQuotas(StackSetOwnerFile, len(owner.grantIDs)); err != nil {
		return nil, err
	}
	desc := fmt.Sprintf("s3grant %s: the bucket owner's side of grants %s, account %s.",
		o.Version, p.GrantID, p.Spec.OwnerAccount)
	note := "Each bucket, key or access point policy several grants write is ONE resource " +
		"holding every grant's statements (CloudFormation owns a policy as a whole document); " +
		"each grant keeps its own Sids. " +
		"Deploy this stack before the consumer StackSet: the consumer documents name what it creates."
	if !p.StateKnown {
		note += " WARNING: some grant was planned without reading the accounts, so deploying REPLACES what exists; " +
			"run s3grant plan --live and export again first."
	}
	head := "# " + desc + "\n" +
		"# Deploy as a stack in account " + p.Spec.OwnerAccount + ", before the consumer StackSet.\n"
	meta := omap{{"Grants", owner.grantIDs}, {"Account", p.Spec.OwnerAccount}, {"Note", note}}
	return c.renderWith(desc, omap{{"S3Grant", meta}}, head)
}

// renderWith writes the template with the given description, metadata and
// header comment.
func (c *cfn) renderWith(desc string, meta omap, head string) ([]byte, error) {
	t := omap{{"AWSTemplateFormatVersion", "2010-09-09"}, {"Description", desc}, {"Metadata", meta}}
	if len(c.params) > 0 {
		t = t.set("Parameters", c.params)
	}
	if len(c.conditions) > 0 {
		t = t.set("Conditions", c.conditions)
	}
	t = t.set("Resources", c.resources)
	if len(c.outputs) > 0 {
		t = t.set("Outputs", c.outputs)
	}
	out, err := toYAML(t)
	if err != nil {
		return nil, fmt.Errorf("cloudformation %s: %w", c.acct.id, err)
	}
	return append([]byte(head), out...), nil
}

// consumerSet is one grant's consumer-side resources as they are in a set
// of its accounts (accounts whose principals have the same names share
// them).
type consumerSet struct {
	grant     *plan.Plan
	accounts  []string
	resources omap
	outputs   omap
}

// stackSetConsumer is the StackSet template: per grant, the consumer-side
// resources the single-grant export writes for each of its accounts, under
// a condition on AWS::AccountId, and a parameter that turns the grant on
// or off across the StackSet.
func stackSetConsumer(plans []*plan.Plan, o Options) ([]byte, error) {
	c := &cfn{acct: account{side: templates.Consumer, id: "stackset"}}
	var granted []string
	for _, p := range plans {
		sets, err := consumerSets(p)
		if err != nil {
			return nil, err
		}
		if len(sets) == 0 {
			continue // the grant writes nothing in the consumer accounts
		}
		param := "Deploy" + p.GrantID
		c.params = c.params.set(param, omap{
			{"Type", "String"},
			{"AllowedValues", []string{"true", "false"}},
			{"Default", "true"},
			{"Description", fmt.Sprintf("true: create grant %s's consumer documents (%s access to %s) "+
				"in the accounts it grants; false: remove them from every account of the StackSet.",
				p.GrantID, p.Spec.Access, p.Spec.Scope())},
		})
		for i, s := range sets {
			cond := fmt.Sprintf("Grant%sSet%d", p.GrantID, i+1)
			c.conditions = c.conditions.set(cond, omap{{"Fn::And", []any{
				omap{{"Fn::Equals", []any{omap{{"Ref", param}}, "true"}}},
				accountIn(s.accounts),
			}}})
			prefix := "G" + p.GrantID
			if len(sets) > 1 {
				prefix += fmt.Sprintf("Set%d", i+1)
			}
			ids := map[string]bool{}
			for _, r := range s.resources {
				ids[r.k] = true
			}
			for _, r := range s.resources {
				res := renameIDs(r.v, prefix, ids).(omap)
				c.resources = c.resources.set(prefix+r.k, append(omap{res[0], {"Condition", cond}}, res[1:]...))
			}
			for _, out := range s.outputs {
				renamed := renameIDs(out.v, prefix, ids).(omap)
				c.outputs = c.outputs.set(prefix+out.k, append(omap{{"Condition", cond}}, renamed...))
			}
			granted = append(granted, s.accounts...)
		}
	}
	slices.Sort(granted)
	granted = slices.Compact(granted)
	c.resources = c.resources.set("NoGrantPlaceholder", omap{{"Type", "AWS::CloudFormation::WaitConditionHandle"}})
	if err := c.checkQuotas(StackSetConsumerFile, len(plans)); err != nil {
		return nil, err
	}
	ids := make([]string, len(plans))
	for i, p := range plans {
		ids[i] = p.GrantID
	}
	desc := fmt.Sprintf("s3grant %s: the consumer side of grants %s, for a service-managed StackSet.",
		o.Version, strings.Join(ids, ", "))
	if len(desc) > maxDescription {
		desc = fmt.Sprintf("s3grant %s: the consumer side of %d grants (Metadata lists them), "+
			"for a service-managed StackSet.", o.Version, len(ids))
	}
	note := "Deploy as a StackSet with service-managed permissions to the organizational units holding accounts " +
		strings.Join(granted, ", ") + ", after the owner's stack. " +
		"Each grant's resources are created only in the accounts the owner's template grants (AWS::AccountId); " +
		"any other account of the OUs gets the placeholder alone. " +
		"The documents are the plans' documents exactly; as in the single-grant templates, " +
		"a policy put on a role or user that existed before is retained when its stack instance is deleted " +
		"(s3grant undo removes s3grant's statements)."
	head := "# " + desc + "\n" +
		"# aws cloudformation create-stack-set --stack-set-name s3grant-consumers" +
		" " + templateBodyFlag +
		" --permission-model SERVICE_MANAGED" +
		" --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false --capabilities CAPABILITY_NAMED_IAM\n" +
		"# aws cloudformation create-stack-instances --stack-set-name s3grant-consumers" +
		" --deployment-targets OrganizationalUnitIds=ou-... --regions REGION\n"
	meta := omap{{"Grants", ids}, {"GrantedAccounts", granted}, {"Note", note}}
	data, err := c.renderWith(desc, omap{{"S3Grant", meta}}, head)
	if err != nil || len(data) <= maxTemplateBody {
		return data, err
	}
	// Too big to pass in the request: the commands name an S3 copy.
	url := "--template-url https://BUCKET.s3.amazonaws.com/" + StackSetConsumerFile
	head = strings.Replace(head, templateBodyFlag, url, 1) +
		fmt.Sprintf("# The template is over the %d bytes a request body may hold: upload it first, e.g.\n",
			maxTemplateBody) +
		"# aws s3 cp " + StackSetConsumerFile + " s3://BUCKET/" + StackSetConsumerFile + "\n"
	return c.renderWith(desc, omap{{"S3Grant", meta}}, head)
}

// CloudFormation's template quotas: a description of at most 1,024 bytes,
// a template body of at most 51,200 bytes in a request (larger ones are
// read from S3 with --template-url), and at most 500 resources, 200
// parameters and 200 outputs declared in one template.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
//
// The consumer template declares one parameter per grant that writes in
// the consumer accounts, and a grants file holds at most plan.MaxGrants
// (200) grants: a valid file cannot exceed the parameter quota (a test
// keeps MaxGrants within it), so that check is tested at its boundary.
// Resources and outputs can exceed theirs: each grant declares its
// consumer documents once per group of accounts whose documents differ
// (different role names), and the owner's template one resource per
// bucket policy, access point and access point policy.
const (
	maxDescription   = 1024
	maxTemplateBody  = 51200
	maxResources     = 500
	maxParameters    = 200
	maxOutputs       = 200
	templateBodyFlag = "--template-body file://" + StackSetConsumerFile
)

// checkQuotas refuses a template that declares more resources, parameters
// or outputs than CloudFormation accepts in one template (it would refuse
// the stack only at deploy time).
func (c *cfn) checkQuotas(file string, grants int) error {
	for _, q := range []struct {
		what     string
		n, quota int
	}{
		{"resources", len(c.resources), maxResources},
		{"parameters", len(c.params), maxParameters},
		{"outputs", len(c.outputs), maxOutputs},
	} {
		if q.n > q.quota {
			return fmt.Errorf("export: %s would declare %d %s for these %d grants, over the %d CloudFormation "+
				"accepts in one template: split the grants file (e.g. by bucket or by consumer account) and "+
				"export each part", file, q.n, q.what, grants, q.quota)
		}
	}
	return nil
}

// consumerSets builds the grant's consumer-side resources per account
// and groups the accounts whose resources are the same.
func consumerSets(p *plan.Plan) ([]consumerSet, error) {
	var sets []consumerSet
	keys := map[string]int{}
	for _, id := range p.Spec.ConsumerAccounts {
		a := account{side: templates.Consumer, id: id}
		c := &cfn{p: p, acct: a, accessPoints: map[string]string{}, roles: map[string]string{}}
		for _, st := range p.Steps {
			if st.Account == a.side && st.AccountID == a.id {
				if err := c.step(st); err != nil {
					return nil, err
				}
			}
		}
		if len(c.resources) == 0 {
			continue
		}
		c.addWriter()
		key, err := json.Marshal(omap{{"r", c.resources}, {"o", c.outputs}})
		if err != nil {
			return nil, err
		}
		if i, ok := keys[string(key)]; ok {
			sets[i].accounts = append(sets[i].accounts, id)
			continue
		}
		keys[string(key)] = len(sets)
		sets = append(sets, consumerSet{grant: p, accounts: []string{id}, resources: c.resources, outputs: c.outputs})
	}
	return sets, nil
}

// accountIn is a condition true in the given accounts: Fn::Equals on
// AWS::AccountId, joined by Fn::Or (at most ten conditions each, nested
// beyond).
func accountIn(accounts []string) omap {
	var conds []any
	for _, a := range accounts {
		conds = append(conds, omap{{"Fn::Equals", []any{omap{{"Ref", "AWS::AccountId"}}, a}}})
	}
	for len(conds) > 1 {
		var next []any
		for chunk := range slices.Chunk(conds, 10) {
			if len(chunk) == 1 {
				next = append(next, chunk[0])
				continue
			}
			next = append(next, omap{{"Fn::Or", chunk}})
		}
		conds = next
	}
	return conds[0].(omap)
}

// renameIDs prefixes the logical IDs in ids wherever v refers to them:
// Ref, Fn::GetAtt and DependsOn.
func renameIDs(v any, prefix string, ids map[string]bool) any {
	name := func(id string) string {
		if ids[id] {
			return prefix + id
		}
		return id
	}
	switch x := v.(type) {
	case omap:
		out := make(omap, len(x))
		for i, e := range x {
			switch val := e.v.(type) {
			case string:
				if e.k == "Ref" || e.k == "DependsOn" {
					out[i] = kv{e.k, name(val)}
					continue
				}
			case []string:
				if e.k == "Fn::GetAtt" || e.k == "DependsOn" {
					c := slices.Clone(val)
					for j := range c {
						if e.k == "DependsOn" || j == 0 {
							c[j] = name(c[j])
						}
					}
					out[i] = kv{e.k, c}
					continue
				}
			}
			out[i] = kv{e.k, renameIDs(e.v, prefix, ids)}
		}
		return out
	case []omap:
		out := make([]omap, len(x))
		for i, m := range x {
			out[i] = renameIDs(m, prefix, ids).(omap)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = renameIDs(m, prefix, ids)
		}
		return out
	}
	return v
}
