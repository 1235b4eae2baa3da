package check

import (
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

func planFor(t testing.TB, s spec.Spec, st *plan.State) *plan.Plan {
	t.Helper()
	p, err := plan.New(s, st)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

func failures(m *Matrix) string {
	var b strings.Builder
	for _, e := range m.Expectations {
		if !e.Pass {
			b.WriteString("  want " + e.Want + " (" + e.Why + "): " + e.Principal + " " + e.Action + " " + e.Resource + " -> " + string(e.Decision) + "\n")
			for _, r := range e.Reasons {
				b.WriteString("      " + r.String() + "\n")
			}
		}
	}
	if m.Proof != nil && !m.Proof.OK {
		b.WriteString("  the proof over every request:\n" + proofFailures(m.Proof))
	}
	return b.String()
}

// TestMatrixOfEveryExample: the access matrix of every plan of the gallery
// (the golden plans) holds.
func TestMatrixOfEveryExample(t *testing.T) {
	for _, ex := range plan.Examples() {
		t.Run(ex.Name, func(t *testing.T) {
			m := Plan(planFor(t, ex.Spec, nil))
			if !m.OK {
				t.Fatalf("matrix fails:\n%s", failures(m))
			}
			var allow, deny int
			for _, e := range m.Expectations {
				if e.Want == WantAllow {
					allow++
				} else {
					deny++
				}
			}
			if allow == 0 || deny < 4 {
				t.Fatalf("matrix too small: %d must-allow, %d must-deny", allow, deny)
			}
		})
	}
}

// TestMatrixCatchesBrokenPlans: the matrix must fail when a document grants
// more, or less, than asked.
func TestMatrixCatchesBrokenPlans(t *testing.T) {
	base := plan.Examples()[0].Spec // bucket-policy/read
	breakers := []struct {
		name  string
		edit  func(p *plan.Plan)
		wants string // the Why of an expectation that must now fail
	}{
		{"bucket policy without the consumer's grant", func(p *plan.Plan) {
			bp := docOf(p, policy.KindBucketPolicy)
			bp.Policy.Statement = bp.Policy.Statement[len(bp.Policy.Statement)-1:] // only the TLS deny
		}, "the consumer can s3:GetObject under reports/"},
		{"bucket policy granting the whole bucket to everyone", func(p *plan.Plan) {
			bp := docOf(p, policy.KindBucketPolicy)
			bp.Policy.Statement = append(bp.Policy.Statement, policy.Statement{
				Effect: policy.Allow, Principal: &policy.Principal{Wildcard: true},
				Action: policy.One("s3:*"), Resource: policy.One("arn:aws:s3:::analytics-exports/*"),
			})
		}, "an anonymous request"},
		{"no TLS deny", func(p *plan.Plan) {
			bp := docOf(p, policy.KindBucketPolicy)
			bp.Policy.Statement = bp.Policy.Statement[:len(bp.Policy.Statement)-1]
		}, "plain HTTP (TLS is required)"},
		{"identity policy with s3:*", func(p *plan.Plan) {
			id := docOf(p, policy.KindIdentityPolicy)
			id.Policy.Statement[len(id.Policy.Statement)-1].Action = policy.One("s3:*")
			bp := docOf(p, policy.KindBucketPolicy)
			bp.Policy.Statement[len(bp.Policy.Statement)-2].Action = policy.One("s3:*")
		}, "an action beyond read access"},
	}
	for _, b := range breakers {
		t.Run(b.name, func(t *testing.T) {
			p := planFor(t, base, nil)
			b.edit(p)
			m := Plan(p)
			if m.OK {
				t.Fatal("the matrix passed a broken plan")
			}
			for _, e := range m.Expectations {
				if !e.Pass && e.Why == b.wants {
					return
				}
			}
			t.Fatalf("no failing expectation %q; failures:\n%s", b.wants, failures(m))
		})
	}
}

func docOf(p *plan.Plan, k policy.Kind) *plan.Document {
	for _, d := range p.Documents {
		if d.Kind == k {
			return d
		}
	}
	return nil
}

// TestMatrixExistingDenyBlocksRole: iam-role needs no bucket policy grant,
// but an explicit Deny in the existing bucket policy still blocks it.
func TestMatrixExistingDenyBlocksRole(t *testing.T) {
	var s spec.Spec
	for _, ex := range plan.Examples() {
		if ex.Name == "iam-role/read" {
			s = ex.Spec
		}
	}
	deny, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"NoReports","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	st := &plan.State{Known: true}
	st.SetPolicy(plan.DocKey{Kind: policy.KindBucketPolicy, Target: "arn:aws:s3:::analytics-exports"}, deny)
	m := Plan(planFor(t, s, st))
	if m.OK {
		t.Fatal("an existing explicit deny must fail the matrix")
	}
	if !strings.Contains(failures(m), "NoReports") {
		t.Fatalf("the failure must name the deny statement:\n%s", failures(m))
	}
}

// TestMatrixAWSManagedKey: objects under the AWS-managed aws/s3 key cannot
// be read from another account, so only iam-role passes.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
func TestMatrixAWSManagedKey(t *testing.T) {
	facts := plan.Facts{Read: true, SSEAlgorithm: "aws:kms", SSEAWSManagedKey: true}
	for _, ex := range plan.Examples() {
		if ex.Name != "bucket-policy/read" && ex.Name != "iam-role/read" && ex.Name != "access-point/read" {
			continue
		}
		m := PlanWithFacts(planFor(t, ex.Spec, nil), facts)
		wantOK := ex.Name == "iam-role/read"
		if m.OK != wantOK {
			t.Errorf("%s: matrix OK = %v, want %v:\n%s", ex.Name, m.OK, wantOK, failures(m))
		}
		if !wantOK && !strings.Contains(failures(m), "AWS-managed") {
			t.Errorf("%s: the failure must name the AWS-managed key:\n%s", ex.Name, failures(m))
		}
	}
}

// TestMatrixSweep: every valid combination of method, access level and
// options passes its matrix, not only the gallery's.
func TestMatrixSweep(t *testing.T) {
	n := 0
	for _, m := range spec.Methods {
		for _, a := range spec.AccessLevels {
			for _, who := range [][]string{nil, {plan.ExRole}, {plan.ExRole, plan.ExUser, plan.ExRole2}} {
				for _, opt := range []func(*spec.Spec){
					func(*spec.Spec) {},
					func(s *spec.Spec) { s.Prefixes = []string{"a/", "b/c/"}; s.OrgID = "o-a1b2c3d4e5" },
					func(s *spec.Spec) { s.Prefixes = nil; s.KMSKey = plan.ExKMSKey; s.NoRequireTLS = true },
					func(s *spec.Spec) {
						s.ExternalID = "x-1234"
						s.AccessPointOwner = spec.APOwnerConsumer
						s.KMSKey = plan.ExKMSKey
					},
				} {
					s := plan.BaseSpec(m, a)
					s.ConsumerPrincipals = who
					s.ConsumerAccounts = []string{plan.ExConsumer}
					if len(who) == 3 {
						s.ConsumerAccounts = []string{plan.ExConsumer, plan.ExConsumer2}
						if m == spec.MethodACL {
							s.CanonicalIDs = append(s.CanonicalIDs, "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")
						}
					}
					opt(&s)
					p, err := plan.New(s, nil)
					if err != nil {
						continue // combinations the spec rejects
					}
					n++
					if mx := Plan(p); !mx.OK {
						t.Errorf("%s %s principals=%v prefixes=%v org=%q kms=%v ap-owner=%q: matrix fails:\n%s",
							m, a, who, s.Prefixes, s.OrgID, s.KMSKey != "", s.AccessPointOwner, failures(mx))
					}
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d valid combinations", n)
	}
	t.Logf("%d plans checked", n)
}

// The matrix's invented outsider never collides with the plan's own accounts.
func TestMatrixWithOutsiderLikeAccounts(t *testing.T) {
	s := plan.Examples()[0].Spec
	s.OwnerAccount = "999988887777"
	s.ConsumerAccounts = []string{"999988887776"}
	s.ConsumerPrincipals = []string{"arn:aws:iam::999988887776:role/analytics"}
	p, err := plan.New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := Plan(p); !m.OK {
		var b strings.Builder
		_ = m.WriteText(&b)
		t.Errorf("matrix fails for accounts near the outsider's:\n%s", b.String())
	}
}
