package cmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/lesson"
)

// TestLearnMatchesSandbox plays every step against a real sandbox: each
// decision the lesson shows must be the one the sandbox answers for the
// documents shown, reasons included, so the lesson cannot drift from the
// evaluator.
func TestLearnMatchesSandbox(t *testing.T) {
	l, err := startLesson(&App{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.stop()
	ctx := context.Background()
	steps := lesson.Steps()
	// Backwards, so each step is seen to start from a fresh sandbox
	// whatever ran before it.
	for i := len(steps) - 1; i >= 0; i-- {
		p, err := lesson.Play(ctx, l, steps[i])
		if err != nil {
			t.Fatalf("step %d: %v", steps[i].Number, err)
		}
		for _, m := range p.Mismatches() {
			t.Error(m)
		}
		if len(p.Stages) != len(steps[i].Stages) {
			t.Errorf("step %d: %d stages played, want %d", p.Number, len(p.Stages), len(steps[i].Stages))
		}
	}
}

// TestLearnJSON: -o json prints every step's requests and the sandbox's
// decisions; --step runs one.
func TestLearnJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "learn", "-o", "json", "--step", "3")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []lesson.Played
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != 1 || got[0].Number != 3 {
		t.Fatalf("got steps %+v, want step 3 only", got)
	}
	var decisions []string
	for _, st := range got[0].Stages {
		for _, r := range st.Results {
			decisions = append(decisions, string(r.Outcome.Decision))
		}
	}
	if want := "allowed denied allowed denied denied"; strings.Join(decisions, " ") != want {
		t.Errorf("step 3 decisions %v, want %s", decisions, want)
	}
	if !strings.Contains(out, "DenyInsecureTransport") || !strings.Contains(out, "aws s3api get-object") {
		t.Errorf("the JSON lacks the TLS statement's reason or the command:\n%s", out)
	}
}

// TestLearnBadStep: a step out of range is bad input naming the flag.
func TestLearnBadStep(t *testing.T) {
	code, _, errOut := runCLI(t, "learn", "--step", "0", "-o", "json")
	if code != ExitOK {
		t.Fatalf("--step 0 (the default) exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "learn", "--step", "42")
	if code != ExitBadInput || !strings.Contains(errOut, "step: must be from 1 to") {
		t.Errorf("--step 42: exit %d, %s", code, errOut)
	}
}

// TestLearnAccessible: without a terminal the lesson goes line by line:
// a number jumps, r replays, q quits.
func TestLearnAccessible(t *testing.T) {
	code, out, errOut := runWithInput(t, "3\nr\nq\n", "learn", "--step", "2")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Step 2 of", "DENIED (403 AccessDenied)", "Step 3 of", "ALLOWED (200 OK)", ">> ", "Rule: ", "https://docs.aws.amazon.com/"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Step 3 of"); n != 2 {
		t.Errorf("step 3 shown %d times, want 2 (played, then replayed)", n)
	}
	if strings.Contains(out, "please report") {
		t.Errorf("a decision differs from the lesson:\n%s", out)
	}
}

// TestLearnNoInput: when the input ends, the remaining steps play in order
// and the lesson ends (a classroom can pipe it).
func TestLearnNoInput(t *testing.T) {
	code, out, errOut := runWithInput(t, "", "learn", "--step", "6")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Step 6 of 7") || !strings.Contains(out, "Step 7 of 7") || strings.Contains(out, "Step 5 of") {
		t.Errorf("want steps 6 and 7 only:\n%s", out)
	}
	if !strings.Contains(out, "REFUSED (400 AccessControlListNotSupported)") {
		t.Errorf("step 7's refused ACL is missing:\n%s", out)
	}
}
