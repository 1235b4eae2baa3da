package tui_test

import (
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/plan"
)

// TestE2ESandboxACL walks the legacy ACL path through the full-screen
// wizard against the sandbox (issue 13): the warning is shown and needs
// the typed word, declining it goes back to the recommended method, the
// Object Ownership question takes the typed consent, the preview explains
// the ACL and its bucket policy, and apply turns ACLs back on (the
// sandbox's bucket has them disabled, as AWS's default) and verifies from
// the consumer's side.
func TestE2ESandboxACL(t *testing.T) {
	t.Parallel()
	p := startPane(t, offlineEnv(t), t.TempDir(), 120, 40, binary(t), "--sandbox")
	p.waitFor(20*time.Second, "How do you want to run?", "Connect with profiles")
	p.keys("Enter")
	p.waitFor(10*time.Second, "Owner profile", "sandbox-owner · ")
	p.keys("Enter", "Enter")
	p.waitFor(60*time.Second, "How should the consumer get in?", "> Bucket policy ★")

	// The warning, then a wrong word, then declining: back on the
	// recommendation, so enter does not lead into ACLs again.
	p.keys("Up", "Enter")
	p.waitFor(5*time.Second, "ACLs: read this before you continue", "cannot grant reading objects",
		"Apply stops if ACLs are disabled on the bucket")
	p.line("yes")
	p.waitFor(5*time.Second, "type acl to continue with ACLs, or esc to pick another method")
	p.keys("Escape")
	screen := p.waitFor(5*time.Second, "> Bucket policy ★")
	if strings.Contains(screen, "read this before") || strings.Contains(screen, "> ACL (legacy)") {
		t.Fatalf("declining ACLs should lead back to the recommended method:\n%s", screen)
	}

	// Confirmed this time.
	p.keys("Up", "Enter")
	p.waitFor(5*time.Second, "ACLs: read this before you continue")
	p.line("acl")
	p.waitFor(10*time.Second, "ACL (legacy) · acl")
	p.at("Bucket")
	p.line("analytics-exports")
	p.at("Region")
	p.line("eu-west-1")
	p.at("Access")
	p.keys("Enter") // list: a bucket ACL cannot grant reads
	p.at("Consumer principals")
	p.keys("Enter") // the whole consumer account
	p.at("Canonical user IDs")
	p.line(plan.ExCanonical) // the sandbox consumer's
	p.at("Object Ownership")
	p.waitFor(5*time.Second, "Type enable-acls to let apply set BucketOwnerPreferred")
	p.line("enable-acls")
	p.at("Are the objects encrypted")
	p.keys("Enter", "Enter", "Enter") // no KMS key, no org, deny HTTP

	// The preview: the ACL merged with the owner's FULL_CONTROL, each
	// document's why, the access check.
	p.waitFor(60*time.Second, "Preview · acl, list access to s3://analytics-exports/*", "Ready: press a to apply",
		"The bucket ACL grants READ (list the bucket's keys)", `"Permission": "FULL_CONTROL"`, `"Permission": "READ"`)
	p.keys("Right")
	p.waitFor(5*time.Second, "The bucket policy holds the ACL to the grant", "S3Grant", "ListKeysOnly")
	p.keys("Tab", "Tab", "Tab")
	p.waitFor(10*time.Second, "Every one of the", "requests gets the expected answer", "Must be denied")

	p.keys("a")
	p.waitFor(10*time.Second, "Apply this plan?", "(profile sandbox-owner): 2 documents", "(profile sandbox-consumer-admin): 1 document")
	p.keys("y")
	screen = p.waitFor(120*time.Second, "Applied:", "Run ID", "Verification from the consumer side",
		"s3:PutBucketAcl analytics-exports", "ListObjectsV2 analytics-exports")
	allowed, denied := 0, 0
	for _, l := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(l, "(must be allowed)") && strings.Contains(l, "✓"):
			allowed++
		case strings.Contains(l, "(must be denied)"):
			denied++
			if !strings.Contains(l, "✓") || !strings.Contains(l, "· denied") {
				t.Errorf("the sandbox allowed a request the ACL does not grant: %s", l)
			}
		}
	}
	if allowed < 2 || denied < 1 {
		t.Fatalf("verification should prove listing allowed and reading denied:\n%s", screen)
	}
	if strings.Contains(screen, "allow-acl-downgrade") || strings.Contains(screen, "✗") {
		t.Fatalf("apply should have turned ACLs back on with the wizard's consent:\n%s", screen)
	}
	// Undo restores the bucket (its ACL, policy and Object Ownership).
	p.keys("u")
	p.waitFor(5*time.Second, "Undo run ")
	p.keys("y")
	p.waitFor(60*time.Second, "Undone: both accounts are as they were")
	p.keys("q")
	p.waitFor(10*time.Second, "EXIT=0")
}
