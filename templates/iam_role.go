package templates

import (
	"github.com/s3grant/s3grant/policy"
)

// iamRole: a role in the owner account that the consumer assumes. The role's
// own policy grants S3 (same account, so no bucket policy is needed); the
// trust policy lets the consumer in; the consumer may call sts:AssumeRole.
func (b *builder) iamRole() {
	role := b.roleARN()
	trustCond := b.grantConditions()
	if b.s.ExternalID != "" {
		trustCond = trustCond.Add("StringEquals", "sts:ExternalId", policy.CondStrings(b.s.ExternalID))
	}
	trust := policy.Statement{
		Sid: b.sid("Trust"), Effect: policy.Allow,
		Principal: policy.AWSPrincipals(b.consumerPrincipals()...),
		Action:    policy.One(ActAssumeRole), Condition: trustCond,
	}
	b.add(Step{
		Side: Owner, Account: b.s.OwnerAccount, Operation: OpCreateRole, Target: role,
		Why:    "The role the consumer assumes; its trust policy names who may assume it.",
		Params: map[string]string{"RoleName": b.s.RoleName, "MaxSessionDuration": "3600"},
		Doc: &Doc{
			Side: Owner, Account: b.s.OwnerAccount, Kind: policy.KindTrustPolicy, Target: role,
			Statements: []policy.Statement{trust},
		},
	})

	// s3:ResourceAccount pins the owner's bucket: a same-named bucket in
	// another account is out of the role's reach.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
	perms := append(b.s3Allows(nil, b.bucketTarget(), b.resourceAccount()), b.kmsIdentity()...)
	b.add(Step{
		Side: Owner, Account: b.s.OwnerAccount, Operation: OpPutRolePolicy, Target: role,
		Why: "The role's permissions on the bucket (after CreateRole: the role must exist).",
		Doc: &Doc{
			Side: Owner, Account: b.s.OwnerAccount, Kind: policy.KindIdentityPolicy, Target: role,
			Name: b.policyName(), Statements: perms,
		},
	})

	// The key policy names the owner's own role: the organization condition
	// stays on the trust policy, where it decides who becomes the role; on the
	// key it would test the role's own organization and break decryption for
	// an owner outside that organization.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
	b.keyPolicyStepFor([]string{role}, nil, "The key policy names the role, so it comes after CreateRole.")
	b.bucketPolicyStep("Only the TLS deny: the role is in the bucket's account and needs no bucket policy grant.")

	assume := []policy.Statement{{
		Sid: b.sid("AssumeRole"), Effect: policy.Allow,
		Action: policy.One(ActAssumeRole), Resource: policy.One(role),
	}}
	b.consumerIdentitySteps(
		"The consumer's identity policy must allow sts:AssumeRole on the role.",
		func(string) []policy.Statement { return policyCopy(assume) },
	)
}
