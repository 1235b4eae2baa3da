package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// TestPlainExternalIDNeededAfterYes: in the plain flow as in the form, a
// yes to the third-party question with no ExternalId typed is asked again
// (it used to plan a role with no ExternalId).
func TestPlainExternalIDNeededAfterYes(t *testing.T) {
	t.Parallel()
	a := wizard.NewAnswers(spec.Spec{
		Method: spec.MethodIAMRole, Bucket: spec.ExampleBucket,
		OwnerAccount: spec.ExampleAccount, ConsumerAccounts: []string{"222233334444"},
	}, "", "")
	in := strings.Join([]string{
		"", "", "", "", "", "", // bucket, region, access, prefixes, principals, role name: as they are
		"yes", "", spec.ExampleExternalID, // third party: the empty ExternalId is refused
		"", "", "", // no KMS key, no org, deny HTTP
	}, "\n") + "\n"
	var out strings.Builder
	if err := plainQuestions(newLiner(context.Background(), strings.NewReader(in), &out), a, nil); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got := a.Spec().ExternalID; got != spec.ExampleExternalID {
		t.Errorf("ExternalId %q, want %q\n%s", got, spec.ExampleExternalID, out.String())
	}
	if !strings.Contains(out.String(), "ExternalId: Error:") {
		t.Errorf("the empty ExternalId was not refused:\n%s", out.String())
	}
}

// TestPlainDeclinedACLDefaultsToTheRecommendation: after declining the ACL
// warning, enter picks the recommended method, not ACL again.
func TestPlainDeclinedACLDefaultsToTheRecommendation(t *testing.T) {
	t.Parallel()
	a := wizard.NewAnswers(spec.Spec{}, "", "")
	in := "4\nno\n\n" // acl, decline, then enter on the default
	var out strings.Builder
	if err := plainMethod(newLiner(context.Background(), strings.NewReader(in), &out), a); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if a.Method != spec.MethodBucketPolicy {
		t.Fatalf("enter after declining ACL chose %s:\n%s", a.Method, out.String())
	}
}
