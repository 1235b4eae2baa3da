package export

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/templates"
)

// resource starts a resource block for the step's account, with the step
// and the merge note as its comment.
func (t *tf) resource(st plan.Step, d *plan.Document, typ, name string) *hclwrite.Body {
	t.comment(fmt.Sprintf("Step %d (%s account %s): %s %s",
		st.ID, st.Account, st.AccountID, st.Operation, st.Target), st.Why)
	if d != nil {
		t.comment(wrap(mergeNote(t.p, d), 96)...)
	}
	b := t.body.AppendNewBlock("resource", []string{typ, name}).Body()
	a := account{side: st.Account, id: st.AccountID}
	alias := tfAlias(t.p, a)
	if t.alias != nil {
		alias = t.alias(a)
	}
	b.SetAttributeTraversal("provider", traversal("aws", alias))
	return b
}

func (t *tf) step(st plan.Step) error {
	d := t.p.DocumentFor(st)
	if st.Operation == templates.OpCreateAccessPoint {
		t.accessPoint(st)
		return nil
	}
	if d == nil {
		return fmt.Errorf("step %d %s: the plan has no document for it", st.ID, st.Operation)
	}
	if st.Operation == templates.OpPutBucketACL {
		t.bucketACL(st, d)
		return nil
	}
	doc := heredoc(string(d.Policy.Canonical()))
	var b *hclwrite.Body
	switch st.Operation {
	case templates.OpPutBucketPolicy:
		b = t.resource(st, d, "aws_s3_bucket_policy", t.name("aws_s3_bucket_policy", "bucket_policy"))
		b.SetAttributeValue("bucket", cty.StringVal(bucketName(d.Target)))
		b.SetAttributeRaw("policy", doc)
	case templates.OpCreateRole:
		role := lastSegment(d.Target)
		n := t.name("aws_iam_role", role)
		t.roles[d.Target] = n
		b = t.resource(st, d, "aws_iam_role", n)
		b.SetAttributeValue("name", cty.StringVal(role))
		b.SetAttributeValue("max_session_duration", cty.NumberIntVal(3600))
		b.SetAttributeRaw("assume_role_policy", doc)
		b.SetAttributeValue("tags", cty.MapVal(map[string]cty.Value{
			"created-by": cty.StringVal("s3grant"),
		}))
	case templates.OpPutRolePolicy:
		role := lastSegment(d.Target)
		b = t.resource(st, d, "aws_iam_role_policy", t.name("aws_iam_role_policy", string(st.Account), role))
		if n, ok := t.roles[d.Target]; ok {
			b.SetAttributeTraversal("role", traversal("aws_iam_role", n, "name"))
		} else {
			b.SetAttributeValue("role", cty.StringVal(role))
		}
		b.SetAttributeValue("name", cty.StringVal(d.Name))
		b.SetAttributeRaw("policy", doc)
	case templates.OpPutUserPolicy:
		user := lastSegment(d.Target)
		b = t.resource(st, d, "aws_iam_user_policy", t.name("aws_iam_user_policy", user))
		b.SetAttributeValue("user", cty.StringVal(user))
		b.SetAttributeValue("name", cty.StringVal(d.Name))
		b.SetAttributeRaw("policy", doc)
	case templates.OpCreatePolicy:
		b = t.resource(st, d, "aws_iam_policy", t.name("aws_iam_policy", "consumer", st.AccountID))
		b.SetAttributeValue("name", cty.StringVal(d.Name))
		b.SetAttributeValue("description",
			cty.StringVal("s3grant grant "+t.p.GrantID+": attach to the roles or users that need access."))
		b.SetAttributeRaw("policy", doc)
	case templates.OpPutAccessPointPolicy:
		const typ = "aws_s3control_access_point_policy"
		b = t.resource(st, d, typ, t.name(typ, "access_point", st.AccountID))
		if addr, ok := t.accessPoints[d.Target]; ok {
			b.SetAttributeTraversal("access_point_arn", traversal("aws_s3_access_point", addr, "arn"))
		} else {
			b.SetAttributeValue("access_point_arn", cty.StringVal(d.Target))
		}
		b.SetAttributeRaw("policy", doc)
	case templates.OpPutKeyPolicy:
		b = t.resource(st, d, "aws_kms_key_policy", t.name("aws_kms_key_policy", "key_policy"))
		b.SetAttributeValue("key_id", cty.StringVal(d.Target))
		b.SetAttributeRaw("policy", doc)
	default:
		return fmt.Errorf("step %d: cannot export operation %s", st.ID, st.Operation)
	}
	t.dependsOn(b, d)
	t.body.AppendNewline()
	return nil
}

