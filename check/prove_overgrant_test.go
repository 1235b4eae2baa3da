package check

import (
	"slices"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// overGrant is one subtle over-grant written by hand into a plan's
// documents, and what the proof must name.
type overGrant struct {
	name   string
	spec   spec.Spec
	edit   func(t *testing.T, p *plan.Plan)
	action string // the extra action the proof must name
	sid    string // the statement (suffix) it must name as granting it
	why    string // a phrase the reason must hold
}

// stmt finds the statement with Sid prefix+suffix in the plan's document of
// kind.
func stmt(t *testing.T, p *plan.Plan, kind policy.Kind, suffix string) *policy.Statement {
	t.Helper()
	for _, d := range p.Documents {
		if d.Kind != kind || d.AccountID != p.Spec.OwnerAccount || d.Policy == nil {
			continue
		}
		for i := range d.Policy.Statement {
			if d.Policy.Statement[i].Sid == p.SidPrefix+suffix {
				return &d.Policy.Statement[i]
			}
		}
	}
	t.Fatalf("test setup: no %s statement %s%s", kind, p.SidPrefix, suffix)
	return nil
}

func addAction(kind policy.Kind, suffix, action string) func(*testing.T, *plan.Plan) {
	return func(t *testing.T, p *plan.Plan) {
		st := stmt(t, p, kind, suffix)
		st.Action = policy.List(append(slices.Clone(st.Action.Values), action)...)
	}
}

func readSpec(m spec.Method) spec.Spec { return plan.BaseSpec(m, spec.AccessRead) }

func overGrants() []overGrant {
	bp := policy.KindBucketPolicy
	out := []overGrant{
		{"PutObjectAcl added", readSpec(spec.MethodBucketPolicy), addAction(bp, "Objects", "s3:PutObjectAcl"), "s3:PutObjectAcl", "Objects", "beyond read access"},
		{"GetObjectVersion added", readSpec(spec.MethodBucketPolicy), addAction(bp, "Objects", "s3:GetObjectVersion"), "s3:GetObjectVersion", "Objects", "beyond read access"},
		{"DeleteObjectVersion added", readSpec(spec.MethodBucketPolicy), addAction(bp, "Objects", "s3:DeleteObjectVersion"), "s3:DeleteObjectVersion", "Objects", "beyond read access"},
		{"GetObjectTagging added", readSpec(spec.MethodBucketPolicy), addAction(bp, "Objects", "s3:GetObjectTagging"), "s3:GetObjectTagging", "Objects", "beyond read access"},
		{"RestoreObject added", readSpec(spec.MethodBucketPolicy), addAction(bp, "Objects", "s3:RestoreObject"), "s3:RestoreObject", "Objects", "beyond read access"},
		{"reports/* widened to reports*", readSpec(spec.MethodBucketPolicy), func(t *testing.T, p *plan.Plan) {
			st := stmt(t, p, bp, "Objects")
			st.Resource = policy.One(strings.Replace(st.Resource.Values[0], "reports/*", "reports*", 1))
		}, "s3:GetObject", "Objects", "outside the granted prefixes"},
		{"GetObject widened to Get*", readSpec(spec.MethodBucketPolicy), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, bp, "Objects").Action = policy.One("s3:Get*")
		}, "s3:GetObjectAcl", "Objects", "beyond read access"},
		{"a third account added to the Principal", readSpec(spec.MethodBucketPolicy), func(t *testing.T, p *plan.Plan) {
			st := stmt(t, p, bp, "Objects")
			st.Principal = policy.AWSPrincipals(append(st.Principal.Values("AWS"), "arn:aws:iam::777788889999:root")...)
		}, "s3:GetObject", "Objects", "not a grantee"},
		{"ListBucketVersions added", readSpec(spec.MethodBucketPolicy), addAction(bp, "List", "s3:ListBucketVersions"), "s3:ListBucketVersions", "List", "beyond read access"},
		{"the s3:prefix condition dropped from ListBucket", readSpec(spec.MethodBucketPolicy), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, bp, "List").Condition = nil
		}, "s3:ListBucket", "List", "s3:prefix"},
		// More of our own.
		{"the TLS deny removed", readSpec(spec.MethodBucketPolicy), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, bp, "DenyInsecureTransport").Effect = policy.Allow
			stmt(t, p, bp, "DenyInsecureTransport").Action = policy.One("s3:GetBucketLocation")
			stmt(t, p, bp, "DenyInsecureTransport").Resource = policy.One("arn:aws:s3:::" + plan.ExBucket)
		}, "s3:GetObject", "Objects", "plain HTTP"},
		{"the principal widened to the account", readSpec(spec.MethodBucketPolicy), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, bp, "Objects").Principal = policy.AWSPrincipals("arn:aws:iam::" + plan.ExConsumer + ":root")
		}, "s3:GetObject", "Objects", "relies on the consumer's restraint"},
		{"the organization condition dropped", withOrg(readSpec(spec.MethodBucketPolicy)), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, bp, "Objects").Condition = nil
		}, "s3:GetObject", "Objects", "outside organization"},
		{"iam-role: the ExternalId dropped from the trust policy", withExternalID(readSpec(spec.MethodIAMRole)), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, policy.KindTrustPolicy, "Trust").Condition = nil
		}, "s3:GetObject", "Objects", "ExternalId"},
		{"iam-role: the role's permissions on every bucket", readSpec(spec.MethodIAMRole), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, policy.KindIdentityPolicy, "Objects").Resource = policy.One("arn:aws:s3:::*/reports/*")
		}, "s3:GetObject", "Objects", "another bucket"},
		{"iam-role: the role may run S3 Batch Operations jobs", readSpec(spec.MethodIAMRole), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, policy.KindIdentityPolicy, "Location").Action = policy.List("s3:GetBucketLocation", "s3:DescribeJob")
			stmt(t, p, policy.KindIdentityPolicy, "Location").Resource = policy.One("*")
		}, "s3:DescribeJob", "Location", "not "},
		{"access-point: the delegation no longer pins the access point", readSpec(spec.MethodAccessPoint), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, bp, "DelegateObjects").Condition = policy.Conditions{}.Add("StringEquals", "s3:DataAccessPointAccount", policy.CondStrings(plan.ExOwner, plan.ExConsumer))
		}, "s3:GetObject", "DelegateObjects", "relies on the consumer's restraint"},
		{"access-point: the access point policy names everyone", readSpec(spec.MethodAccessPoint), func(t *testing.T, p *plan.Plan) {
			stmt(t, p, policy.KindAccessPointPolicy, "Objects").Principal = &policy.Principal{Wildcard: true}
		}, "s3:GetObject", "Objects", "not a grantee"},
		{"kms: the key policy lets the consumer create grants", withKey(readSpec(spec.MethodBucketPolicy)), func(t *testing.T, p *plan.Plan) {
			st := stmt(t, p, policy.KindKeyPolicy, "KMS")
			st.Action = policy.List("kms:Decrypt", "kms:CreateGrant")
		}, "kms:CreateGrant", "KMS", "beyond read access"},
		{"kms: the key usable outside S3", withKey(readSpec(spec.MethodBucketPolicy)), func(t *testing.T, p *plan.Plan) {
			delete(stmt(t, p, policy.KindKeyPolicy, "KMS").Condition, "StringEquals")
		}, "kms:Decrypt", "KMS", "other than through S3"},
	}
	return out
}

