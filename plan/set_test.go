package plan_test

import (
	"os"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

func grants30(t testing.TB) []spec.Spec {
	t.Helper()
	data, err := os.ReadFile("testdata/grants30.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !plan.IsGrantsFile(data) {
		t.Fatal("grants30.yaml is not seen as a grants file")
	}
	specs, err := plan.ParseGrants(data)
	if err != nil {
		t.Fatal(err)
	}
	return specs
}

// TestSetMergesOneBucketPolicyPerBucket: 30 grants over 5 buckets write 5
// bucket policies, each holding exactly its grants' statements under their
// own Sids, the owner's steps first, and each grant alone is the ordinary
// single-grant plan.
func TestSetMergesOneBucketPolicyPerBucket(t *testing.T) {
	specs := grants30(t)
	set, err := plan.NewSet(specs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Grants) != 30 || len(set.Buckets()) != 5 || len(set.Accounts()) != 11 {
		t.Fatalf("%d grants, %d buckets, %d accounts", len(set.Grants), len(set.Buckets()), len(set.Accounts()))
	}
	policies, lastOwner := 0, 0
	for i, st := range set.Steps {
		if st.AccountID == "111122223333" {
			if lastOwner != i {
				t.Fatalf("step %d is the owner's after a consumer's", st.ID)
			}
			lastOwner++
		}
		d := set.DocumentFor(st)
		if d == nil || d.Kind != policy.KindBucketPolicy {
			continue
		}
		policies++
		if len(st.Grants) != 6 {
			t.Fatalf("bucket policy of %s carries %d grants, want 6", d.Target, len(st.Grants))
		}
		for _, gi := range st.Grants {
			g := set.Grants[gi]
			alone, err := plan.New(specs[gi], nil)
			if err != nil || alone.GrantID != g.GrantID {
				t.Fatalf("grants[%d] is not its single-grant plan: %v", gi, err)
			}
			var owned []policy.Statement
			for _, s := range d.Policy.Statement {
				if policy.Owned(s.Sid, g.SidPrefix) {
					owned = append(owned, s)
				}
			}
			want := alone.Documents[0].Generated.Statement
			if !policy.Equal(&policy.Policy{Statement: owned}, &policy.Policy{Statement: want}) {
				t.Fatalf("grants[%d]'s statements in the merged policy differ from its own", gi)
			}
		}
	}
	if policies != 5 {
		t.Fatalf("%d bucket policy writes, want one per bucket (5)", policies)
	}
}

// TestGrantsFileRefusals: every bad grants file names the grant and field.
func TestGrantsFileRefusals(t *testing.T) {
	one := `{method: bucket-policy, bucket: b-one, owner-account: "111122223333", consumer-account: ["222233334444"], access: read}`
	cases := []struct{ name, file, want string }{
		{"missing field", `grants: [{method: bucket-policy, owner-account: "111122223333", consumer-account: ["222233334444"]}]`, "grants[0].bucket: is required"},
		{"misspelt field", `grants: [{method: bucket-policy, buckett: x}]`, `grants[0]: not a grant: json: unknown field "buckett"`},
		{"bad value", "grants: [" + one + `, {method: bucket-policy, bucket: B!, owner-account: "111122223333", consumer-account: ["222233334444"]}]`, "grants[1].bucket"},
		{"duplicate", "grants: [" + one + ", " + one + "]", "grants[1]: duplicates grants[0]"},
		{
			"conflict", "grants: [" + one + ", " + strings.Replace(strings.Replace(one, "read", "write", 1), "bucket-policy", "iam-role", 1) + "]",
			"grants[1].access: conflicts with grants[0]: account 222233334444 would get write access to bucket b-one from grants[1] and read from grants[0]",
		},
		{"other owner", "grants: [" + one + ", " + strings.Replace(strings.Replace(one, "111122223333", "555566667777", 1), "b-one", "b-two", 1) + "]", "grants[1].owner-account"},
		{"empty", "grants: []", "grants: is empty"},
		{"too many", "grants: [" + strings.Repeat(one+", ", plan.MaxGrants) + one + "]", "grants: 201 given, at most 200"},
		{"not a list", "grants: {bucket: x}", "grants: a grants file holds only grants"},
		{"extra top field", "grants: [" + one + "]\nowner: x", `grants: a grants file holds only grants`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			specs, err := plan.ParseGrants([]byte(c.file))
			if err == nil {
				_, err = plan.NewSet(specs, nil)
			}
			if err == nil || spec.AsFieldErrors(err) == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a field error containing %q", err, c.want)
			}
		})
	}
}

// TestSetFileRoundTripAndTamper: a set's plan file reads back as the same
// set, and an edited statement is refused naming the document.
func TestSetFileRoundTripAndTamper(t *testing.T) {
	set, err := plan.NewSet(grants30(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/plan.json"
	if err := plan.WriteSetFile(path, set); err != nil {
		t.Fatal(err)
	}
	p, back, err := plan.ReadAnyFile(path)
	if err != nil || p != nil || back == nil || back.SetID != set.SetID || len(back.Steps) != len(set.Steps) {
		t.Fatalf("read back: %v", err)
	}
	if _, err := plan.ReadFile(path); err == nil || !strings.Contains(err.Error(), "is the plan of a grants file") {
		t.Fatalf("plan.ReadFile of a grants plan: %v", err)
	}
	data, _ := os.ReadFile(path)
	edited := strings.Replace(string(data), `s3:GetObject`, `s3:*`, 1)
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := plan.ReadAnyFile(path); err == nil || spec.AsFieldErrors(err) == nil {
		t.Fatalf("an edited grants plan was accepted: %v", err)
	}
}
