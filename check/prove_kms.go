package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// The key half of the proof: the plan's customer managed key, called
// directly or through S3, by every class of principal. A key policy
// decides its key's use (with IAM only where it delegates to its account),
// so the owner's key policy is the line; the consumer's key grants can only
// come from a kms:CreateGrant the key policy allows, which the proof asks
// about like any action.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html

// kmsActionClasses are the key actions to try: each action the key policy
// names (a pattern by a name it matches), the ones the access level needs,
// the ones that hand out or change the key (CreateGrant, PutKeyPolicy,
// ScheduleKeyDeletion), and one no document names (which only wildcards
// and NotAction can match).
func (u *universe) kmsActionClasses() []string {
	out := append([]string{}, templates.KMSActions(u.s.Access)...)
	out = append(out, "kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:ReEncryptFrom",
		"kms:S3grantUnnamedAction")
	if u.w.keyPolicy != nil {
		for _, st := range u.w.keyPolicy.Statement {
			for _, a := range append(slices.Clone(st.Action.Values), st.NotAction.Values...) {
				out = append(out, policy.Instantiate(a))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// proveKey decides every key request class and records what the spec does
// not ask for.
func (u *universe) proveKey(pr *Proof) {
	if u.s.KMSKey == "" || u.w.keyPolicy == nil || u.holder {
		return
	}
	whos, paths := u.principals(), u.paths()
	freeKeys, classes := u.freeKeys()
	key, _ := arn.Parse(u.s.KMSKey)
	viaS3 := "s3." + key.Region + ".amazonaws.com"
	vias := []string{viaS3, otherValue, absent}
	if kc := u.consts["kms:viaservice"]; kc != nil {
		vias = append(vias, kc.Representatives()...)
	}
	freeKeys = append(freeKeys, "kms:viaservice")
	classes["kms:viaservice"] = slices.Compact(vias)
	combos := policy.Combinations(freeKeys, classes)
	for _, action := range u.kmsActionClasses() {
		for wi, w := range whos {
			for _, pa := range paths {
				if pa.ap != "" || (pa.viaRole && w.arn == "") {
					continue // access points do not reach keys
				}
				pr.Requests++
				for ci, combo := range combos {
					ctx := combo.Apply(policy.Context{}, func(k string) bool {
						return k != "aws:principalorgid" || w.account != ""
					})
					res := u.decideKey(action, wi, w, pa, ci, ctx)
					pr.Evaluations++
					if res.Allowed() {
						if why := u.unexpectedKey(action, w, pa, ctx, viaS3); why != "" {
							u.recordKey(pr, action, w, pa, ctx, res, why)
							break
						}
						continue
					}
					if res.Decision == policy.ImplicitlyDenied && !res.NearMiss() {
						break
					}
				}
			}
		}
	}
}

func (u *universe) decideKey(action string, wi int, w who, pa path, ci int, ctx policy.Context) policy.Result {
	principal, identity := w.arn, w.identity
	var stages []policy.Result
	if pa.viaRole {
		assumed := u.assume(wi, w, ci, ctx)
		if !assumed.Allowed() {
			return assumed
		}
		stages = append(stages, assumed)
		principal, identity = policy.RoleSession(u.s.RoleARN(), checkSession), u.roleDocs
	}
	if acct := policy.ParsePrincipal(principal).Account; acct != "" {
		ctx = ctx.Clone().Set("kms:CallerAccount", acct)
	}
	stages = append(stages, policy.Evaluate(policy.Input{
		Request: policy.Request{
			Principal: principal, Action: action,
			Resource: u.s.KMSKey, ResourceAccount: u.s.OwnerAccount, Context: ctx,
		},
		Identity: identity,
		Resource: &policy.Doc{Name: "key policy " + u.s.KMSKey, Kind: policy.KindKeyPolicy, Policy: u.w.keyPolicy},
		Stage:    "key",
	}))
	return policy.Combine(stages...)
}

// unexpectedKey: the spec asks for the access level's key actions, by a
// grantee along the method's path, through S3 in the key's region.
func (u *universe) unexpectedKey(action string, w who, pa path, ctx policy.Context, viaS3 string) string {
	var why []string
	if !w.grantee {
		why = append(why, w.label+" is not a grantee of the spec")
	}
	if pa.viaRole != (u.s.Method == spec.MethodIAMRole) { // the key sees the caller, never the access point
		why = append(why, "the "+string(u.s.Method)+" grant does not use the key "+pa.label)
	}
	if !slices.Contains(templates.KMSActions(u.s.Access), action) {
		why = append(why, fmt.Sprintf("%s on the bucket's key is beyond %s access", action, u.s.Access))
	}
	if v, _ := ctx.Get("kms:ViaService"); len(v) == 0 || v[0] != viaS3 {
		why = append(why, "using the key other than through S3 ("+viaS3+")")
	}
	if v, _ := ctx.Get("aws:PrincipalOrgID"); u.s.OrgID != "" && u.s.Method != spec.MethodACL &&
		(len(v) == 0 || v[0] != u.s.OrgID) {
		why = append(why, "a caller outside organization "+u.s.OrgID)
	}
	if len(why) == 0 {
		return ""
	}
	out := strings.Join(why, "; ")
	if w.consumer && !w.grantee {
		out = "relies on the consumer's restraint: only account " + w.account +
			"'s own IAM would keep " + w.label + " out; " + out
	}
	return out
}

func (u *universe) recordKey(
	pr *Proof,
	action string,
	w who,
	pa path,
	ctx policy.Context,
	res policy.Result,
	why string,
) {
	stmts, owned := u.grantingStatements(res, pa)
	shown := map[string][]string{}
	for _, k := range ctx.Keys() {
		shown[u.keyName(k)], _ = ctx.Get(k)
	}
	e := ExtraAccess{
		Who: w.label, Principal: principalOrAnonymous(w.arn), Action: action, Resource: u.s.KMSKey,
		Path: pa.label, Context: shown, Statements: stmts, Why: why, ownedByPlan: owned,
	}
	if owned {
		pr.Extra = append(pr.Extra, e)
	} else {
		pr.Foreign = append(pr.Foreign, e)
	}
}
