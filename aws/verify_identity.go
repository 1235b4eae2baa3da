package aws

import (
	"context"
	"fmt"
	"strings"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/s3grant/s3grant/arn"
)

// become makes the probes run as a principal the plan grants. A plan that
// names consumer principals grants nothing to anyone else in the account,
// so probes sent as another identity fail for a reason that says nothing
// about the grant: when the caller is none of them, verify assumes one of
// the named roles; when it cannot, the probes still run as the caller, and
// every failure says who they ran as and whom the plan grants instead of
// blaming a side of the grant.
func (v *verifier) become(ctx context.Context, consumer *Account) {
	named := v.s.PrincipalsIn(consumer.ID)
	if len(named) == 0 {
		return // the whole account is granted: any identity with the identity policy will do
	}
	for _, p := range named {
		if actsAs(consumer.ARN, p) {
			return
		}
	}
	var tried []string
	for _, p := range named {
		if !strings.Contains(p, ":role/") {
			continue
		}
		in := &sts.AssumeRoleInput{RoleArn: sdk.String(p), RoleSessionName: sdk.String("s3grant-verify")}
		out, err := consumer.STS().AssumeRole(ctx, in)
		if err != nil {
			tried = append(tried, "sts:AssumeRole "+p+": "+shortErr(err))
			continue
		}
		v.useSession(consumer, out)
		v.probes = append(v.probes, Probe{
			Name: "consumer-identity", Request: "sts:AssumeRole " + p,
			Expect: ExpectAllow, Result: ResultAllowed, OK: true,
			Next: fmt.Sprintf("the consumer credentials act as %s, which the plan does not name: "+
				"the probes run as %s (assumed role)", consumer.ARN, v.who),
		})
		return
	}
	v.mismatch = fmt.Sprintf("the probes ran as %s, but the plan grants only %s "+
		"and verify could not assume any of them, so a failure here says nothing about the grant: "+
		"run verify with --consumer-profile set to a profile whose credentials are %s",
		consumer.ARN, strings.Join(named, ", "), named[0])
	pr := Probe{
		Name: "consumer-identity", Request: "sts:GetCallerIdentity", Expect: ExpectAllow,
		Result: ResultFailed, Class: ClassIdentity, Next: v.mismatch,
	}
	if len(tried) > 0 {
		pr.Error = strings.Join(tried, "; ")
	}
	v.probes = append(v.probes, pr)
}

// actsAs reports whether caller (a GetCallerIdentity ARN) is principal (an
// ARN of the plan). An account root names every identity of the account;
// a role is acted as through its sessions (assumed-role ARNs carry the
// role's name without its path).
func actsAs(caller, principal string) bool {
	if caller == principal {
		return true
	}
	acct := arn.AccountOf(principal)
	if acct == "" || arn.AccountOf(caller) != acct {
		return false
	}
	_, res, ok := strings.Cut(principal, ":iam::"+acct+":")
	if !ok {
		return false
	}
	if res == "root" {
		return true
	}
	if name, ok := strings.CutPrefix(res, "role/"); ok {
		name = name[strings.LastIndex(name, "/")+1:]
		_, sess, ok := strings.Cut(caller, ":assumed-role/")
		return ok && strings.HasPrefix(sess, name+"/")
	}
	return false
}

// assumeOwnerRole takes the owner's role (iam-role method) with the
// ExternalId, retrying while a new role is not yet assumable.
func (v *verifier) assumeOwnerRole(ctx context.Context, consumer *Account) bool {
	role := v.s.RoleARN()
	in := &sts.AssumeRoleInput{RoleArn: &role, RoleSessionName: sdk.String("s3grant-verify")}
	if v.s.ExternalID != "" {
		in.ExternalId = &v.s.ExternalID
	}
	stsc := v.clients.STS()
	backoff := v.o.Backoff
	if v.mismatch != "" {
		backoff = nil // the caller is not whom the trust policy names: waiting changes nothing
	}
	var out *sts.AssumeRoleOutput
	var err error
	for n := 0; ; n++ {
		out, err = stsc.AssumeRole(ctx, in)
		if err == nil || !(isDenied(ErrorCode(err)) || IsTransient(err)) || n >= len(backoff) {
			break
		}
		if v.o.Progress != nil {
			msg := fmt.Sprintf("waiting %s for the new role to become assumable: %s", backoff[n], shortErr(err))
			v.o.Progress(Event{Type: EventWaiting, Wait: backoff[n], Message: msg})
		}
		select {
		case <-ctx.Done():
			return v.add("assume-role", "sts:AssumeRole "+role, ExpectAllow, ctx.Err())
		case <-time.After(backoff[n]):
		}
	}
	if !v.add("assume-role", "sts:AssumeRole "+role, ExpectAllow, err) {
		return false
	}
	v.useSession(consumer, out)
	return true
}

// useSession switches the probes to an assumed role's session.
func (v *verifier) useSession(consumer *Account, out *sts.AssumeRoleOutput) {
	c := out.Credentials
	creds := credentials.NewStaticCredentialsProvider(
		sdk.ToString(c.AccessKeyId), sdk.ToString(c.SecretAccessKey), sdk.ToString(c.SessionToken))
	v.clients = consumer.WithCredentials(creds)
	v.who = sdk.ToString(out.AssumedRoleUser.Arn)
}
