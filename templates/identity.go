package templates

import (
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// consumerIdentitySteps attaches the same statements to every named consumer
// principal (an inline policy on the role or user) or, in an account where
// none were named, creates a managed policy for the account's admin to attach.
func (b *builder) consumerIdentitySteps(why string, build func(account string) []policy.Statement) {
	for _, acct := range b.s.ConsumerAccounts {
		stmts := build(acct)
		named := b.s.PrincipalsIn(acct)
		if len(named) == 0 {
			target := arn.Policy(b.s.Partition(), acct, b.policyName())
			b.add(Step{
				Side: Consumer, Account: acct, Operation: OpCreatePolicy, Target: target,
				Why: why + " No principal was named in this account, so this is a managed policy:" +
					" attach it to the roles or users that need access.",
				Doc: &Doc{
					Side: Consumer, Account: acct, Kind: policy.KindIdentityPolicy, Managed: true, Target: target,
					Name: b.policyName(), Statements: stmts,
				},
			})
			continue
		}
		for _, arn := range named {
			op := OpPutRolePolicy
			if strings.Contains(arn, ":user/") {
				op = OpPutUserPolicy
			}
			b.add(Step{
				Side: Consumer, Account: acct, Operation: op, Target: arn, Why: why,
				Doc: &Doc{
					Side: Consumer, Account: acct, Kind: policy.KindIdentityPolicy, Target: arn,
					Name: b.policyName(), Statements: policyCopy(stmts),
				},
			})
		}
	}
}

func policyCopy(ss []policy.Statement) []policy.Statement {
	out := make([]policy.Statement, len(ss))
	for i, s := range ss {
		out[i] = s.Clone()
	}
	return out
}

// resourceAccount pins the bucket owner on the consumer side, so the
// consumer's permissions cannot reach a same-named bucket elsewhere.
func (b *builder) resourceAccount() policy.Conditions {
	return policy.Conditions{}.Add("StringEquals", "s3:ResourceAccount", policy.CondStrings(b.s.OwnerAccount))
}
