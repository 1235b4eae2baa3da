package export

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// OwnerCanonicalIDParam is the parameter a template asks for when the plan
// did not read the bucket's ACL, so its owner is only known at deploy time.
const OwnerCanonicalIDParam = "OwnerCanonicalId"

// cfn builds one account's template.
type cfn struct {
	p         *plan.Plan
	acct      account
	params    omap
	resources omap
	outputs   omap
	// conditions are the StackSet template's (by account).
	conditions omap
	// access point ARN -> logical ID, role ARN -> logical ID.
	accessPoints map[string]string
	roles        map[string]string
	writer       writerNeeds
}

// CloudFormationFile names the template of an account.
func CloudFormationFile(side templates.Side, accountID string) string {
	return fmt.Sprintf("%s-%s.yaml", side, accountID)
}

func cloudFormationBundle(p *plan.Plan, o Options) (*Bundle, error) {
	b := &Bundle{Format: FormatCloudFormation}
	for _, a := range accounts(p) {
		c := &cfn{p: p, acct: a, accessPoints: map[string]string{}, roles: map[string]string{}}
		n := 0
		for _, st := range p.Steps {
			if st.Account != a.side || st.AccountID != a.id {
				continue
			}
			n++
			if err := c.step(st); err != nil {
				return nil, err
			}
		}
		if n == 0 {
			continue
		}
		c.addWriter()
		data, err := c.render(o)
		if err != nil {
			return nil, err
		}
		b.Files = append(b.Files, File{Path: CloudFormationFile(a.side, a.id), Data: data, Mode: 0o600})
	}
	return b, nil
}

func (c *cfn) render(o Options) ([]byte, error) {
	p := c.p
	desc := fmt.Sprintf("s3grant %s: grant %s (%s, %s access to %s), %s account %s.", o.Version, p.GrantID,
		p.Spec.Method, p.Spec.Access, p.Spec.Scope(), c.acct.side, c.acct.id)
	note := "Each policy is the plan's merged document exactly as s3grant produced it: " +
		"s3grant adds or replaces only statements whose Sid starts with " + p.SidPrefix +
		" and keeps every other statement as read. " +
		"CloudFormation writes whole documents: " +
		"documents that existed before the stack are retained when it is deleted."
	if !p.StateKnown {
		note += " WARNING: the plan was made without reading the accounts, " +
			"so each document holds s3grant's statements alone and deploying REPLACES what exists; " +
			"run s3grant plan --live and export again first."
	}
	meta := omap{{"S3Grant", omap{{"GrantId", p.GrantID}, {"Account", c.acct.id}, {"Note", note}}}}
	head := "# " + desc + "\n# Deploy in account " + c.acct.id + " (the owner's template first).\n"
	return c.renderWith(desc, meta, head)
}

// logicalID returns a unique alphanumeric logical ID built from parts.
func (c *cfn) logicalID(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, w := range strings.FieldsFunc(p, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	base := b.String()
	id := base
	for i := 2; c.resources.get(id) != nil; i++ {
		id = fmt.Sprintf("%s%d", base, i)
	}
	return id
}

// doc is a policy as a template object, in the plan's element order.
func doc(d *plan.Document) json.RawMessage { return json.RawMessage(d.Policy.Minified()) }

func (c *cfn) add(id, typ string, props omap, retain bool) {
	r := omap{{"Type", typ}}
	if retain {
		// The document existed before the stack (or may hold statements that
		// are not s3grant's): deleting the stack must not delete it.
		r = r.set("DeletionPolicy", "Retain").set("UpdateReplacePolicy", "Retain")
	}
	c.resources = c.resources.set(id, r.set("Properties", props))
}

func (c *cfn) step(st plan.Step) error {
	d := c.p.DocumentFor(st)
	if st.Operation == templates.OpCreateAccessPoint {
		c.accessPoint(st)
		return nil
	}
	if d == nil {
		return fmt.Errorf("step %d %s: the plan has no document for it", st.ID, st.Operation)
	}
	switch st.Operation {
	case templates.OpPutBucketPolicy:
		c.add(c.logicalID("BucketPolicy"), "AWS::S3::BucketPolicy",
			omap{{"Bucket", bucketName(d.Target)}, {"PolicyDocument", doc(d)}}, true)
	case templates.OpCreateRole:
		id := c.logicalID("Role", lastSegment(d.Target))
		c.roles[d.Target] = id
		c.add(id, "AWS::IAM::Role", omap{
			{"RoleName", lastSegment(d.Target)},
			{"AssumeRolePolicyDocument", doc(d)},
			{"MaxSessionDuration", 3600},
			{"Tags", []omap{{{"Key", "created-by"}, {"Value", "s3grant"}}}},
		}, false)
		c.outputs = c.outputs.set(id+"Arn", omap{
			{"Description", "The role the consumer assumes."},
			{"Value", omap{{"Fn::GetAtt", []string{id, "Arn"}}}},
		})
	case templates.OpPutRolePolicy:
		var role any = lastSegment(d.Target)
		id, own := c.roles[d.Target]
		if own {
			role = omap{{"Ref", id}}
		}
		c.add(c.logicalID("RolePolicy", lastSegment(d.Target)), "AWS::IAM::RolePolicy",
			omap{{"RoleName", role}, {"PolicyName", d.Name}, {"PolicyDocument", doc(d)}}, !own)
	case templates.OpPutUserPolicy:
		c.add(c.logicalID("UserPolicy", lastSegment(d.Target)), "AWS::IAM::UserPolicy",
			omap{{"UserName", lastSegment(d.Target)}, {"PolicyName", d.Name}, {"PolicyDocument", doc(d)}}, true)
	case templates.OpCreatePolicy:
		id := c.logicalID("ManagedPolicy")
		c.add(id, "AWS::IAM::ManagedPolicy", omap{
			{"ManagedPolicyName", d.Name},
			{"Description", "s3grant grant " + c.p.GrantID + ": attach to the roles or users that need access."},
			{"PolicyDocument", doc(d)},
		}, false)
		c.outputs = c.outputs.set(id+"Arn", omap{
			{"Description", "Attach this policy to the roles or users that need access."},
			{"Value", omap{{"Ref", id}}},
		})
	case templates.OpPutAccessPointPolicy:
		id, ok := c.accessPoints[d.Target]
		if !ok {
			return fmt.Errorf("step %d: access point %s is not created in this template", st.ID, d.Target)
		}
		r := c.resources.get(id).(omap)
		r.set("Properties", r.get("Properties").(omap).set("Policy", doc(d)))
	case templates.OpPutKeyPolicy:
		c.keyPolicy(d)
	case templates.OpPutBucketACL:
		c.bucketACL(d)
	default:
		return fmt.Errorf("step %d: cannot export operation %s", st.ID, st.Operation)
	}
	return nil
}

// accessPoint creates the access point; its policy, a later step, becomes
// its Policy property (CloudFormation has no separate resource for it).
func (c *cfn) accessPoint(st plan.Step) {
	id := c.logicalID("AccessPoint", st.Params["Name"])
	c.accessPoints[st.Target] = id
	props := omap{{"Bucket", st.Params["Bucket"]}, {"Name", st.Params["Name"]}}
	if ba := st.Params["BucketAccountId"]; ba != "" && ba != st.AccountID {
		props = props.set("BucketAccountId", ba)
	}
	c.add(id, "AWS::S3::AccessPoint", props, false)
	c.outputs = c.outputs.set(id+"Arn", omap{
		{"Description", "The access point's ARN."},
		{"Value", omap{{"Fn::GetAtt", []string{id, "Arn"}}}},
	})
}
