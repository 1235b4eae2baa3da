package tui_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/lesson"
)

// expectedAnswers is the header line the lesson must show for step: the
// decision of each request, in order, as the lesson teaches it.
func expectedAnswers(step lesson.Step) string {
	var words []string
	for _, st := range step.Stages {
		for _, r := range st.Requests {
			words = append(words, string(r.Expect))
		}
	}
	return "sandbox: " + strings.Join(words, " · ")
}

// TestLearnTmuxWalksEveryStep runs `s3grant learn` at 80x24 and walks every
// step forwards with →, then jumps back by number and replays one with r,
// checking the sandbox's decisions each step shows.
func TestLearnTmuxWalksEveryStep(t *testing.T) {
	bin := binary(t)
	home := t.TempDir()
	p := startPane(t, []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}, home, 80, 24, bin, "learn")
	steps := lesson.Steps()
	check := func(s lesson.Step) {
		t.Helper()
		screen := p.waitFor(20*time.Second, fmt.Sprintf("Step %d: %s", s.Number, s.Title), expectedAnswers(s))
		for _, bad := range []string{"(!)", "please report"} {
			if strings.Contains(screen, bad) {
				t.Errorf("step %d: a decision differs from the lesson:\n%s", s.Number, screen)
			}
		}
	}
	for i, s := range steps {
		if i > 0 {
			p.keys("Right")
		}
		check(s)
	}
	p.keys("Right") // wraps around to step 1
	check(steps[0])
	p.keys("3")
	check(steps[2])
	p.keys("End")
	p.waitFor(10*time.Second, "Rule: ")
	p.keys("r")
	check(steps[2])
	p.keys("q")
	p.waitFor(10*time.Second, "EXIT=0")
}

// TestLearnTmuxStepFlag: --step N opens on step N.
func TestLearnTmuxStepFlag(t *testing.T) {
	bin := binary(t)
	home := t.TempDir()
	p := startPane(t, []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}, home, 80, 24, bin, "learn", "--step", "2")
	s := lesson.Steps()[1]
	p.waitFor(20*time.Second, fmt.Sprintf("Step 2: %s", s.Title), expectedAnswers(s))
	p.keys("C-c")
	p.waitFor(10*time.Second, "EXIT=130")
}
