package templates

import (
	"github.com/s3grant/s3grant/policy"
)

func (b *builder) accessPointARN(account string) string {
	return b.s.AccessPointARN(account)
}

func (b *builder) apTarget(account string) s3Target {
	ap := b.accessPointARN(account)
	t := s3Target{listARN: ap}
	for _, p := range b.s.PrefixList() {
		t.objectARNs = append(t.objectARNs, ap+"/object/"+p+"*")
	}
	return t
}

// delegateToAccessPoint returns the bucket policy statements that let
// requests through one access point in, limited to the access level's
// actions, with listing narrowed to the prefixes. Each is bound by the fixed
// s3:DataAccessPointArn and s3:DataAccessPointAccount (AWS's pattern for
// delegating access control to access points), so they are not public.
// principal and cond say who may come through: for an access point the
// owner controls, Principal "*" (its policy names the consumer); for one the
// consumer owns, the consumer's principals and the organization, because the
// consumer's administrator can rewrite that access point's policy and must
// not be able to let a third account through the owner's bucket.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
func (b *builder) delegateToAccessPoint(
	apARN, apAccount string,
	principal *policy.Principal,
	cond policy.Conditions,
) []policy.Statement {
	var out []policy.Statement
	for _, st := range b.s3Allows(principal, b.bucketTarget(), cond) {
		if st.Sid == b.sid("Location") {
			continue // GetBucketLocation is not an access point operation
		}
		st.Sid = b.grant.SidPrefix + "Delegate" + st.Sid[len(b.grant.SidPrefix):]
		st.Condition = st.Condition.Add("StringEquals", "s3:DataAccessPointArn", policy.CondStrings(apARN))
		st.Condition = st.Condition.Add("StringEquals", "s3:DataAccessPointAccount", policy.CondStrings(apAccount))
		out = append(out, st)
	}
	return out
}

// createAccessPointStep creates the access point in account for the bucket.
func (b *builder) createAccessPointStep(side Side, account, why string) {
	b.add(Step{
		Side: side, Account: account, Operation: OpCreateAccessPoint, Target: b.accessPointARN(account), Why: why,
		Params: map[string]string{"Name": b.s.AccessPoint, "Bucket": b.s.Bucket, "BucketAccountId": b.s.OwnerAccount},
	})
}

func (b *builder) accessPointPolicyStep(side Side, account string) {
	ap := b.accessPointARN(account)
	stmts := b.s3Allows(policy.AWSPrincipals(b.consumerPrincipals()...), b.apTarget(account), b.grantConditions())
	b.add(Step{
		Side: side, Account: account, Operation: OpPutAccessPointPolicy, Target: ap,
		Why: "The access point policy names the consumer (after the access point exists).",
		Doc: &Doc{Side: side, Account: account, Kind: policy.KindAccessPointPolicy, Target: ap, Statements: stmts},
	})
}

func (b *builder) accessPointIdentity(apAccount string) {
	b.consumerIdentitySteps(
		"The consumer's identity policy must allow the access point ARN.",
		func(string) []policy.Statement {
			return append(b.s3Allows(nil, b.apTarget(apAccount), nil), b.kmsIdentity()...)
		},
	)
}

// accessPoint: an access point in the owner account. Requests need the
// consumer's identity policy, the access point policy and the bucket policy.
func (b *builder) accessPoint() {
	owner := b.s.OwnerAccount
	b.createAccessPointStep(Owner, owner, "The access point the consumer reaches the bucket through.")
	b.accessPointPolicyStep(Owner, owner)
	delegate := b.delegateToAccessPoint(b.accessPointARN(owner), owner, policy.AnyPrincipal(), nil)
	b.bucketPolicyStep(b.ownerDelegationWhy(), delegate...)
	b.keyPolicyStep(b.consumerPrincipals(), "The key policy must allow the consumer to use the bucket's key.")
	b.accessPointIdentity(owner)
}

// ownerDelegationWhy explains the delegation to the owner's access point:
// AWS's pattern for delegating access control to access points grants
// Principal "*" in the bucket policy, held by s3:DataAccessPointAccount (and
// here also s3:DataAccessPointArn) to requests made through access points
// the bucket owner owns, so the access point's policy decides who gets in.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-delegating-control
func (b *builder) ownerDelegationWhy() string {
	return "The bucket policy delegates to access point " + b.s.AccessPoint +
		": its Principal \"*\" counts only for requests made through that access point (s3:DataAccessPointArn), " +
		"which the bucket owner owns (s3:DataAccessPointAccount), so it is not public " +
		"and the access point's policy decides who gets in. Requests to the bucket itself gain nothing from it."
}

// crossAccountAccessPoint: the consumer owns an access point on the owner's
// bucket. The owner's bucket policy delegates to that exact access point ARN.
func (b *builder) crossAccountAccessPoint() {
	consumer := b.s.ConsumerAccounts[0]
	// The consumer controls its access point's policy: the owner's bucket
	// policy names who may come through it, so a third account the consumer
	// adds there gains nothing.
	principals := policy.AWSPrincipals(b.consumerPrincipals()...)
	delegate := b.delegateToAccessPoint(b.accessPointARN(consumer), consumer, principals, b.grantConditions())
	b.bucketPolicyStep(b.consumerDelegationWhy(), delegate...)
	b.keyPolicyStep(b.consumerPrincipals(), "The key policy must allow the consumer to use the bucket's key.")
	b.createAccessPointStep(Consumer, consumer,
		"The consumer's own access point on the owner's bucket (control-plane calls are never cross-account).")
	b.accessPointPolicyStep(Consumer, consumer)
	b.accessPointIdentity(consumer)
}

// consumerDelegationWhy explains the delegation to the consumer's access
// point: a cross-account access point works only once the bucket owner's
// bucket policy allows it, and its policy is the consumer's to rewrite.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
func (b *builder) consumerDelegationWhy() string {
	return "The bucket policy lets in requests made through the consumer's access point " + b.s.AccessPoint +
		" only (s3:DataAccessPointArn), and only from the consumer's principals: " +
		"a cross-account access point works only once the bucket owner allows it, " +
		"and the consumer's administrator controls its policy, " +
		"so who may come through is fixed here, in the owner's bucket policy."
}
