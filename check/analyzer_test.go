package check

import (
	"slices"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

func mustParse(t *testing.T, js string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(js))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return p
}

const readReports = `{"Version":"2012-10-17","Statement":[{"Sid":"R","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},
 "Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`

func names(r *AnalyzerResult) []string {
	var out []string
	for _, e := range r.Requests {
		out = append(out, e.Action)
	}
	return out
}

func TestNoNewAccess(t *testing.T) {
	existing := mustParse(t, readReports)
	for _, c := range []struct {
		name, updated string
		pass          bool
		action        string
	}{
		{"the same policy", readReports, true, ""},
		{"an action added", `{"Version":"2012-10-17","Statement":[{"Sid":"R","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},
			"Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`, false, "s3:GetObjectVersion"},
		{"the prefix widened", `{"Version":"2012-10-17","Statement":[{"Sid":"R","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports*"}]}`, false, "s3:GetObject"},
		{"a principal added", `{"Version":"2012-10-17","Statement":[{"Sid":"R","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222233334444:role/analytics","777788889999"]},
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`, false, "s3:GetObject"},
		{"narrower: a condition added", `{"Version":"2012-10-17","Statement":[{"Sid":"R","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := NoNewAccess(existing, mustParse(t, c.updated))
			if r.Pass != c.pass || (!c.pass && !slices.Contains(names(r), c.action)) {
				t.Fatalf("pass %v (want %v), requests %v (want %s)", r.Pass, c.pass, names(r), c.action)
			}
		})
	}
	// Identity policies: held by a principal of the bucket's account.
	idOld := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`)
	idNew := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*/reports/*"}]}`)
	if r := NoNewAccess(idOld, idNew); r.Pass {
		t.Fatal("an identity policy widened to every bucket passes no-new-access")
	}
	if r := NoNewAccess(idNew, idOld); !r.Pass {
		t.Fatalf("a narrower identity policy fails no-new-access: %v", names(r))
	}
}

func TestAccessNotGranted(t *testing.T) {
	p := planFor(t, plan.BaseSpec(spec.MethodBucketPolicy, spec.AccessRead), nil)
	target := Target{Name: "plan", Plan: p}
	if r := AccessNotGranted(target, []string{"s3:DeleteObject", "s3:PutObjectAcl"}); !r.Pass {
		t.Fatalf("a read plan grants %v", names(r))
	}
	if r := AccessNotGranted(target, []string{"s3:GetObject"}); r.Pass || !slices.Contains(names(r), "s3:GetObject") {
		t.Fatalf("a read plan does not grant s3:GetObject? %v", names(r))
	}
	pol := Target{Name: "policy", Policy: mustParse(t, readReports)}
	if r := AccessNotGranted(pol, []string{"s3:GetObjectVersion"}); !r.Pass {
		t.Fatalf("policy grants %v", names(r))
	}
}

func TestNoPublicAccess(t *testing.T) {
	for _, ex := range []string{"bucket-policy/read", "iam-role/read", "access-point/read"} {
		i := slices.IndexFunc(plan.Examples(), func(e plan.Example) bool { return e.Name == ex })
		if r := NoPublicAccess(Target{Name: ex, Plan: planFor(t, plan.Examples()[i].Spec, nil)}); !r.Pass {
			t.Errorf("%s is public: %v", ex, names(r))
		}
	}
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/*"}]}`
	if r := NoPublicAccess(Target{Name: "public", Policy: mustParse(t, public)}); r.Pass {
		t.Fatal("Principal * passes no-public-access")
	}
	orgOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/*",
		"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}`
	if r := NoPublicAccess(Target{Name: "org", Policy: mustParse(t, orgOnly)}); !r.Pass {
		t.Fatalf("an organization-bound policy is public: %v", r.Requests)
	}
}
