package templates

import "github.com/s3grant/s3grant/policy"

// bucketPolicy: the owner's bucket policy names the consumer principals (or
// accounts); each consumer's identity policy allows the same actions on the
// same resources, pinned to the owner with s3:ResourceAccount.
func (b *builder) bucketPolicy() {
	principals := b.consumerPrincipals()
	allows := b.s3Allows(policy.AWSPrincipals(principals...), b.bucketTarget(), b.grantConditions())
	b.bucketPolicyStep("The bucket policy is the owner's half of a cross-account grant.", allows...)
	b.keyPolicyStep(principals, "The key policy must allow the consumer to use the bucket's key.")
	b.consumerIdentitySteps(
		"The consumer's identity policy is the other half: both must allow.",
		func(string) []policy.Statement {
			return append(b.s3Allows(nil, b.bucketTarget(), b.resourceAccount()), b.kmsIdentity()...)
		},
	)
}
