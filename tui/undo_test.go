package tui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestUndoFromSummary: the summary offers u (asked first) and prints an
// undo command with the profiles that reach the same accounts.
func TestUndoFromSummary(t *testing.T) {
	t.Parallel()
	d := connected(t, &fakeApplier{})
	d.keys("a", "y")
	d.wantView("Applied:", "press u now, or later",
		"s3grant undo run-20261128-abc123 --owner-profile owner --consumer-profile consumer", "u undo")
	d.keys("u")
	d.wantView("Undo run run-20261128-abc123?", "y undo")
	d.keys("n")
	d.notView("Undo run run-20261128-abc123?", "Undone:")
	d.keys("u", "y")
	d.wantView("Undone: both accounts are as they were before run run-20261128-abc123.")
	d.notView("press u now")
}

// TestUndoSandboxSaysItEnds: with a sandbox, no command is printed that
// could not work after the wizard; the summary says so plainly.
func TestUndoSandboxSaysItEnds(t *testing.T) {
	t.Parallel()
	d := connectedWith(t, &fakeApplier{}, Options{Ephemeral: true})
	d.keys("a", "y")
	d.wantView("Undo: press u now. The sandbox, its accounts and this run's journal end when the wizard closes")
	d.notView("s3grant undo run-")
}

// TestFailedApplyTellsTheTruth: after a failure the bar and title count
// only the steps done, and esc goes back to the preview.
func TestFailedApplyTellsTheTruth(t *testing.T) {
	t.Parallel()
	d := connected(t, &fakeApplier{fail: 2})
	d.keys("a", "y")
	d.wantView("Apply failed", "1 of 4 steps done", "esc goes back to the preview", "esc back to the preview")
	if got := d.m.apply.bar.Percent(); got != 0.25 {
		t.Fatalf("the bar shows %.0f%% with 1 of 4 steps done", got*100)
	}
	d.keys("esc")
	d.wantView("Ready: press a to apply")
}

// TestStopDuringUndoWaitsForIt: ctrl+c or a stop signal while the summary's
// undo runs does not close the wizard under it (the process would end with
// the undo half done and unjournaled): it quits once the undo has ended.
func TestStopDuringUndoWaitsForIt(t *testing.T) {
	t.Parallel()
	for _, stop := range []tea.Msg{stopMsg{}, tea.KeyMsg{Type: tea.KeyCtrlC}} {
		d := connected(t, &fakeApplier{})
		release := make(chan struct{})
		d.m.session.Undo = slowUndoer{release: release}
		d.keys("a", "y")
		d.wantView("Applied:")
		d.keys("u", "y")
		d.wantView("Undoing run run-20261128-abc123")
		d.send(stop)
		if d.interr || d.quit {
			t.Fatalf("%T: the wizard quit while the undo ran", stop)
		}
		close(release)
		for deadline := time.After(10 * time.Second); !d.interr && d.m.apply.undoing; {
			select {
			case msg := <-d.late:
				d.send(msg)
			case <-deadline:
				t.Fatal("the undo never ended")
			}
		}
		if !d.interr {
			t.Fatalf("%T: the wizard did not quit once the undo ended:\n%s", stop, d.view())
		}
	}
}

// slowUndoer restores everything once released.
type slowUndoer struct{ release chan struct{} }

func (u slowUndoer) Undo(_ context.Context, id string) (ApplyResult, error) {
	<-u.release
	return ApplyResult{RunID: id, Unchanged: []string{"everything restored"}}, nil
}
