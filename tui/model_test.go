package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

const (
	owner    = plan.ExOwner
	consumer = plan.ExConsumer
)

// offline drives the start screen with typed account IDs.
func offline(t *testing.T, opts Options, w, h int) *driver {
	t.Helper()
	d := newDriver(t, opts, w, h)
	d.wantView("Who is involved?", "Owner account ID", "Offline dry run")
	d.keys(owner, "enter", consumer, "enter")
	d.wantView("How should the consumer get in?")
	return d
}

// pickMethod moves the cursor to m and chooses it (confirming ACLs).
func pickMethod(d *driver, m spec.Method) {
	for i := 0; i < len(spec.Methods) && d.m.method.hovered() != m; i++ {
		d.keys("down")
	}
	d.keys("enter")
	if m == spec.MethodACL {
		d.wantView("ACLs: read this before you continue")
		d.keys("acl", "enter")
	}
	d.wantView(wizard.MethodInfos()[m].Title, "Bucket")
}

// answerAll answers the chosen method's questions with defaults where
// there are some.
func answerAll(d *driver, m spec.Method) {
	d.keys("analytics-exports", "enter", "eu-west-1", "enter")
	d.keys("enter") // access
	if m != spec.MethodACL {
		d.keys("reports/", "enter")
	}
	d.keys("enter") // principals: whole account
	switch m {
	case spec.MethodIAMRole:
		d.keys("enter", "enter") // role name default, no ExternalId
	case spec.MethodAccessPoint:
		d.keys("enter", "enter") // name default, owned by the owner
	case spec.MethodACL:
		d.keys(plan.ExCanonical, "enter", "enter") // no Object Ownership consent
	default: // no special case
	}
	d.keys("enter", "enter", "enter") // no KMS key, no org, deny HTTP
}

func TestStartRejectsBadAccountAndMovesOn(t *testing.T) {
	t.Parallel()
	d := newDriver(t, Options{}, 80, 24)
	d.wantView("Who is involved?", "apply is disabled", "this build cannot connect to AWS")
	d.keys("1234", "enter")
	d.wantView("must be a 12-digit AWS account ID")
	d.keys("ctrl+u", owner, "enter", owner, "enter")
	d.wantView("is the owner account")
	d.keys("ctrl+u", consumer, "enter")
	d.wantView("How should the consumer get in?", "offline dry run")
}

func TestMethodDescribesHoveredAndRecommends(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 100, 30)
	d.wantView("★ Recommended: bucket-policy", "s3:ResourceAccount")
	d.keys("down")
	d.wantView("trust policy", "ExternalId")
	d.notView("s3:ResourceAccount")
	d.keys("esc")
	d.wantView("Who is involved?")
}

func TestMethodRecommendsFromWhatIsKnown(t *testing.T) {
	t.Parallel()
	s := spec.Spec{OwnerAccount: owner, ConsumerAccounts: []string{consumer, plan.ExConsumer2}}
	d := newDriver(t, Options{Spec: s}, 100, 30)
	d.keys("enter", "enter")
	d.wantView("★ Recommended: access-point", "several consumer accounts")
	got, _ := wizard.RecommendMethod(spec.Spec{}, &plan.Facts{Read: true, SSEAWSManagedKey: true})
	if got != spec.MethodIAMRole {
		t.Fatalf("AWS-managed key: recommended %s, want iam-role", got)
	}
}

func TestACLNeedsTypedConfirmation(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 100, 30)
	d.keys("up", "enter")
	d.wantView("ACLs: read this before you continue", "cannot grant reading objects")
	d.keys("yes", "enter")
	d.wantView("type acl to continue")
	d.keys("esc")
	// Declining puts the cursor back on the recommendation.
	d.wantView("How should the consumer get in?", "> Bucket policy ★")
	d.notView("read this before")
	d.keys("up", "enter", "acl", "enter")
	d.wantView("ACL (legacy) · acl", "Bucket")
}