func withKey(s spec.Spec) spec.Spec { s.KMSKey = plan.ExKMSKey; return s }

func withOrg(s spec.Spec) spec.Spec        { s.OrgID = "o-a1b2c3d4e5"; return s }
func withExternalID(s spec.Spec) spec.Spec { s.ExternalID = "partner-7f3c9a"; return s }

// TestProofCatchesOverGrants: each over-grant makes the proof fail, naming
// the extra action, the statement that grants it and why; the same plan
// unmodified passes (so the failure is the edit's).
func TestProofCatchesOverGrants(t *testing.T) {
	for _, og := range overGrants() {
		t.Run(og.name, func(t *testing.T) {
			p := planFor(t, og.spec, nil)
			if pr := Prove(p, plan.Facts{}); !pr.OK {
				t.Fatalf("the unmodified plan fails:\n%s", proofFailures(pr))
			}
			og.edit(t, p)
			pr := Prove(p, plan.Facts{})
			if pr.OK {
				t.Fatal("the proof passes an over-grant")
			}
			if !slices.ContainsFunc(pr.Extra, func(e ExtraAccess) bool {
				return e.Action == og.action && strings.Contains(strings.Join(e.Statements, " "), p.SidPrefix+og.sid) && strings.Contains(e.Why, og.why)
			}) {
				t.Fatalf("no extra access names %s, statement %s%s and %q:\n%s", og.action, p.SidPrefix, og.sid, og.why, proofFailures(pr))
			}
			if m := Plan(p); m.OK {
				t.Fatal("Plan passes the over-grant")
			}
		})
	}
}

// TestProofReportsForeignStatements: a statement s3grant does not own (kept
// by the merge from the existing bucket policy) that gives the consumer
// more is a finding, not the grant's failure.
func TestProofReportsForeignStatements(t *testing.T) {
	existing := &policy.Policy{Version: policy.Version2012, Statement: []policy.Statement{{
		Sid: "LegacyVersions", Effect: policy.Allow,
		Principal: policy.AWSPrincipals(plan.ExRole), Action: policy.One("s3:GetObjectVersion"),
		Resource: policy.One("arn:aws:s3:::" + plan.ExBucket + "/reports/*"),
	}}}
	s := readSpec(spec.MethodBucketPolicy)
	st := &plan.State{Known: true}
	st.SetPolicy(plan.DocKey{Kind: policy.KindBucketPolicy, Target: s.BucketARN()}, existing)
	pr := Prove(planFor(t, s, st), plan.Facts{})
	if !pr.OK {
		t.Fatalf("a foreign statement counted as the grant's:\n%s", proofFailures(pr))
	}
	if !slices.ContainsFunc(pr.Foreign, func(e ExtraAccess) bool {
		return e.Action == "s3:GetObjectVersion" && strings.Contains(strings.Join(e.Statements, " "), "LegacyVersions")
	}) {
		t.Fatalf("no finding names the foreign statement: %+v", pr.Foreign)
	}
}
