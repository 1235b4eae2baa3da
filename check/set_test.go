package check_test

import (
	"os"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

func set30(t testing.TB) *plan.Set {
	t.Helper()
	data, err := os.ReadFile("../plan/testdata/grants30.yaml")
	if err != nil {
		t.Fatal(err)
	}
	specs, err := plan.ParseGrants(data)
	if err != nil {
		t.Fatal(err)
	}
	set, err := plan.NewSet(specs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestSetProvesEveryGrantAndTheCombination: the 30 grants hold alone and
// combined; a statement slipped into one merged bucket policy that gives a
// grant's principal more than it asked for fails that grant's combined
// proof only.
func TestSetProvesEveryGrantAndTheCombination(t *testing.T) {
	set := set30(t)
	res := check.Set(set)
	if !res.OK {
		var b strings.Builder
		_ = res.WriteText(&b)
		t.Fatalf("the 30 grants fail:\n%s", b.String())
	}
	for _, g := range res.Grants {
		if g.Combined == g.Alone {
			t.Fatalf("grants[%d] shares its bucket policy but was not proved combined", g.Index)
		}
	}
	// grants[0] reads team-0/ of its bucket; grants[1] of the same bucket is
	// given a statement under its own Sids letting grants[0]'s role delete.
	d := set.DocumentFor(set.Steps[0])
	g0, g1 := set.Grants[0], set.Grants[1]
	d.Policy.Statement = append(d.Policy.Statement, policy.Statement{
		Sid: g1.SidPrefix + "Slipped", Effect: policy.Allow,
		Principal: policy.AWSPrincipals(g0.Spec.ConsumerPrincipals...),
		Action:    policy.One("s3:DeleteObject"), Resource: policy.One("arn:aws:s3:::" + g0.Spec.Bucket + "/team-0/*"),
	})
	res = check.Set(set)
	if res.OK || res.Grants[0].OK || !res.Grants[0].Alone.OK {
		t.Fatalf("the slipped statement was not caught in grants[0]'s combined proof: %s", res.Verdict())
	}
}

// BenchmarkCheckWritten30 measures the check apply makes of the 30-grant
// file: every grant combined with the others in its bucket's policy.
func BenchmarkCheckWritten30(b *testing.B) {
	set := set30(b)
	for b.Loop() {
		check.Written(set)
	}
}
