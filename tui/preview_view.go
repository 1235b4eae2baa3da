package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// The preview's drawing: its help keys, tabs, viewport and status line.

func (ps *previewScreen) Keys() []key.Binding {
	k := ps.c.keys
	if ps.saving {
		return []key.Binding{withHelp(k.Choose, "save"), withHelp(k.Back, "cancel")}
	}
	if ps.asking != askNothing {
		return ps.askKeys()
	}
	if ps.plan == nil {
		return []key.Binding{withHelp(k.Back, "questions")}
	}
	scroll := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "scroll"))
	scroll.SetEnabled(!ps.vp.AtTop() || !ps.vp.AtBottom())
	docs := ps.cur().kind == secDocs
	nextDoc := withHelp(k.NextDoc, "doc")
	nextDoc.SetEnabled(docs && len(ps.cur().docs) > 1)
	diff := withHelp(k.Diff, "diff")
	diff.SetEnabled(docs)
	cp, sv := k.Copy, k.Save
	cp.SetEnabled(ps.c.opts.Clipboard != nil)
	sv.SetEnabled(ps.c.opts.Saver != nil)
	apply := k.Apply
	ok, _ := ps.canApply()
	apply.SetEnabled(ok)
	return only(withHelp(k.NextTab, "section"), nextDoc, scroll, diff, cp, sv, apply,
		withHelp(k.Back, "answers"), k.Exit)
}

func (ps *previewScreen) View() string {
	st := ps.c.styles
	s := ps.ans.Spec()
	what := fmt.Sprintf(" · %s, %s access to %s", s.Method, s.Access, s.Scope())
	title := ansi.Truncate(st.Title.Render("Preview")+st.Subtle.Render(what), ps.c.bodyWidth(), "…")
	switch {
	case ps.err != nil:
		return title + "\n\n" + st.Bad.Render("The plan could not be built: ") + ps.err.Error() + "\n\n" +
			st.Subtle.Render("Press esc to change the answers.")
	case ps.plan == nil:
		what := "Building the plan…"
		if ps.session != nil {
			what = "Reading what exists in both accounts, then building the plan…"
		}
		return title + "\n\n" + ps.spin.View() + " " + what
	case ps.asking != askNothing:
		return title + "\n\n" + ps.askView()
	}
	status := ps.statusLine()
	if extra := lipgloss.Height(status) - 1; extra > 0 {
		// A long error is wrapped, never cut: the document gives up rows.
		h := ps.vp.Height
		ps.vp.Height = max(h-extra, 1)
		defer func() { ps.vp.Height = h }()
	}
	return title + "\n" + ps.tabs() + "\n" + ps.docTabs() + "\n" + ps.vp.View() + "\n" + status
}

func (ps *previewScreen) tabs() string {
	labels := make([]string, len(ps.sections))
	for i, s := range ps.sections {
		labels[i] = s.title
	}
	return tabRow(ps.c.styles, labels, ps.sec, ps.c.bodyWidth())
}

func (ps *previewScreen) docTabs() string {
	s := ps.cur()
	if s.kind != secDocs {
		return ""
	}
	labels := make([]string, len(s.docs))
	for i, d := range s.docs {
		labels[i] = docLabel(d)
	}
	view := "document"
	if ps.showDiff {
		view = "diff"
	}
	return tabRow(ps.c.styles, labels, ps.doc, ps.c.bodyWidth()-len(view)-3) + ps.c.styles.Subtle.Render(" · "+view)
}

// statusLine is one line cut to the width, except an error or a question,
// which is wrapped so none of it is lost.
func (ps *previewScreen) statusLine() string {
	if ps.statusBad || ps.overwrite != "" {
		return lipgloss.NewStyle().Width(ps.c.bodyWidth()).Render(ps.status1())
	}
	return ansi.Truncate(ps.status1(), ps.c.bodyWidth(), "…")
}

func (ps *previewScreen) status1() string {
	st := ps.c.styles
	switch {
	case ps.saving && ps.overwrite != "":
		return ps.path.View() + "\n" +
			st.Warn.Render(ps.overwrite+" exists: enter replaces it, esc keeps it, or type another path.")
	case ps.saving:
		return ps.path.View()
	case ps.status != "" && ps.statusBad:
		return st.Bad.Render(ps.status)
	case ps.status != "":
		return st.OK.Render(ps.status)
	}
	if ok, why := ps.canApply(); !ok {
		return st.Warn.Render(why)
	}
	return st.OK.Render("Ready: press a to apply to both accounts.")
}

// tabRow draws labels as tabs, keeping the active one in view when they do
// not fit the width.
func tabRow(st *Styles, labels []string, active, width int) string {
	render := func(i int) string {
		if i == active && st.NoColor {
			return "[" + labels[i] + "]"
		}
		if i == active {
			return st.TabActive.Render(labels[i])
		}
		return st.TabInactive.Render(labels[i])
	}
	sep := st.TabGap.Render(" │ ")
	first := 0
	for {
		parts := []string{}
		if first > 0 {
			parts = append(parts, st.TabGap.Render("‹"))
		}
		for i := first; i < len(labels); i++ {
			parts = append(parts, render(i))
		}
		row := strings.Join(parts, sep)
		if lipgloss.Width(row) <= width || first >= active {
			return lipgloss.NewStyle().MaxWidth(width).Render(row)
		}
		first++
	}
}
