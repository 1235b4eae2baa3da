package tui_test

import (
	"strings"
	"testing"
	"time"
)

// TestE2ESandbox: `s3grant --sandbox` on a machine without any AWS
// configuration runs the whole wizard against the built-in sandbox: the
// banner says nothing real is touched, the sandbox's profiles are
// preselected, and apply and verification run against accounts that
// enforce their policies, so the probe that must be denied is denied (moto
// cannot show that).
func TestE2ESandbox(t *testing.T) {
	t.Parallel()
	p := startPane(t, offlineEnv(t), t.TempDir(), 120, 40, binary(t), "--sandbox")
	p.waitFor(20*time.Second, "SANDBOX · nothing real is touched", "How do you want to run?", "Connect with profiles")
	p.keys("Enter")
	// The sandbox's profiles say what each is.
	p.waitFor(10*time.Second, "Owner profile", "sandbox-owner · ", "sandbox-consumer-admin · ")
	p.keys("Enter", "Enter") // the sandbox's profiles are preselected
	p.waitFor(60*time.Second, "How should the consumer get in?")
	p.keys("Enter") // bucket-policy
	p.waitFor(10*time.Second, "The bucket")
	p.line("analytics-exports")
	p.line("eu-west-1")
	p.keys("Enter") // read
	p.line("reports/")
	p.keys("Enter")                   // the whole consumer account
	p.keys("Enter", "Enter", "Enter") // no KMS key, no org, deny HTTP
	p.waitFor(60*time.Second, "Preview", "Ready: press a to apply")
	p.keys("a")
	// Apply asks once, naming both accounts, their profiles and the documents.
	p.waitFor(10*time.Second, "Apply this plan?", "(profile sandbox-owner)", "(profile sandbox-consumer-admin)", "In all: 2 documents")
	p.keys("y")
	screen := p.waitFor(120*time.Second, "Applied:", "Run ID", "Verification from the consumer side",
		"Probed as", "Left to do", "attach-role-policy", "journal end when the wizard closes")
	allowedOK, denied := 0, 0
	for _, l := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(l, "(must be allowed)") && strings.Contains(l, "✓"):
			allowedOK++
		case strings.Contains(l, "(must be denied)"):
			denied++
			if !strings.Contains(l, "✓") {
				t.Errorf("the sandbox allowed a request outside the grant: %s", l)
			}
		}
	}
	if allowedOK < 1 || denied < 1 {
		t.Fatalf("verification should prove an allowed and a denied request:\n%s", screen)
	}
	// Narrow, the banner stays.
	p.tmux("resize-window", "-t", "0", "-x", "70", "-y", "30")
	p.waitFor(5*time.Second, "SANDBOX")
	p.tmux("resize-window", "-t", "0", "-x", "120", "-y", "40")
	// Undo from the summary, asked first, while the sandbox lives.
	p.keys("u")
	p.waitFor(5*time.Second, "Undo run ")
	p.keys("y")
	p.waitFor(60*time.Second, "Undone: both accounts are as they were")
	p.keys("q")
	p.waitFor(10*time.Second, "sandbox stopped: nothing real was touched", "EXIT=0")
}
