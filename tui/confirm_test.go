package tui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// TestApplyAsksFirst: a alone writes nothing; the question shows both
// accounts with their profiles and the number of documents; n goes back.
func TestApplyAsksFirst(t *testing.T) {
	t.Parallel()
	d := connected(t, &fakeApplier{})
	d.keys("a")
	d.wantView("Apply this plan?", "Owner     account "+plan.ExOwner+" (profile owner)",
		"Consumer  account "+plan.ExConsumer+" (profile consumer)", "In all: 4 documents", "y apply")
	if d.m.page != pagePreview || d.m.apply != nil {
		t.Fatal("a alone started the apply")
	}
	d.keys("x", "a") // stray keys do nothing
	d.wantView("Apply this plan?")
	d.keys("n")
	d.notView("Apply this plan?")
	d.wantView("Ready: press a to apply")
	if d.m.apply != nil {
		t.Fatal("n applied")
	}
	d.keys("a", "y")
	d.wantView("Applied:")
}

// TestQuitWithUnsavedAnswersAsks: q on the preview asks while the plan is
// saved nowhere; s saves first, and once saved q quits at once.
func TestQuitWithUnsavedAnswersAsks(t *testing.T) {
	t.Parallel()
	saver := &memSaver{}
	d := offline(t, Options{Saver: saver}, 100, 30)
	pickMethod(d, spec.MethodBucketPolicy)
	answerAll(d, spec.MethodBucketPolicy)
	d.wantView("Preview")
	d.keys("q")
	d.wantView("Quit without saving?", "s to save the plan first")
	if d.quit {
		t.Fatal("q quit with unsaved answers")
	}
	d.keys("esc")
	d.notView("Quit without saving?")
	d.keys("q", "s")
	d.wantView("Save the plan to:")
	d.keys("enter")
	d.wantView("Saved the plan to")
	d.keys("q")
	if !d.quit {
		t.Fatal("q after saving should quit")
	}
}

// TestQuitConfirmed: y on the question quits.
func TestQuitConfirmed(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 100, 30)
	pickMethod(d, spec.MethodBucketPolicy)
	answerAll(d, spec.MethodBucketPolicy)
	d.keys("q", "y")
	if !d.quit {
		t.Fatal("y should quit")
	}
}

// TestCopyIsHonest: a copy that cannot be confirmed (OSC 52) does not say
// "copied", and offers the file instead.
func TestCopyIsHonest(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{Clipboard: &memClipboard{unsure: true}, Saver: &memSaver{}}, 120, 30)
	pickMethod(d, spec.MethodBucketPolicy)
	answerAll(d, spec.MethodBucketPolicy)
	d.wantView("Preview")
	d.keys("c")
	d.wantView("Not confirmed: sent the bucket-policy to the terminal (OSC 52), which may ignore it. s saves to a file.")
	d.notView("Copied")
}

// TestSavePathAsksBeforeReplacing: the path field starts empty (typing
// does not append to a prefilled name) and an existing file is replaced
// only after a second enter.
func TestSavePathAsksBeforeReplacing(t *testing.T) {
	t.Parallel()
	existing := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(existing, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	saver := &memSaver{}
	d := offline(t, Options{Saver: saver}, 120, 30)
	pickMethod(d, spec.MethodBucketPolicy)
	answerAll(d, spec.MethodBucketPolicy)
	d.keys("s")
	d.wantView("Save the plan to: default: s3grant-plan.json")
	d.keys(existing, "enter")
	d.wantView("Save the plan to: "+existing, "exists: enter replaces it, esc keeps it")
	if len(saver.saved) != 0 {
		t.Fatal("saved over an existing file without asking")
	}
	d.keys("enter")
	d.wantView("Saved the plan to " + existing)
	if saver.saved[existing] == nil {
		t.Fatal("the second enter should save")
	}
}

// TestACLConsentReachesApply: the Object Ownership question takes the typed
// consent (and nothing else), and apply is told.
func TestACLConsentReachesApply(t *testing.T) {
	t.Parallel()
	ap := &fakeApplier{}
	opts := Options{Profiles: fakeProfiles{"default", "owner", "consumer"}, Connector: fakeConnector{apply: ap}}
	d := newDriver(t, opts, 120, 40)
	d.keys("enter", "down", "enter", "down", "down", "enter")
	pickMethod(d, spec.MethodACL)
	d.keys("analytics-exports", "enter", "eu-west-1", "enter", "enter", "enter", plan.ExCanonical, "enter")
	d.wantView("Object Ownership", "Type enable-acls")
	d.keys("yes", "enter")
	d.wantView("Object Ownership: type enable-acls to consent")
	d.keys("ctrl+u", "enable-acls", "enter", "enter", "enter", "enter")
	d.wantView("Ready: press a to apply")
	d.keys("a", "y")
	d.wantView("Applied:")
	if !ap.choices.AllowACLDowngrade {
		t.Fatal("the typed consent did not reach apply")
	}
}
