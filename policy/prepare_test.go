package policy

import (
	"slices"
	"strings"
	"testing"
)

// singleInput builds the Evaluate input of a generated (non access point) case.
func singleInput(t testing.TB, c *oracleCase) Input {
	in := Input{
		Request:  Request{Principal: c.Principal, Action: c.Action, Resource: c.Resource, ResourceAccount: c.AccountID, Context: goContext(c.Context)},
		Identity: docsOf(t, c.IdentityPolicies, KindIdentityPolicy), Resource: &Doc{Name: "resource", Kind: c.kind},
	}
	if len(c.ResourcePolicy) > 0 && string(c.ResourcePolicy) != "null" {
		in.Resource.Policy = mustParse(t, string(c.ResourcePolicy))
	}
	return in
}

// TestPreparedMatchesEvaluate: the compiled decision (and whether its
// implicit deny has a near miss) is Evaluate's on
// thousands of generated requests (every family of the differential test,
// several seeds), also as the bucket half of an access point request and
// without a resource policy, and for anonymous callers and service
// principals.
func TestPreparedMatchesEvaluate(t *testing.T) {
	seen := map[Decision]int{}
	for seed := uint64(1); seed <= 12; seed++ {
		for _, c := range generateCases(seed, 90) {
			if c.stages != nil {
				continue
			}
			base := singleInput(t, c)
			for variant, in := range variants(base) {
				res := Evaluate(in)
				want := res.Decision
				got, near := Prepare(in).DecideNear(in.Request)
				seen[want]++
				if near {
					seen["near"]++
				}
				if got != want || near != res.NearMiss() {
					t.Fatalf("seed %d case %d (%s, %s): Decide %s (near miss %v), Evaluate %s (%v)\nprincipal %s action %s resource %s",
						seed, c.ID, c.family, variant, got, near, want, res.NearMiss(), in.Request.Principal, in.Request.Action, in.Request.Resource)
				}
			}
		}
	}
	for _, d := range []Decision{Allowed, ExplicitlyDenied, ImplicitlyDenied, "near"} {
		if seen[d] < 100 {
			t.Errorf("only %d cases decided %s: the comparison does not cover it", seen[d], d)
		}
	}
}

func variants(in Input) map[string]Input {
	out := map[string]Input{"as generated": in}
	d := in
	d.IdentityDecided = true
	out["identity decided"] = d
	n := in
	n.Resource = nil
	out["no resource policy"] = n
	a := in
	a.Request.Principal = ""
	out["anonymous"] = a
	s := in
	s.Request.Principal = "s3.amazonaws.com"
	out["service"] = s
	r := in
	r.Request.Principal = strings.TrimPrefix(r.Request.Principal, "arn:aws:iam::")[:min(12, len(r.Request.Principal))]
	out["bare account"] = r
	return out
}

// TestReqViewMatchesImplied: Decide's view of the implied keys is
// impliedKeys' list, key for key, and nothing more.
func TestReqViewMatchesImplied(t *testing.T) {
	names := []string{"aws:securetransport", "aws:resourceaccount", "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username", "aws:userid"}
	principals := append(slices.Clone(genPrincipals), "", "anonymous", "s3.amazonaws.com", "111122223333",
		"arn:aws:iam::111122223333:root", "arn:aws:sts::111122223333:federated-user/bob", "arn:aws-cn:iam::111122223333:user/p/x", "not-an-arn")
	for _, p := range principals {
		for _, acct := range []string{"", "111122223333"} {
			req := Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: acct}
			want := Context{}
			for _, kv := range impliedKeys(req) {
				want.Set(kv[0], kv[1])
			}
			v := newReqView(req, ParsePrincipal(req.Principal))
			for _, k := range names {
				got, ok := v.get(k, impliedKeyOf(k))
				w, wok := want[k]
				if ok != wok || !slices.Equal(got, w) {
					t.Errorf("principal %q account %q key %s: view %v %v, impliedKeys %v %v", p, acct, k, got, ok, w, wok)
				}
			}
			for k := range want {
				if !slices.Contains(names, k) {
					t.Errorf("impliedKeys sets %s, which the view does not know", k)
				}
			}
		}
	}
}

// TestDecideDoesNotAllocate: a prepared decision allocates nothing, but
// for policy variables and the aws:PrincipalArn of a role session, which
// are built when a statement reads them.
func TestDecideDoesNotAllocate(t *testing.T) {
	total, n := 0.0, 0
	for _, c := range generateCases(3, 40) {
		if c.stages != nil || hasVariables(c) {
			continue
		}
		in := singleInput(t, c)
		p := Prepare(in)
		total += testing.AllocsPerRun(20, func() { p.Decide(in.Request) })
		n++
	}
	if avg := total / float64(n); n < 100 || avg > 0.05 {
		t.Errorf("Decide allocates %.2f times a decision on average over %d requests", avg, n)
	}
}

func hasVariables(c *oracleCase) bool {
	all := string(c.ResourcePolicy)
	for _, p := range c.IdentityPolicies {
		all += string(p)
	}
	return strings.Contains(all, "${")
}
