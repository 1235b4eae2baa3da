package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// asking is a question the preview asks before doing something that cannot
// be taken back by esc: writing to two accounts, or quitting with answers
// that are saved nowhere.
type asking int

const (
	askNothing asking = iota
	askApply
	askQuit
)

var (
	yesKey = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes"))
	noKey  = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no, go back"))
)

// askKey answers the open question: y does it, n or esc goes back, s (when
// quitting) saves first; every other key is ignored so a stray keystroke
// never writes or quits.
func (ps *previewScreen) askKey(k tea.KeyMsg) tea.Cmd {
	q := ps.asking
	switch {
	case key.Matches(k, yesKey):
		ps.asking = askNothing
		if q == askApply {
			return send(applyRequestMsg{})
		}
		return send(exitMsg{})
	case key.Matches(k, noKey):
		ps.asking = askNothing
	case q == askQuit && key.Matches(k, ps.c.keys.Save) && ps.c.opts.Saver != nil:
		ps.asking = askNothing
		ps.saving = true
		return ps.path.Focus()
	}
	return nil
}

func (ps *previewScreen) askKeys() []key.Binding {
	if ps.asking == askQuit && ps.c.opts.Saver != nil {
		return []key.Binding{withHelp(yesKey, "quit"), withHelp(ps.c.keys.Save, "save first"), withHelp(noKey, "stay")}
	}
	return []key.Binding{withHelp(yesKey, "apply"), noKey}
}

// askView is the question, drawn in place of the document.
func (ps *previewScreen) askView() string {
	st := ps.c.styles
	w := min(ps.c.bodyWidth()-4, 90)
	var body string
	if ps.asking == askQuit {
		body = st.Warn.Render("Quit without saving?") + "\n\n" +
			"Your answers and this plan are not saved anywhere: quitting loses them.\n" +
			"Press " + st.Selected.Render("y") + " to quit, " + st.Selected.Render("s") + " to save the plan first, " +
			st.Selected.Render("n") + " or esc to stay."
	} else {
		targets := applyTargets(ps.plan, ps.session, ps.ans.OwnerProfile, ps.ans.ConsumerProfile)
		body = st.Warn.Render("Apply this plan?") + "\n\n" + targets +
			"\nEvery write is journaled, so the run can be undone.\n" +
			"Press " + st.Selected.Render("y") + " to apply, " + st.Selected.Render("n") + " or esc to go back."
	}
	return st.WarnPanel.Width(w).Render(body)
}

// applyTargets lists each account the plan writes to: its ID, the profile
// used for it and how many documents it gets.
func applyTargets(p *plan.Plan, sess *Session, ownerProfile, consumerProfile string) string {
	docs := map[templates.Side]int{}
	writes := map[templates.Side]int{}
	for _, st := range p.Steps {
		writes[st.Account]++
		if st.Document != nil {
			docs[st.Account]++
		}
	}
	var b strings.Builder
	row := func(who string, side templates.Side, id, profile string) {
		if writes[side] == 0 {
			return
		}
		fmt.Fprintf(&b, "  %-9s account %s (profile %s): %s\n", who, id, profile, plural(docs[side], "document"))
	}
	row("Owner", templates.Owner, sess.OwnerAccount, ownerProfile)
	row("Consumer", templates.Consumer, sess.ConsumerAccount, consumerProfile)
	fmt.Fprintf(&b, "  In all: %s in %s.\n", plural(len(p.Documents), "document"), plural(len(p.Steps), "step"))
	return b.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