// dependsOn orders a document after the roles it names: a policy naming a
// principal that does not exist yet is rejected.
func (t *tf) dependsOn(b *hclwrite.Body, d *plan.Document) {
	text := string(d.Policy.Canonical())
	var deps []hclwrite.Tokens
	for _, arn := range sortedKeys(t.roles) {
		if d.Target != arn && strings.Contains(text, `"`+arn+`"`) {
			deps = append(deps, hclwrite.TokensForTraversal(traversal("aws_iam_role", t.roles[arn])))
		}
	}
	if len(deps) > 0 {
		b.SetAttributeRaw("depends_on", hclwrite.TokensForTuple(deps))
	}
}

func (t *tf) accessPoint(st plan.Step) {
	n := t.name("aws_s3_access_point", "access_point", st.AccountID)
	t.accessPoints[st.Target] = n
	b := t.resource(st, nil, "aws_s3_access_point", n)
	b.SetAttributeValue("bucket", cty.StringVal(st.Params["Bucket"]))
	b.SetAttributeValue("name", cty.StringVal(st.Params["Name"]))
	b.SetAttributeValue("account_id", cty.StringVal(st.AccountID))
	if ba := st.Params["BucketAccountId"]; ba != "" && ba != st.AccountID {
		b.SetAttributeValue("bucket_account_id", cty.StringVal(ba))
	}
	// The policy is its own resource (aws_s3control_access_point_policy).
	lc := b.AppendNewBlock("lifecycle", nil).Body()
	policyAttr := hclwrite.TokensForIdentifier("policy")
	lc.SetAttributeRaw("ignore_changes", hclwrite.TokensForTuple([]hclwrite.Tokens{policyAttr}))
	t.body.AppendNewline()
}

// bucketACL writes the merged ACL. An owner the plan did not read comes from
// the owner account's canonical user ID at apply time.
func (t *tf) bucketACL(st plan.Step, d *plan.Document) {
	ownerTokens := hclwrite.TokensForValue(cty.StringVal(d.ACL.Owner))
	grants := d.ACL.Grants
	if d.ACL.Owner == "" {
		if !t.aclOwnerData {
			t.aclOwnerData = true
			db := t.body.AppendNewBlock("data", []string{"aws_canonical_user_id", "owner"}).Body()
			db.SetAttributeTraversal("provider", traversal("aws", "owner"))
			t.body.AppendNewline()
		}
		ownerTokens = hclwrite.TokensForTraversal(traversal("data", "aws_canonical_user_id", "owner", "id"))
	}
	b := t.resource(st, d, "aws_s3_bucket_acl", t.name("aws_s3_bucket_acl", "bucket_acl"))
	b.SetAttributeValue("bucket", cty.StringVal(bucketName(d.Target)))
	b.SetAttributeValue("expected_bucket_owner", cty.StringVal(st.AccountID))
	acp := b.AppendNewBlock("access_control_policy", nil).Body()
	if d.ACL.Owner == "" {
		t.grant(acp, policy.GranteeCanonicalUser, ownerTokens, policy.PermFullControl)
	}
	for _, g := range grants {
		if g.URI != "" {
			t.grant(acp, g.Type, hclwrite.TokensForValue(cty.StringVal(g.URI)), g.Permission)
			continue
		}
		t.grant(acp, g.Type, hclwrite.TokensForValue(cty.StringVal(g.ID)), g.Permission)
	}
	acp.AppendNewBlock("owner", nil).Body().SetAttributeRaw("id", ownerTokens)
	t.body.AppendNewline()
}

func (t *tf) grant(acp *hclwrite.Body, typ string, who hclwrite.Tokens, perm string) {
	g := acp.AppendNewBlock("grant", nil).Body()
	ge := g.AppendNewBlock("grantee", nil).Body()
	ge.SetAttributeValue("type", cty.StringVal(typ))
	if typ == policy.GranteeGroup {
		ge.SetAttributeRaw("uri", who)
	} else {
		ge.SetAttributeRaw("id", who)
	}
	g.SetAttributeValue("permission", cty.StringVal(perm))
}

// wrap breaks a note into comment lines.
func wrap(text string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			out = append(out, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(out, line)
}
