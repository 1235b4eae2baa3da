package aws

import (
	"context"
	"fmt"

	"github.com/s3grant/s3grant/spec"
)

// customEndpoint reports whether c talks to a custom endpoint (moto,
// LocalStack, the sandbox), where S3 clients use path-style addressing.
func customEndpoint(c Clients) bool {
	e, ok := c.(interface{ custom() bool })
	return ok && e.custom()
}

// apAccount is the account that owns the plan's access point.
func (v *verifier) apAccount() string {
	if v.s.APOwnerIsConsumer() {
		return v.s.ConsumerAccounts[0]
	}
	return v.s.OwnerAccount
}

// target sets what data calls address: the bucket, or the access point.
// With AWS's own endpoints that is the access point's ARN; a custom endpoint
// means path-style addressing, which cannot carry an ARN ("Path-style
// addressing cannot be used with ARN buckets"), so the access point's alias
// is used there, read with s3control:GetAccessPoint by the account that owns
// it (the consumer's own credentials or the owner's, whichever that is).
func (v *verifier) target(ctx context.Context, consumer *Account) bool {
	if v.s.Method != spec.MethodAccessPoint {
		v.bucket = v.s.Bucket
		return true
	}
	acct := v.apAccount()
	arn := v.s.AccessPointARN(acct)
	if !customEndpoint(consumer.Clients) {
		v.bucket = arn
		return true
	}
	req := "s3control:GetAccessPoint " + v.s.AccessPoint +
		" (its alias: path-style addressing cannot carry an access point ARN)"
	if a := v.o.AccessPointAlias; a != "" {
		v.bucket = a
		v.probes = append(v.probes, Probe{
			Name: "access-point-alias", Request: "the alias given (--access-point-alias)",
			Expect: ExpectAllow, Result: ResultSkipped, OK: true,
			Next: "the probes address access point " + arn + " by the alias given, " + a,
		})
		return true
	}
	var readers []*Account
	for _, a := range []*Account{consumer, v.o.Owner} {
		if a != nil && a.ID == acct {
			readers = append(readers, a)
		}
	}
	if len(readers) == 0 {
		v.probes = append(v.probes, Probe{
			Name: "access-point-alias", Request: req, Expect: ExpectAllow, Result: ResultFailed, Class: ClassOther,
			Next: v.aliasAdvice(acct),
		})
		return false
	}
	var err error
	for _, a := range readers {
		var alias string
		if alias, err = AccessPointAlias(ctx, a, v.s.Region, v.s.AccessPoint); err == nil && alias != "" {
			v.bucket = alias
			v.probes = append(v.probes, Probe{
				Name: "access-point-alias", Request: req, Expect: ExpectAllow, Result: ResultAllowed, OK: true,
				Next: "the probes address access point " + arn + " by its alias " + alias,
			})
			return true
		}
		if err == nil {
			err = fmt.Errorf("access point %s has no alias", v.s.AccessPoint)
		}
	}
	v.add("access-point-alias", req, ExpectAllow, err)
	if last := &v.probes[len(v.probes)-1]; ErrorCode(err) != "NoSuchAccessPoint" {
		last.Next = v.aliasAdvice(acct)
	}
	return false
}

// aliasAdvice is the next step when verify cannot read the alias.
func (v *verifier) aliasAdvice(acct string) string {
	how := "--owner-profile"
	if v.s.APOwnerIsConsumer() {
		how = "--consumer-profile"
	}
	return fmt.Sprintf("with a custom endpoint the probes address the access point by its alias, "+
		"which verify reads with s3control:GetAccessPoint in account %s: "+
		"give --access-point-alias (an administrator of %s prints it: "+
		"aws s3control get-access-point --account-id %s --name %s --query Alias), "+
		"or a %s of account %s that may read it", acct, acct, acct, v.s.AccessPoint, how, acct)
}
