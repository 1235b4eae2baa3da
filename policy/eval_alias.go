package policy

import (
	"fmt"

	awsarn "github.com/s3grant/s3grant/arn"
)

// IsKMSAlias reports whether resource is a KMS alias ARN
// (arn:aws:kms:REGION:ACCOUNT:alias/NAME).
func IsKMSAlias(resource string) bool {
	a, ok := awsarn.Parse(resource)
	return ok && a.Service == "kms" && len(a.Resource) > len("alias/") && a.Resource[:len("alias/")] == "alias/"
}

// evaluateAlias decides a request on a KMS alias. An alias is not a key: it
// has no key policy, and permission on the alias itself (kms:CreateAlias,
// kms:UpdateAlias, kms:DeleteAlias on the alias ARN) comes from IAM policies
// alone; the key policy given with the request does not apply. Alias
// operations never cross accounts, so only the alias's own account's
// principals can be allowed.
// https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html
// https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
func evaluateAlias(in Input, req Request) Result {
	var id docOutcome
	for _, d := range in.Identity {
		id.add(evalDoc(d, req, false))
	}
	if len(id.denies) > 0 {
		return Result{Decision: ExplicitlyDenied, Reasons: stage(in.Stage, id.denies)}
	}
	caller := ParsePrincipal(req.Principal)
	note := Reason{Document: in.Resource.Name, Message: fmt.Sprintf("%s is an alias, not a key: "+
		"the key policy does not apply to it; IAM policies decide alias operations", req.Resource)}
	switch {
	case caller.Anonymous || caller.Service != "" || caller.Account != req.ResourceAccount:
		note.Message += fmt.Sprintf(", and only principals of the alias's own account %s can be allowed",
			req.ResourceAccount)
		return stageResult(in.Stage, implicit(id, note))
	case len(id.allows) > 0:
		return stageResult(in.Stage, allowed([]Reason{note}, id.allows))
	}
	none := Reason{
		Document: "identity policies",
		Message:  fmt.Sprintf("no identity policy statement allows %s on %s", req.Action, req.Resource),
	}
	return stageResult(in.Stage, implicit(id, note, none))
}
