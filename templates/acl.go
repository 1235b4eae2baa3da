package templates

import (
	"github.com/s3grant/s3grant/policy"
)

// acl: the legacy path. Bucket ACL grants to canonical user IDs (READ lists,
// WRITE uploads); uploads must hand the owner full control. The consumer
// still needs an identity policy.
func (b *builder) acl() {
	var grants []policy.Grant
	for _, id := range b.s.CanonicalIDs {
		if b.s.Access.Lists() {
			grants = append(grants, policy.Grant{Type: policy.GranteeCanonicalUser, ID: id, Permission: policy.PermRead})
		}
		if b.s.Access.Writes() {
			grants = append(grants, policy.Grant{Type: policy.GranteeCanonicalUser, ID: id, Permission: policy.PermWrite})
		}
	}
	b.add(Step{Side: Owner, Account: b.s.OwnerAccount, Operation: OpPutBucketACL, Target: b.bucketARN(),
		Why: "The bucket ACL grants to the consumer's canonical user ID; the owner's FULL_CONTROL is kept.",
		Doc: &Doc{Side: Owner, Account: b.s.OwnerAccount, Kind: policy.KindBucketACL, Target: b.bucketARN(), ACLGrants: grants}})

	var stmts []policy.Statement
	if b.s.Access.Writes() {
		stmts = append(stmts, policy.Statement{Sid: b.sid("RequireOwnerFullControl"), Effect: policy.Deny,
			Principal: policy.AWSPrincipals(b.consumerPrincipals()...), Action: policy.One(ActPutObject),
			Resource:  policy.One(b.bucketARN() + "/*"),
			Condition: policy.Conditions{}.Add("StringNotEquals", "s3:x-amz-acl", policy.CondStrings("bucket-owner-full-control"))})
	}
	b.bucketPolicyStep("Uploads must give the owner full control, or the owner cannot read them.", stmts...)
	b.keyPolicyStep(b.consumerPrincipals(), "The key policy must allow the consumer to use the bucket's key.")
	b.consumerIdentitySteps("The consumer's identity policy must allow what the ACL grants.", func(string) []policy.Statement {
		// No GetBucketLocation: a bucket ACL cannot grant it, so allowing it here would promise what fails.
		t := b.bucketTarget()
		t.location = false
		return append(b.s3Allows(nil, t, b.resourceAccount()), b.kmsIdentity()...)
	})
}
