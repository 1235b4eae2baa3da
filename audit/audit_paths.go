package audit

import (
	"slices"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// apPath is an access point a bucket policy statement lets requests come
// through: one its s3:DataAccessPointArn or s3:DataAccessPointAccount
// condition names.
type apPath struct {
	arn    string
	policy *policy.Policy
	state  *AccessPointState // the owner's access point; nil for another account's
}

// apPaths lists the access points a bucket policy statement's conditions
// name. The owner's own come with their policy; another account's (a
// consumer that owns the access point) come with a policy allowing
// everyone everything, since that account's administrator writes it: only
// the bucket policy holds a line there, as in the access proof. An account
// named without an access point stands for any access point it creates.
func (a *auditor) apPaths(d policyDoc, s policy.Statement) []apPath {
	if d.kind != policy.KindBucketPolicy {
		return nil
	}
	c := policy.ConditionConstants{}
	c.AddPolicy(&policy.Policy{Statement: []policy.Statement{s}})
	var arns []string
	if kc := c["s3:dataaccesspointarn"]; kc != nil {
		for _, v := range kc.Values {
			arns = append(arns, policy.Instantiate(v))
		}
	}
	if kc := c["s3:dataaccesspointaccount"]; kc != nil {
		for _, acct := range kc.Values {
			if acct != a.st.OwnerAccount {
				arns = append(arns, arn.AccessPoint(a.partition(), a.st.Region, acct, "s3grant-audit-ap"))
				continue
			}
			for _, ap := range a.st.AccessPoints {
				arns = append(arns, ap.ARN)
			}
		}
	}
	var out []apPath
	for _, x := range slices.Compact(slices.Sorted(slices.Values(arns))) {
		p := apPath{arn: x, policy: allowEveryone()}
		for i := range a.st.AccessPoints {
			if a.st.AccessPoints[i].ARN == x {
				p.policy, p.state = a.st.AccessPoints[i].Policy, &a.st.AccessPoints[i]
			}
		}
		out = append(out, p)
	}
	return out
}

// allowEveryone is the policy another account's administrator may give
// its access point.
func allowEveryone() *policy.Policy {
	return &policy.Policy{Version: policy.Version2012, Statement: []policy.Statement{{
		Effect: policy.Allow, Principal: &policy.Principal{Wildcard: true},
		Action: policy.One("*"), Resource: policy.One("*"),
	}}}
}

// decidePaths decides a sample request directly and through each access
// point the statement names: the paths that allow it, or (none does) the
// direct request's denial.
func (a *auditor) decidePaths(r policy.S3Request, d policyDoc, s policy.Statement, caller string) []AccessCheck {
	direct := a.decideS3(r, a.s3Setup(d, caller))
	var out []AccessCheck
	if direct.Decision == policy.Allowed {
		out = append(out, direct)
	}
	for _, p := range a.apPaths(d, s) {
		via := r
		via.AccessPoint = p.arn
		set := a.s3Setup(d, caller)
		set.AccessPointPolicy, set.BPA = p.policy, a.effectiveBPA(p.state)
		if c := a.decideS3(via, set); c.Decision == policy.Allowed {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = append(out, direct)
	}
	return out
}
