package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/lesson"
)

// header is the title, the step tabs and the sandbox's decisions in a
// word each: what the step shows, always on screen however small.
func (m *learnModel) header() string {
	title := m.s.Title.Render("s3grant learn") + m.s.Subtle.Render(" · SANDBOX · nothing real is touched")
	var tabs []string
	for _, st := range m.steps {
		label := fmt.Sprint(st.Number)
		if st.Number == m.step {
			tabs = append(tabs, m.s.TabActive.Render(label))
		} else {
			tabs = append(tabs, m.s.TabInactive.Render(label))
		}
	}
	cur := m.steps[m.step-1]
	line := m.s.Subtle.Render("steps ") + strings.Join(tabs, m.s.TabGap.Render(" ")) + "  " +
		m.s.Text.Render(fmt.Sprintf("Step %d: %s", cur.Number, cur.Title))
	answers := m.s.Subtle.Render("sandbox: …")
	if m.played != nil && !m.playing {
		var words []string
		for _, st := range m.played.Stages {
			for _, r := range st.Results {
				words = append(words, m.decision(r))
			}
		}
		answers = m.s.Subtle.Render("sandbox: ") + strings.Join(words, m.s.Faint.Render(" · "))
	}
	header := lipgloss.JoinVertical(lipgloss.Left, title, line, answers)
	return lipgloss.NewStyle().MaxWidth(max(m.w-2, 20)).Render(header)
}

// decision is one answer in a coloured word, flagged when it differs from
// the lesson.
func (m *learnModel) decision(r lesson.Result) string {
	word := string(r.Outcome.Decision)
	st := m.s.Bad
	if r.Outcome.Decision == lesson.Allowed {
		st = m.s.OK
	}
	if !r.Matches() {
		return m.s.Warn.Render(word + "(!)")
	}
	return st.Render(word)
}

// body is the played step in full, wrapped to width.
func (m *learnModel) body(p lesson.Played, width int) string {
	wrap := func(st lipgloss.Style, s string) string { return st.Width(width).Render(s) }
	var b strings.Builder
	for i, st := range p.Stages {
		fmt.Fprintf(&b, "\n%s\n", m.s.Title.Render(fmt.Sprintf("%d. %s", i+1, st.Title)))
		for _, d := range st.Apply {
			b.WriteString(m.doc(d, width))
		}
		for _, r := range st.Results {
			b.WriteString(wrap(m.s.Command, "$ "+r.Command) + "\n")
			status := m.s.Subtle.Render(" (" + r.Outcome.Status + ")")
			b.WriteString(m.s.Subtle.Render("  → ") + m.decision(r) + status + "\n")
			if !r.Matches() {
				unexpected := fmt.Sprintf("  the lesson expected %s: please report this", r.Req.Expect)
				b.WriteString(wrap(m.s.Warn, unexpected) + "\n")
			}
			for _, reason := range r.Outcome.Reasons {
				b.WriteString(wrap(m.s.Faint.PaddingLeft(4), "because "+reason) + "\n")
			}
		}
		b.WriteString(wrap(m.s.Info, st.Note) + "\n")
	}
	b.WriteString("\n" + wrap(m.s.Accent.Bold(true), "Rule: "+p.Rule) + "\n")
	b.WriteString(wrap(m.s.Subtle, "Read more: "+p.Link) + "\n")
	if p.Limit != "" {
		b.WriteString(wrap(m.s.Warn, "What the sandbox cannot show: "+p.Limit) + "\n")
	}
	return b.String()
}

// doc renders a document highlighted, the changed statement marked with a
// bar in the accent colour.
func (m *learnModel) doc(d lesson.Doc, width int) string {
	var b strings.Builder
	head := fmt.Sprintf("%s of %s (account %s)", d.Kind, d.Target, d.Account)
	if d.Marked != "" {
		head += ", ▌ marks " + d.Marked
	}
	b.WriteString(m.s.Subtitle.Width(width).Render(head) + "\n")
	for _, l := range lesson.MarkLines(d) {
		bar := "  "
		if l.Marked {
			bar = m.s.Selected.Render("▌ ")
		}
		b.WriteString(lipgloss.NewStyle().MaxWidth(width).Render(bar+m.hl.JSON(l.Text)) + "\n")
	}
	return b.String()
}
