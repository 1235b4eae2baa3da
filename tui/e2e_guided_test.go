package tui_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/plan"
)

// TestE2EGuidedNoColor walks a newcomer's offline session with NO_COLOR
// in tmux (issue 13): every state has a cue that is not colour, examples
// read "e.g." and are not accepted as answers, the error sits under its
// field's page, warnings name fields (not flags) and say a thing once,
// q asks before losing the answers, the save path does not append to a
// prefilled name, and a too-small window says so.
func TestE2EGuidedNoColor(t *testing.T) {
	t.Parallel()
	env, dir := append(offlineEnv(t), "NO_COLOR=1"), t.TempDir()
	p := startPane(t, env, dir, 100, 32, binary(t))
	p.waitFor(10*time.Second, "[Accounts]", "e.g. 111122223333")
	p.at("Owner account ID")
	p.line(plan.ExOwner)
	p.at("Consumer account IDs")
	p.line(plan.ExConsumer)
	p.waitFor(5*time.Second, "[Method]", "How should the consumer get in?")
	p.keys("Enter") // bucket-policy
	p.at("Bucket")
	p.waitFor(5*time.Second, "e.g. analytics-exports", "[Questions]")
	p.keys("Enter") // the example is not an answer
	screen := p.waitFor(5*time.Second, "Bucket: is required (e.g. analytics-exports)")
	if rows := rowOf(screen, "Bucket: is required") - rowOf(screen, "┃ Bucket"); rows > 10 {
		t.Errorf("the error is %d rows below its field:\n%s", rows, screen)
	}
	p.line("s3://analytics-exports/reports/") // pasted: the fix is offered
	p.waitFor(5*time.Second, "the bucket is analytics-exports; type that")
	p.keys("C-u")
	p.line("analytics-exports")
	p.at("Region")
	p.line("eu-west-1")
	p.at("Access")
	p.keys("Enter")
	p.at("Prefixes")
	p.waitFor(5*time.Second, "✓ read: list and get objects") // the answer, marked once the focus left
	p.line("reports/")
	p.at("Consumer principals")
	p.keys("Enter")
	p.at("Are the objects encrypted")
	p.waitFor(5*time.Second, "[x] No", "[ ] Yes")
	p.keys("Enter")
	p.at("Organization ID")
	p.keys("Enter")
	p.at("Deny plain-HTTP requests?")
	p.keys("Enter")
	p.waitFor(10*time.Second, "[Preview]", "[Owner]", "[bucket-policy")
	p.keys("Tab", "Tab", "Tab", "Tab")
	screen = p.waitFor(5*time.Second, "[Warnings")
	if n := strings.Count(screen, "whole-account-grant"); n != 1 {
		t.Errorf("the whole-account warning shows %d times:\n%s", n, screen)
	}
	if !strings.Contains(screen, `(the "Consumer principals" field)`) || strings.Contains(screen, "--consumer-principal") {
		t.Errorf("warnings should name the wizard's field, not the flag:\n%s", screen)
	}
	p.keys("q")
	p.waitFor(5*time.Second, "Quit without saving?")
	p.keys("s")
	p.waitFor(5*time.Second, "Save the plan to: default: s3grant-plan.json")
	p.line("guided.json")
	p.waitFor(5*time.Second, "Saved the plan to guided.json (mode 0600)")
	p.tmux("resize-window", "-t", "0", "-x", "40", "-y", "12")
	p.waitFor(5*time.Second, "Window too small")
	p.tmux("resize-window", "-t", "0", "-x", "100", "-y", "32")
	p.waitFor(5*time.Second, "[Preview]")
	p.keys("q")
	p.waitFor(5*time.Second, "EXIT=0")
	if _, err := exec.Command("test", "-s", filepath.Join(dir, "guided.json")).CombinedOutput(); err != nil {
		t.Fatal("the plan was not saved")
	}
}

// TestE2EVersionFlag: s3grant --version answers like s3grant version.
func TestE2EVersionFlag(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(binary(t), "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "s3grant ") || !strings.Contains(string(out), "commit:") {
		t.Fatalf("s3grant --version: %v\n%s", err, out)
	}
}

func rowOf(screen, text string) int {
	for i, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, text) {
			return i
		}
	}
	return -1
}
