package aws

import (
	"context"
	"sort"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// createdTag marks what s3grant created, so a reader of the console knows.
var createdTag = []types.Tag{{Key: sdk.String("created-by"), Value: sdk.String("s3grant")}}

// role is an IAM role; its document is the trust policy.
type role struct {
	iam  IAMAPI
	name string
}

func (t role) Read(ctx context.Context) (Doc, error) {
	out, err := t.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &t.name})
	if err != nil {
		return readDoc(nil, err)
	}
	return readDoc(urlDecoded(out.Role.AssumeRolePolicyDocument), nil)
}

func (t role) Write(ctx context.Context, cur Doc, body string) error {
	if cur.Exists {
		in := &iam.UpdateAssumeRolePolicyInput{RoleName: &t.name, PolicyDocument: &body}
		_, err := t.iam.UpdateAssumeRolePolicy(ctx, in)
		return err
	}
	in := &iam.CreateRoleInput{
		RoleName: &t.name, AssumeRolePolicyDocument: &body, Tags: createdTag,
		Description: sdk.String("Cross-account S3 access set up by s3grant"),
	}
	// MaxSessionDuration stays at its default, 3600 seconds, what the plan asks.
	_, err := t.iam.CreateRole(ctx, in)
	return err
}

func (t role) Delete(ctx context.Context) error {
	_, err := t.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: &t.name})
	return err
}

type rolePolicy struct {
	iam        IAMAPI
	role, name string
}

func (t rolePolicy) Read(ctx context.Context) (Doc, error) {
	out, err := t.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &t.role, PolicyName: &t.name})
	if err != nil {
		return readDoc(nil, err)
	}
	return readDoc(urlDecoded(out.PolicyDocument), nil)
}

func (t rolePolicy) Write(ctx context.Context, _ Doc, body string) error {
	_, err := t.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName: &t.role, PolicyName: &t.name, PolicyDocument: &body,
	})
	return err
}

func (t rolePolicy) Delete(ctx context.Context) error {
	_, err := t.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: &t.role, PolicyName: &t.name})
	return err
}

type userPolicy struct {
	iam        IAMAPI
	user, name string
}

func (t userPolicy) Read(ctx context.Context) (Doc, error) {
	out, err := t.iam.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: &t.user, PolicyName: &t.name})
	if err != nil {
		return readDoc(nil, err)
	}
	return readDoc(urlDecoded(out.PolicyDocument), nil)
}

func (t userPolicy) Write(ctx context.Context, _ Doc, body string) error {
	_, err := t.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName: &t.user, PolicyName: &t.name, PolicyDocument: &body,
	})
	return err
}

func (t userPolicy) Delete(ctx context.Context) error {
	_, err := t.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: &t.user, PolicyName: &t.name})
	return err
}

// managedPolicy is a customer managed policy; its document is the default
// version's.
type managedPolicy struct {
	iam       IAMAPI
	arn, name string
}

func (t managedPolicy) Read(ctx context.Context) (Doc, error) {
	p, err := t.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &t.arn})
	if err != nil {
		return readDoc(nil, err)
	}
	in := &iam.GetPolicyVersionInput{PolicyArn: &t.arn, VersionId: p.Policy.DefaultVersionId}
	v, err := t.iam.GetPolicyVersion(ctx, in)
	if err != nil {
		return Doc{}, err
	}
	return readDoc(urlDecoded(v.PolicyVersion.Document), nil)
}

func (t managedPolicy) Write(ctx context.Context, cur Doc, body string) error {
	if !cur.Exists {
		desc := "Cross-account S3 access set up by s3grant: attach it to the roles or users that need it"
		_, err := t.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{
			PolicyName: &t.name, PolicyDocument: &body, Tags: createdTag,
			Description: &desc,
		})
		return err
	}
	if err := t.pruneVersions(ctx, 4); err != nil {
		return err
	}
	_, err := t.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{
		PolicyArn: &t.arn, PolicyDocument: &body, SetAsDefault: true,
	})
	return err
}

// pruneVersions deletes the oldest non-default versions until at most keep
// remain (IAM holds 5).
func (t managedPolicy) pruneVersions(ctx context.Context, keep int) error {
	all, err := t.versions(ctx)
	if err != nil {
		return err
	}
	var old []types.PolicyVersion
	for _, v := range all {
		if !v.IsDefaultVersion {
			old = append(old, v)
		}
	}
	sort.Slice(old, func(i, j int) bool { return sdk.ToTime(old[i].CreateDate).Before(sdk.ToTime(old[j].CreateDate)) })
	for n := len(all); n > keep && len(old) > 0; n-- {
		in := &iam.DeletePolicyVersionInput{PolicyArn: &t.arn, VersionId: old[0].VersionId}
		if _, err := t.iam.DeletePolicyVersion(ctx, in); err != nil {
			return err
		}
		old = old[1:]
	}
	return nil
}

// versions lists every version of the policy, page after page: IAM may
// truncate a list below its MaxItems and says so only in IsTruncated.
func (t managedPolicy) versions(ctx context.Context) ([]types.PolicyVersion, error) {
	var all []types.PolicyVersion
	pages := iam.NewListPolicyVersionsPaginator(t.iam, &iam.ListPolicyVersionsInput{PolicyArn: &t.arn})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Versions...)
	}
	return all, nil
}

func (t managedPolicy) Delete(ctx context.Context) error {
	if err := t.pruneVersions(ctx, 1); err != nil {
		return err
	}
	_, err := t.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &t.arn})
	return err
}
