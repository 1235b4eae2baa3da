package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// header shows where the user is and whether this run can apply.
func (m *Model) header() string {
	st := m.c.styles
	parts := make([]string, len(pageNames))
	for i, n := range pageNames {
		switch {
		case page(i) == m.page && st.NoColor:
			parts[i] = "[" + n + "]"
		case page(i) == m.page:
			parts[i] = st.Selected.Render(n)
		case page(i) < m.page:
			parts[i] = st.Subtle.Render(n)
		default:
			parts[i] = st.Faint.Render(n)
		}
	}
	short := st.Selected.Render(pageNames[m.page]) + st.Subtle.Render(fmt.Sprintf(" (%d/%d)", m.page+1, len(pageNames)))
	lefts := []string{
		st.Title.Render("s3grant") + "  " + strings.Join(parts, st.Faint.Render(" › ")),
		st.Title.Render("s3grant") + "  " + short,
		short,
	}
	// The widest pair that fits: the banner (SANDBOX) is never dropped,
	// only shortened to its first word.
	for _, left := range lefts {
		for _, right := range m.modeLabels() {
			gap := m.c.bodyWidth() - lipgloss.Width(left) - lipgloss.Width(right)
			if gap >= 1 {
				return left + strings.Repeat(" ", gap) + st.Subtle.Render(right)
			}
		}
	}
	return lefts[len(lefts)-1]
}

// modeLabels are the header's right side, longest first: who is who (the
// profiles and the accounts they resolved to) and the banner.
func (m *Model) modeLabels() []string {
	var who []string
	if s := m.session; s != nil {
		a := m.ans
		who = []string{
			fmt.Sprintf("%s (%s) → %s (%s)", a.OwnerProfile, s.OwnerAccount, a.ConsumerProfile, s.ConsumerAccount),
			fmt.Sprintf("%s → %s", s.OwnerAccount, s.ConsumerAccount),
		}
	} else if m.page > pageStart {
		who = []string{"offline dry run"}
	}
	b := m.c.opts.Banner
	if b == "" {
		return append(who, "")
	}
	short, _, _ := strings.Cut(b, " ")
	var out []string
	for _, w := range who {
		out = append(out, b+" · "+w)
	}
	for _, w := range who {
		out = append(out, short+" · "+w)
	}
	return append(out, b, short)
}
