package wizard

import (
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

func TestLeftToDo(t *testing.T) {
	base := spec.Spec{
		Method: spec.MethodBucketPolicy, Bucket: "analytics-exports", OwnerAccount: plan.ExOwner,
		ConsumerAccounts: []string{plan.ExConsumer}, Access: spec.AccessRead,
	}
	p, err := plan.New(base, nil)
	if err != nil {
		t.Fatal(err)
	}
	left := LeftToDo(p, "analytics")
	if len(left) != 1 || !strings.Contains(left[0], "attached to nobody") ||
		!strings.Contains(left[0], "--policy-arn arn:aws:iam::"+plan.ExConsumer+":policy/s3grant-") ||
		!strings.Contains(left[0], "--profile analytics") {
		t.Fatalf("no principal named: want the attach command, got %q", left)
	}
	named := base
	named.ConsumerPrincipals = []string{plan.ExRole}
	if p, err = plan.New(named, nil); err != nil {
		t.Fatal(err)
	}
	if left := LeftToDo(p, "analytics"); len(left) != 0 {
		t.Fatalf("a named principal gets its policy inline: nothing is left, got %q", left)
	}
}
