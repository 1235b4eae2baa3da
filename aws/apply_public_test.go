package aws_test

import (
	"context"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
)

// policyStatusXML is GetBucketPolicyStatus's answer as S3 gives it.
func policyStatusXML(public string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><PolicyStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsPublic>` + public + `</IsPublic></PolicyStatus>`
}

// TestPolicyStatusAfterApply: after an apply, S3 is asked whether the bucket
// is public. moto does not implement GetBucketPolicyStatus (it answers
// without IsPublic), so the proxy gives the answers AWS would: public is
// reported loudly, not public plainly; NotImplemented, a refusal and moto's
// own answer are "could not check" notes. None of them fails the apply.
func TestPolicyStatusAfterApply(t *testing.T) {
	env := testenv.Start(t)
	proxy := env.StartFaultProxy(t)
	ctx := context.Background()
	w := newWorld(t, env, proxy.URL, 1)
	file := offlinePlan(t, w.example(t, "bucket-policy/read"))
	call := "GET /" + plan.ExBucket + "?policyStatus"

	apply := func(arm func()) aws.PolicyStatus {
		t.Helper()
		prep := must(aws.Prepare(ctx, file, w.accts, aws.PrepareOptions{}))(t)
		if arm != nil {
			arm()
		}
		res, err := aws.Apply(ctx, prep, w.accts, fastApply(w))
		hit := proxy.Disarm()
		if err != nil || (res.Outcome != journal.OutcomeApplied && res.Outcome != journal.OutcomeUnchanged) {
			t.Fatalf("apply: %v %+v", err, res)
		}
		if len(res.PolicyStatus) != 1 || res.PolicyStatus[0].Bucket != plan.ExBucket {
			t.Fatalf("policy status: %+v", res.PolicyStatus)
		}
		if hit == "" && arm != nil {
			t.Fatal("the apply never asked GetBucketPolicyStatus")
		}
		return res.PolicyStatus[0]
	}

	// The first apply writes the bucket policy; S3 (the proxy) calls it public.
	st := apply(func() { proxy.ArmResponseOn(call, 200, policyStatusXML("true")) })
	if !st.IsPublic() || !st.Checked || !strings.Contains(st.Note, "PUBLIC") || !strings.Contains(st.Note, "s3grant audit") {
		t.Errorf("public bucket: %+v", st)
	}
	// Later applies change nothing and still check.
	st = apply(func() { proxy.ArmResponseOn(call, 200, policyStatusXML("false")) })
	if st.IsPublic() || !st.Checked || st.Public == nil || st.Note != "" {
		t.Errorf("private bucket: %+v", st)
	}
	st = apply(func() {
		proxy.ArmErrorOn(call, 501, "NotImplemented", "A header you provided implies functionality that is not implemented")
	})
	if st.Checked || st.Public != nil || !strings.Contains(st.Note, "could not check") || !strings.Contains(st.Note, "does not implement") {
		t.Errorf("NotImplemented: %+v", st)
	}
	st = apply(func() { proxy.ArmErrorOn(call, 403, "AccessDenied", "Access Denied") })
	if st.Checked || st.Public != nil || !strings.Contains(st.Note, "could not check") || !strings.Contains(st.Note, "AccessDenied") {
		t.Errorf("AccessDenied: %+v", st)
	}
	st = apply(nil) // moto itself
	if st.Checked || st.Public != nil || !strings.Contains(st.Note, "could not check") {
		t.Errorf("moto's own answer: %+v", st)
	}
}
