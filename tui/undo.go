package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/s3grant/s3grant/wizard"
)

// Undo from the summary: u asks, y restores both accounts through the
// journal, as `s3grant undo` does.

var undoKey = key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo"))

type undoDoneMsg struct {
	res ApplyResult
	err error
}

func runUndo(ctx context.Context, u Undoer, id string) tea.Cmd {
	return func() tea.Msg {
		res, err := u.Undo(ctx, id)
		return undoDoneMsg{res: res, err: err}
	}
}

// canUndo: a run that left something written, not undone yet, with an
// undoer in this build.
func (as *applyScreen) canUndo() bool {
	return as.phase == phaseDone && as.session.Undo != nil && as.res.RunID != "" && !as.res.RolledBack &&
		len(as.res.Changed) > 0 && !as.undoing && as.undone == nil
}

// undoKeyPress handles u, y and n on the summary; it reports whether it
// used the key.
func (as *applyScreen) undoKeyPress(k tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case as.askUndo && key.Matches(k, yesKey):
		as.askUndo, as.undoing = false, true
		as.follow = true
		return tea.Batch(runUndo(as.c.ctx, as.session.Undo, as.res.RunID), as.spin.Tick), true
	case as.askUndo:
		as.askUndo = false // n, esc or any other key: keep the grant
		return nil, true
	case key.Matches(k, undoKey) && as.canUndo():
		as.askUndo, as.follow = true, true
		return nil, true
	}
	return nil, false
}

// undoView is the undo question, progress or outcome, under the summary.
func (as *applyScreen) undoView() string {
	st := as.c.styles
	switch {
	case as.askUndo:
		return st.WarnPanel.Render(st.Warn.Render("Undo run "+as.res.RunID+"?") + "\n" +
			"Every document it changed goes back to how it was, and what it created is deleted, in both accounts.\n" +
			"Press " + st.Selected.Render("y") + " to undo, " + st.Selected.Render("n") + " to keep the grant.")
	case as.undoing:
		return as.spin.View() + " Undoing run " + as.res.RunID + "…"
	case as.undone != nil && as.undoErr != nil:
		var b strings.Builder
		b.WriteString(st.Bad.Render("Undo failed: ") + as.undoErr.Error() + "\n")
		writeList(&b, "Still changed:", as.undone.Changed)
		return b.String()
	case as.undone != nil:
		return st.OK.Render("Undone: both accounts are as they were before run "+as.res.RunID+".") + "\n"
	}
	return ""
}

// undoHint says how to undo: u now, and the command for later that works
// as printed (the run also records the profiles, so undo finds them).
func (as *applyScreen) undoHint() string {
	st := as.c.styles
	now := ""
	if as.canUndo() {
		now = "press " + st.Selected.Render("u") + " now"
	}
	if as.c.opts.Ephemeral {
		if now == "" {
			return "Undo: not available here.\n"
		}
		return "Undo: " + now + ". The sandbox, its accounts and this run's journal end when the wizard closes, " +
			"so s3grant undo cannot reach this run afterwards.\n"
	}
	if now != "" {
		now += ", or later"
	}
	return "Undo everything: " + now + " run\n  " + st.Command.Render(as.undoCommand()) + "\n"
}

// undoCommand is `s3grant undo RUN_ID` with the flags that reach the same
// accounts.
func (as *applyScreen) undoCommand() string {
	cmd := "s3grant undo " + as.res.RunID
	if p := as.ans.OwnerProfile; p != "" {
		cmd += " --owner-profile " + wizard.ShellQuote(p)
	}
	if p := as.ans.ConsumerProfile; p != "" {
		cmd += " --consumer-profile " + wizard.ShellQuote(p)
	}
	if e := as.c.opts.EndpointURL; e != "" {
		cmd += " --endpoint-url " + wizard.ShellQuote(e)
	}
	return cmd
}