func TestQuestionsValidateAsPlanDoes(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 100, 30)
	pickMethod(d, spec.MethodAccessPoint)
	d.keys("Bad_Bucket", "enter")
	d.wantView("3-63 characters")
	d.keys("ctrl+u", "analytics-exports", "enter", "enter")
	d.wantView("is required for access points")
	d.keys("eu-west-1", "enter", "enter", "reports", "enter")
	d.wantView("must end with '/'")
	d.keys("/", "enter", "arn:aws:iam::999988887777:role/x", "enter")
	d.wantView(`(the "Consumer account IDs" field)`)
}

func TestBackKeepsAnswers(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 100, 30)
	pickMethod(d, spec.MethodBucketPolicy)
	answerAll(d, spec.MethodBucketPolicy)
	d.wantView("Preview", "bucket-policy analytics-exports")
	d.keys("esc")
	d.wantView("Bucket", "analytics-exports")
	d.keys("esc")
	d.wantView("How should the consumer get in?")
	pickMethod(d, spec.MethodIAMRole)
	d.wantView("analytics-exports")
	if got := d.m.ans.Spec(); got.Bucket != "analytics-exports" || len(got.Prefixes) != 1 {
		t.Fatalf("answers lost: %+v", got)
	}
}

func TestPreviewTabsDiffSaveCopy(t *testing.T) {
	t.Parallel()
	saver, clip := &memSaver{}, &memClipboard{}
	d := offline(t, Options{Saver: saver, Clipboard: clip}, 120, 40)
	pickMethod(d, spec.MethodBucketPolicy)
	answerAll(d, spec.MethodBucketPolicy)
	d.wantView("Owner", "Consumer", "Access check", "Command", `"Version": "2012-10-17"`, "Offline dry run: apply is disabled")
	d.notView("a apply")
	d.keys("d")
	d.wantView("· diff", "+++")
	d.keys("d", "c")
	d.wantView("Copied the bucket-policy")
	if len(clip.got) != 1 || !strings.Contains(clip.got[0], `"Statement"`) {
		t.Fatalf("copied %q", clip.got)
	}
	d.keys("tab")
	d.wantView("identity-policy")
	for range 4 {
		d.keys("tab")
	}
	d.wantView("s3grant plan", "--method bucket-policy", "--prefix reports/")
	d.keys("s")
	d.wantView("Save the plan to: default: s3grant-plan.json")
	d.keys("enter")
	d.wantView("Saved the plan to s3grant-plan.json (mode 0600)")
	p := saver.saved[defaultPlanFile]
	want, err := plan.New(d.m.ans.Spec(), &plan.State{})
	if err != nil || p == nil || p.GrantID != want.GrantID || len(p.Documents) != len(want.Documents) {
		t.Fatalf("saved %+v, want the plan of the same answers (%v)", p, err)
	}
	d.keys("q")
	if !d.quit || d.m.Interrupted() {
		t.Fatalf("q should quit normally")
	}
}

func TestCtrlCInterrupts(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 80, 24)
	d.keys("ctrl+c")
	if !d.interr || !d.m.Interrupted() {
		t.Fatal("ctrl+c should interrupt (exit 130)")
	}
}

func TestResizeRedraws(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 120, 40)
	pickMethod(d, spec.MethodIAMRole)
	answerAll(d, spec.MethodIAMRole)
	for _, size := range [][2]int{{60, 20}, {160, 50}} {
		d.send(windowSize(size[0], size[1]))
		for i, line := range strings.Split(d.view(), "\n") {
			if w := len([]rune(line)); w > size[0] {
				t.Fatalf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, line)
			}
		}
		if got := strings.Count(d.view(), "\n") + 1; got > size[1] {
			t.Fatalf("%dx%d: %d lines", size[0], size[1], got)
		}
	}
}

func connected(t *testing.T, ap Applier) *driver {
	t.Helper()
	return connectedWith(t, ap, Options{})
}

