package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/lesson"
)

// lessonAnswers answers every request with one decision and counts resets.
type lessonAnswers struct {
	d      lesson.Decision
	resets int
}

func (a *lessonAnswers) Reset(context.Context) error             { a.resets++; return nil }
func (a *lessonAnswers) Apply(context.Context, lesson.Doc) error { return nil }
func (a *lessonAnswers) Send(context.Context, lesson.Req) lesson.Outcome {
	return lesson.Outcome{Decision: a.d, Status: "200 OK"}
}

// settle runs cmd and feeds its message back, as Bubble Tea would.
func settle(t *testing.T, m *learnModel, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	if msg, ok := cmd().(playedMsg); ok {
		m.Update(msg)
	}
}

func learnPress(t *testing.T, m *learnModel, key string) {
	t.Helper()
	k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(key)}
	switch key {
	case "right":
		k = tea.KeyMsg{Type: tea.KeyRight}
	case "left":
		k = tea.KeyMsg{Type: tea.KeyLeft}
	}
	_, cmd := m.Update(k)
	settle(t, m, cmd)
}

// TestLearnModelMoves: →/← wrap around, a number jumps, r replays from a
// reset, and a decision that differs from the lesson is flagged on screen.
func TestLearnModelMoves(t *testing.T) {
	run := &lessonAnswers{d: lesson.Allowed}
	m := newLearnModel(context.Background(), LearnOptions{Runner: run, Step: 1, Renderer: lipgloss.NewRenderer(nil)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	settle(t, m, m.Init())
	if m.step != 1 || m.played == nil || !strings.Contains(m.View(), "Step 1:") {
		t.Fatalf("step %d, played %v:\n%s", m.step, m.played != nil, m.View())
	}
	// Step 1 expects a denial: the model's answer (allowed) is flagged.
	if !strings.Contains(m.View(), "allowed(!)") {
		t.Errorf("a decision differing from the lesson is not flagged:\n%s", m.View())
	}
	n := len(lesson.Steps())
	learnPress(t, m, "left")
	if m.step != n {
		t.Errorf("← from step 1: step %d, want %d", m.step, n)
	}
	learnPress(t, m, "right")
	learnPress(t, m, "3")
	if m.step != 3 || m.played.Number != 3 {
		t.Errorf("3: step %d", m.step)
	}
	before := run.resets
	learnPress(t, m, "r")
	if m.step != 3 || run.resets != before+1 {
		t.Errorf("r: step %d, %d resets (was %d)", m.step, run.resets, before)
	}
	learnPress(t, m, "9")
	if m.step != 3 {
		t.Errorf("9 (no such step) moved to %d", m.step)
	}
	for _, l := range strings.Split(m.View(), "\n") {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("line wider than 80 (%d): %q", w, l)
		}
	}
}
