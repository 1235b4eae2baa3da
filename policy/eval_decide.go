package policy

import "fmt"

// sides is what decideAllow weighs once no statement denies: the allows
// each side gave, and who is asking whom.
type sides struct {
	in      Input
	req     Request
	id, rp  docOutcome
	caller  PrincipalInfo
	resName string
}

func (s sides) identityAllows() bool { return len(s.id.allows) > 0 || s.in.IdentityDecided }
func (s sides) resourceAllows() bool { return len(s.rp.direct) > 0 || len(s.rp.account) > 0 }
func (s sides) sameAccount() bool {
	return s.caller.Account != "" && s.caller.Account == s.req.ResourceAccount
}

// decideAllow applies the allow rules: anonymous callers need Principal
// "*"; the bucket half of an access point request needs the bucket policy
// (unless the caller is the bucket's own account); trust and key policies
// must allow even within one account; otherwise same-account requests need
// one side, cross-account requests both.
func decideAllow(in Input, req Request, id, rp docOutcome) Result {
	s := sides{in: in, req: req, id: id, rp: rp, caller: ParsePrincipal(req.Principal), resName: "the resource policy"}
	if in.Resource != nil {
		s.resName = in.Resource.Name
	}
	if in.Resource == nil || in.Resource.Policy == nil {
		s.resName += " (none: the resource has no policy)"
	}
	switch {
	case s.caller.Anonymous:
		if len(rp.direct) > 0 {
			return allowed(rp.direct)
		}
		return implicit(rp, Reason{
			Document: s.resName,
			Message:  "an anonymous request needs a resource policy statement allowing Principal \"*\"; none does",
		})
	case s.caller.Service != "":
		return s.service()
	case in.IdentityDecided:
		return s.delegated()
	case s.sameAccount() && in.resourceMustAllow():
		return s.mustAllow()
	case s.sameAccount():
		return s.oneSide()
	}
	return s.bothSides()
}

func allowed(rs ...[]Reason) Result {
	var out []Reason
	for _, r := range rs {
		out = append(out, r...)
	}
	return Result{Decision: Allowed, Reasons: out}
}

// service: an AWS service principal (logging.s3.amazonaws.com,
// cloudtrail.amazonaws.com, ...) has no identity policies of its own; a
// resource policy statement naming it (or "*") is all it needs.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
func (s sides) service() Result {
	if len(s.rp.direct) > 0 {
		return allowed(s.rp.direct)
	}
	return implicit(s.rp, Reason{
		Document: s.resName,
		Message: fmt.Sprintf("a service principal has no identity policies: "+
			"a resource policy statement must allow %s for %s, and none does", s.req.Action, s.req.Principal),
	})
}

// delegated: the identity side was decided at the access point.
func (s sides) delegated() Result {
	if s.sameAccount() {
		// The bucket owner's own principals: their identity policy is the
		// owner's grant, and it already allowed the request.
		own := Reason{
			Document: "identity policies",
			Message: "the caller is in the resource's own account " +
				"and its identity policy allowed the request at the access point",
		}
		return allowed([]Reason{own}, s.rp.direct, s.rp.account)
	}
	if s.resourceAllows() {
		return allowed(s.rp.direct, s.rp.account)
	}
	return implicit(s.rp, Reason{
		Document: s.resName,
		Message:  fmt.Sprintf("no statement allows %s on %s for this principal", s.req.Action, s.req.Resource),
	})
}

// mustAllow: a trust or key policy in the caller's own account.
func (s sides) mustAllow() Result {
	kind := s.in.Resource.Kind
	switch {
	case len(s.rp.direct) > 0:
		return allowed(s.rp.direct)
	case len(s.rp.account) > 0 && s.identityAllows():
		return allowed(s.id.allows, s.rp.account)
	case len(s.rp.account) > 0:
		return implicit(s.id, s.rp.account[0], Reason{
			Document: "identity policies",
			Message: fmt.Sprintf("the %s names only the account, which delegates to IAM, "+
				"and no identity policy statement allows %s", kind, s.req.Action),
		})
	}
	return implicit(s.rp, Reason{
		Document: s.resName,
		Message: fmt.Sprintf("a %s must allow explicitly, even within one account; "+
			"no statement allows %s for %s", kind, s.req.Action, s.req.Principal),
	})
}

// oneSide: within one account either side's allow is enough, but a
// resource policy naming only the account delegates to IAM.
func (s sides) oneSide() Result {
	if s.identityAllows() || len(s.rp.direct) > 0 {
		return allowed(s.id.allows, s.rp.direct)
	}
	msg := fmt.Sprintf("no identity policy statement allows %s on %s, "+
		"and no resource policy statement names this principal", s.req.Action, s.req.Resource)
	if len(s.rp.account) > 0 {
		msg = "the resource policy names only the account, which delegates to IAM: " +
			"an identity policy must allow " + s.req.Action + " and none does"
	}
	return implicit(mergeNear(s.id, s.rp), Reason{Document: "identity policies", Message: msg})
}

// bothSides: across accounts the identity side and the resource side must
// both allow.
func (s sides) bothSides() Result {
	if s.identityAllows() && s.resourceAllows() {
		return allowed(s.id.allows, s.rp.direct, s.rp.account)
	}
	var why []Reason
	if !s.identityAllows() {
		why = append(why, Reason{
			Document: "identity policies",
			Message: fmt.Sprintf("cross-account: no identity policy statement of %s allows %s on %s",
				s.req.Principal, s.req.Action, s.req.Resource),
		})
	}
	if !s.resourceAllows() {
		why = append(why, Reason{
			Document: s.resName,
			Message: fmt.Sprintf("cross-account: the resource owner %s must allow too, "+
				"and no statement allows %s for %s", s.req.ResourceAccount, s.req.Action, s.req.Principal),
		})
	}
	return implicit(mergeNear(s.id, s.rp), why...)
}