func connectedWith(t *testing.T, ap Applier, opts Options) *driver {
	t.Helper()
	opts.Profiles, opts.Connector = fakeProfiles{"default", "owner", "consumer"}, fakeConnector{apply: ap}
	d := newDriver(t, opts, 120, 40)
	d.wantView("How do you want to run?", "Connect with profiles")
	d.keys("enter", "down", "enter", "down", "down", "enter")
	d.wantView("How should the consumer get in?", "owner (111122223333) → consumer (222233334444)")
	pickMethod(d, spec.MethodIAMRole)
	answerAll(d, spec.MethodIAMRole)
	d.wantView("Ready: press a to apply", "a apply")
	return d
}

func TestApplyVerifiesAndSumsUp(t *testing.T) {
	t.Parallel()
	d := connected(t, &fakeApplier{})
	d.keys("a", "y")
	d.wantView("Applied:", "run-20261128-abc123", "s3grant undo run-20261128-abc123",
		"Verification from the consumer side", "ListObjectsV2 other/ (must be denied)",
		"Role to assume: arn:aws:iam::111122223333:role/s3grant-analytics-exports",
		"aws s3 ls s3://analytics-exports/reports/")
	d.keys("q")
	if !d.quit {
		t.Fatal("q after apply should quit")
	}
}

func TestApplyFailureShowsRollback(t *testing.T) {
	t.Parallel()
	d := connected(t, &fakeApplier{fail: 2})
	d.keys("a", "y")
	d.wantView("Apply failed", "rolled back", "Left as it was")
}

func TestCtrlCDuringApplyRollsBack(t *testing.T) {
	t.Parallel()
	ap := &fakeApplier{block: true}
	d := connected(t, ap)
	d.keys("a", "y")
	d.wantView("Apply")
	d.keys("ctrl+c")
	d.wantView("Stopping: the call in flight finishes")
	if d.interr {
		t.Fatal("quit before the applier rolled back")
	}
	// The driver drops commands that block (the wait for the next event
	// did); listen again as the program would.
	for i := 0; i < 10 && !d.interr; i++ {
		d.run(waitApply(d.m.apply.events, d.m.apply.done), 0)
	}
	// The applier saw the cancellation, rolled back, and only then quit.
	if !d.interr {
		t.Fatalf("ctrl+c during apply should end with an interrupt once rolled back:\n%s", d.view())
	}
	if !errors.Is(d.m.apply.err, context.Canceled) || !d.m.apply.res.RolledBack {
		t.Fatalf("apply ended with %v, rolled back %v", d.m.apply.err, d.m.apply.res.RolledBack)
	}
	if !strings.Contains(d.m.farewell(), "rolled back") {
		t.Fatalf("farewell should say it rolled back:\n%s", d.m.farewell())
	}
}

func TestConnectFailureAsksAgain(t *testing.T) {
	t.Parallel()
	opts := Options{Profiles: fakeProfiles{"broken", "consumer"}, Connector: fakeConnector{}}
	d := newDriver(t, opts, 100, 30)
	d.keys("enter", "enter", "down", "enter")
	d.wantView("Could not connect", "no credentials", "How do you want to run?")
}

func TestQuestionsCheckAsTyped(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 100, 30)
	pickMethod(d, spec.MethodBucketPolicy)
	d.keys("Bad_")
	d.wantView("as typed: must be 3-63 characters")
	d.keys("backspace", "backspace", "backspace", "backspace", "good-bucket")
	d.notView("as typed")
}

func TestQuestionsAdviseFromBucketSettings(t *testing.T) {
	t.Parallel()
	opts := Options{Profiles: fakeProfiles{"owner", "consumer"}, Connector: fakeConnector{state: managedKeyBucket{}}}
	d := newDriver(t, opts, 120, 40)
	d.keys("enter", "down", "enter", "enter")
	d.wantView("How should the consumer get in?")
	pickMethod(d, spec.MethodBucketPolicy)
	d.keys("analytics-exports", "enter")
	d.wantView("Consider iam-role", "AWS-managed aws/s3 key")
	d.keys("esc")
	d.wantView("★ Recommended: iam-role")
}
