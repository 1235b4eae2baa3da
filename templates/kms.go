package templates

import (
	"fmt"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// keyRegion is the region in the key ARN.
func (b *builder) keyRegion() string {
	key, _ := arn.Parse(b.s.KMSKey)
	return key.Region
}

// viaS3 limits key use to requests S3 makes on the caller's behalf.
func (b *builder) viaS3() policy.Conditions {
	return policy.Conditions{}.Add("StringEquals", "kms:ViaService",
		policy.CondStrings(fmt.Sprintf("s3.%s.amazonaws.com", b.keyRegion())))
}

// kmsWanted reports whether the plan touches the key: one was given and the
// access level reads or writes objects.
func (b *builder) kmsWanted() bool { return b.s.KMSKey != "" && len(KMSActions(b.s.Access)) > 0 }

// keyPolicyStep merges a statement for the consumer's principals into the
// owner's key policy, with the grant's conditions (the organization).
func (b *builder) keyPolicyStep(principals []string, why string) {
	b.keyPolicyStepFor(principals, b.grantConditions(), why)
}

// keyPolicyStepFor merges a statement for principals, under kms:ViaService
// and cond, into the owner's key policy.
func (b *builder) keyPolicyStepFor(principals []string, cond policy.Conditions, why string) {
	if !b.kmsWanted() {
		return
	}
	c := b.viaS3()
	for op, kv := range cond {
		for k, v := range kv {
			c = c.Add(op, k, v)
		}
	}
	st := policy.Statement{
		Sid: b.sid("KMS"), Effect: policy.Allow, Principal: policy.AWSPrincipals(principals...),
		Action: strs(KMSActions(b.s.Access)), Resource: policy.One("*"), Condition: c,
	}
	b.add(Step{
		Side: Owner, Account: b.s.OwnerAccount, Operation: OpPutKeyPolicy, Target: b.s.KMSKey, Why: why,
		Doc: &Doc{
			Side: Owner, Account: b.s.OwnerAccount, Kind: policy.KindKeyPolicy, Target: b.s.KMSKey, Name: "default",
			Statements: []policy.Statement{st},
		},
	})
}

// kmsIdentity is the identity-side statement allowing the key (by ARN, never
// an alias) through S3.
func (b *builder) kmsIdentity() []policy.Statement {
	if !b.kmsWanted() {
		return nil
	}
	return []policy.Statement{{
		Sid: b.sid("KMS"), Effect: policy.Allow, Action: strs(KMSActions(b.s.Access)),
		Resource: policy.One(b.s.KMSKey), Condition: b.viaS3(),
	}}
}
