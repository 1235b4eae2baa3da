package check

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/internal/oracle"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// TestMatrixAgreesWithOracle asks the independent simulator every request
// of every example plan's matrix (stage by stage: assuming the role, the
// access point, the bucket, the key) and requires the same decision as
// s3grant's evaluator. This checks the generated documents with an engine
// that shares no code with ours. The oracle does not model ACLs, so the acl
// plans are left to the table tests; anonymous requests are left out too.
func TestMatrixAgreesWithOracle(t *testing.T) {
	type pending struct {
		name   string
		ours   policy.Decision
		stages []oracle.Case
	}
	var all []pending
	var cases []oracle.Case
	for _, ex := range plan.Examples() {
		if ex.Spec.Method == spec.MethodACL {
			continue
		}
		w := newWorld(planFor(t, ex.Spec, nil), plan.Facts{})
		for _, r := range w.requests() {
			if r.call.who.arn == "" {
				continue
			}
			st := oracleStages(w, r, len(cases))
			cases = append(cases, st...)
			all = append(all, pending{
				name: fmt.Sprintf("%s: want %s (%s) %s %s", ex.Name, r.want, r.why, r.call.who.arn, actionOf(r)),
				ours: goDecision(w, r), stages: st,
			})
		}
	}
	answers := oracle.Run(t, cases)
	for _, p := range all {
		var rs []policy.Result
		for _, c := range p.stages {
			a := answers[c.ID]
			d, ok := policy.ParseDecision(a.Decision)
			if !ok {
				t.Fatalf("%s: oracle answer %+v", p.name, a)
			}
			rs = append(rs, policy.Result{Decision: d})
		}
		if theirs := policy.Combine(rs...).Decision; theirs != p.ours {
			t.Errorf("%s: s3grant %s, oracle %s", p.name, p.ours, theirs)
		}
	}
	if len(all) < 300 {
		t.Errorf("only %d matrix requests were compared", len(all))
	}
	t.Logf("%d matrix requests (%d oracle calls) agree", len(all), len(cases))
}

func actionOf(r request) string {
	if r.keyAction != "" {
		return r.keyAction
	}
	return r.call.action
}

func goDecision(w *world, r request) policy.Decision {
	if r.keyAction != "" {
		return w.keyCall(r.call.who, r.keyAction).Decision
	}
	res, _, _ := w.evaluate(r.call)
	return res.Decision
}

// oracleStages turns one matrix request into the oracle calls that decide
// it, mirroring how S3 authorizes it (see world.evaluate).
func oracleStages(w *world, r request, firstID int) []oracle.Case {
	var out []oracle.Case
	add := func(engine, principal, action, resource, account string, identity []policy.Doc, resPolicy *policy.Policy, ctx policy.Context) {
		full := policy.ImpliedContext(policy.Request{Principal: principal, ResourceAccount: account, Context: ctx})
		out = append(out, oracle.Case{
			ID: firstID + len(out) + 1, Engine: engine, Principal: principal, Action: action, Resource: resource,
			AccountID: account, Context: contextJSON(full), IdentityPolicies: docsJSON(identity), ResourcePolicy: policyJSON(resPolicy),
		})
	}
	ctx := w.baseContext()
	for _, k := range r.call.ctx.Keys() {
		v, _ := r.call.ctx.Get(k)
		ctx.Set(k, v...)
	}
	who, identity, owner := r.call.who.arn, r.call.who.identity, w.s.OwnerAccount
	roleSession := policy.RoleSession(w.roleARN(), checkSession)
	if w.s.Method == spec.MethodIAMRole && !r.call.direct {
		if r.keyAction == "" {
			add(oracle.EngineSimulate, who, "sts:AssumeRole", w.roleARN(), owner, identity, w.trust[w.roleARN()], ctx)
		}
		who, identity = roleSession, w.identity[w.roleARN()]
		ctx = withoutOrg(ctx) // the role's session is the owner's: see world.evaluate
	}
	keyCtx := ctx.Clone().Set("kms:ViaService", "s3."+strings.Split(w.s.KMSKey+"::::", ":")[3]+".amazonaws.com").Set("kms:CallerAccount", policy.ParsePrincipal(who).Account)
	if r.keyAction != "" {
		add(oracle.EngineSimulate, who, r.keyAction, w.s.KMSKey, owner, identity, w.keyPolicy, keyCtx)
		return out
	}
	if r.call.prefix != "" {
		ctx.Set("s3:prefix", r.call.prefix)
	}
	ctx.Set("s3:ResourceAccount", owner)
	bucketRes := fmt.Sprintf("arn:%s:s3:::%s", w.s.Partition(), w.s.Bucket)
	if r.call.key != "" {
		bucketRes += "/" + r.call.key
	}
	if ap := w.accessPointARN(); ap != "" {
		apAccount := policy.ParsePrincipal(ap).Account
		ctx.Set("s3:DataAccessPointArn", ap).Set("s3:DataAccessPointAccount", apAccount).Set("s3:AccessPointNetworkOrigin", "Internet")
		apRes := ap
		if r.call.key != "" {
			apRes += "/object/" + r.call.key
		}
		add(oracle.EngineSimulate, who, r.call.action, apRes, apAccount, identity, w.apPolicies[ap], ctx)
		add(oracle.EngineCore, who, r.call.action, bucketRes, owner, allowAll(), w.bucketPolicy, ctx)
	} else {
		add(oracle.EngineSimulate, who, r.call.action, bucketRes, owner, identity, w.bucketPolicy, ctx)
	}
	if ka := map[string]string{"s3:GetObject": "kms:Decrypt", "s3:PutObject": "kms:GenerateDataKey"}[r.call.action]; ka != "" && w.s.KMSKey != "" {
		add(oracle.EngineSimulate, who, ka, w.s.KMSKey, owner, identity, w.keyPolicy, keyCtx)
	}
	return out
}

// allowAll stands for an identity side already decided at the access point.
func allowAll() []policy.Doc {
	p, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	return []policy.Doc{{Name: "decided at the access point", Policy: p}}
}

func docsJSON(docs []policy.Doc) []json.RawMessage {
	out := []json.RawMessage{}
	for _, d := range docs {
		out = append(out, d.Policy.Minified())
	}
	return out
}

func policyJSON(p *policy.Policy) json.RawMessage {
	if p == nil {
		return json.RawMessage("null")
	}
	return p.Minified()
}

// contextJSON sends the context with the keys' documented spelling.
func contextJSON(ctx policy.Context) map[string]any {
	names := []string{
		"aws:SecureTransport", "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:username",
		"aws:ResourceAccount", "aws:PrincipalOrgID", "s3:prefix", "s3:ResourceAccount", "s3:DataAccessPointArn",
		"s3:DataAccessPointAccount", "s3:AccessPointNetworkOrigin", "s3:x-amz-acl", "sts:ExternalId", "kms:ViaService", "kms:CallerAccount",
	}
	out := map[string]any{}
	for _, k := range ctx.Keys() {
		v, _ := ctx.Get(k)
		name := k
		for _, n := range names {
			if strings.EqualFold(n, k) {
				name = n
			}
		}
		if len(v) == 1 {
			out[name] = v[0]
		} else {
			out[name] = v
		}
	}
	return out
}
