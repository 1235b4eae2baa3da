package aws

import (
	"context"
	"fmt"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/policy"
)

// auditIAMAPI holds the IAM listing calls only the audit makes.
type auditIAMAPI interface {
	ListRoles(context.Context, *iam.ListRolesInput, ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	ListRolePolicies(
		context.Context, *iam.ListRolePoliciesInput, ...func(*iam.Options),
	) (*iam.ListRolePoliciesOutput, error)
	ListAttachedRolePolicies(
		context.Context, *iam.ListAttachedRolePoliciesInput, ...func(*iam.Options),
	) (*iam.ListAttachedRolePoliciesOutput, error)
}

// readOuterRoles returns the owner's roles whose trust policy names a
// principal outside the account (or anyone), with their permission
// policies: through them, outside principals reach the bucket as the owner's
// own role. false when the roles cannot be listed.
func readOuterRoles(ctx context.Context, owner *Account) ([]audit.RoleState, string) {
	c, ok := owner.IAM().(auditIAMAPI)
	if !ok {
		return nil, "no IAM listing client"
	}
	var out []audit.RoleState
	in := &iam.ListRolesInput{}
	for {
		page, err := c.ListRoles(ctx, in)
		if err != nil {
			return nil, "iam:ListRoles: " + shortErr(err)
		}
		for _, r := range page.Roles {
			trust, err := policy.Parse([]byte(sdk.ToString(urlDecoded(r.AssumeRolePolicyDocument))))
			if err != nil || !trustsOutside(trust, owner.ID) {
				continue
			}
			rs := audit.RoleState{Name: sdk.ToString(r.RoleName), ARN: sdk.ToString(r.Arn), Trust: trust}
			if rs.Policies, err = rolePolicies(ctx, owner.IAM(), c, rs.Name); err != nil {
				return nil, fmt.Sprintf("read the policies of role %s: %s", rs.Name, shortErr(err))
			}
			out = append(out, rs)
		}
		if !page.IsTruncated {
			return out, ""
		}
		in.Marker = page.Marker
	}
}

// trustsOutside reports whether an Allow statement of a trust policy names
// "*" or a principal of another account.
func trustsOutside(p *policy.Policy, account string) bool {
	for _, s := range p.Statement {
		if s.Effect != policy.Allow {
			continue
		}
		if s.NotPrincipal != nil || s.Principal != nil && s.Principal.Wildcard {
			return true
		}
		for _, v := range s.Principal.Values("AWS") {
			if v == "*" || policy.ParsePrincipal(v).Account != account {
				return true
			}
		}
		if len(s.Principal.Values("Federated")) > 0 {
			return true
		}
	}
	return false
}

// rolePolicies reads a role's inline and attached managed policies.
func rolePolicies(ctx context.Context, c IAMAPI, l auditIAMAPI, role string) ([]policy.Doc, error) {
	var out []policy.Doc
	inl, err := l.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: &role})
	if err != nil {
		return nil, err
	}
	for _, name := range inl.PolicyNames {
		doc, err := rolePolicy{iam: c, role: role, name: name}.Read(ctx)
		if err != nil {
			return nil, err
		}
		if p, err := parseIfExists(doc, "inline policy "+name); err == nil && p != nil {
			out = append(out, policy.Doc{
				Name: "inline policy " + name + " of role " + role, Kind: policy.KindIdentityPolicy, Policy: p,
			})
		}
	}
	att, err := l.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &role})
	if err != nil {
		return nil, err
	}
	for _, ap := range att.AttachedPolicies {
		doc, err := managedPolicy{iam: c, arn: sdk.ToString(ap.PolicyArn)}.Read(ctx)
		if err != nil {
			return nil, err
		}
		if p, err := parseIfExists(doc, "managed policy "+sdk.ToString(ap.PolicyArn)); err == nil && p != nil {
			out = append(out, policy.Doc{
				Name: "managed policy " + sdk.ToString(ap.PolicyArn), Kind: policy.KindManagedPolicy, Policy: p,
			})
		}
	}
	return out, nil
}
