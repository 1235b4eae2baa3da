package tui

import (
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// TestSummarySaysWhoAndWhatIsLeft: with no consumer principal named, the
// consumer's policy is attached to nobody; the summary says whose access the
// probes proved and gives the command that attaches the policy.
func TestSummarySaysWhoAndWhatIsLeft(t *testing.T) {
	t.Parallel()
	opts := Options{Profiles: fakeProfiles{"default", "owner", "consumer"}, Connector: fakeConnector{apply: &fakeApplier{}}}
	d := newDriver(t, opts, 140, 60)
	d.keys("enter", "down", "enter", "down", "down", "enter")
	pickMethod(d, spec.MethodBucketPolicy)
	answerAll(d, spec.MethodBucketPolicy)
	d.keys("a", "y")
	d.wantView("Applied:", "Probed as arn:aws:iam::"+plan.ExConsumer+":user/admin", "(profile consumer, account "+plan.ExConsumer+")",
		"attached to nobody", "Left to do before the consumer's people can use it",
		"aws iam attach-role-policy --role-name ROLE", "--policy-arn arn:aws:iam::"+plan.ExConsumer+":policy/s3grant-analytics-exports-",
		"--profile consumer", "– HeadBucket analytics-exports (not probed: HeadBucket needs s3:ListBucket on the whole bucket)")
	d.notView("✓ HeadBucket")
}
