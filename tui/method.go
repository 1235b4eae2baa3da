package tui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// aclConfirmWord is what the user types to accept the ACL warning.
const aclConfirmWord = "acl"

// methodScreen lists the four methods with the hovered one explained beside
// the list and a recommendation; choosing ACLs opens a warning that must be
// confirmed by typing.
type methodScreen struct {
	c           *common
	ans         *wizard.Answers
	cursor      int
	rec         spec.Method
	recReason   string
	confirming  bool
	confirm     textinput.Model
	confirmHint string
}

func newMethodScreen(c *common, a *wizard.Answers) *methodScreen {
	ti := textinput.New()
	ti.Placeholder = aclConfirmWord
	ti.CharLimit = 16
	ti.Prompt = "> "
	ms := &methodScreen{c: c, ans: a, confirm: ti}
	for i, m := range spec.Methods {
		if m == a.Method {
			ms.cursor = i
		}
	}
	return ms
}

// recommend updates the recommendation; the cursor starts on it unless the
// user already chose a method.
func (ms *methodScreen) recommend(facts *plan.Facts) {
	ms.rec, ms.recReason = wizard.RecommendMethod(ms.ans.Spec(), facts)
	if ms.ans.Method == "" {
		for i, m := range spec.Methods {
			if m == ms.rec {
				ms.cursor = i
			}
		}
	}
}

func (ms *methodScreen) hovered() spec.Method { return spec.Methods[ms.cursor] }

func (ms *methodScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		if ms.confirming {
			var cmd tea.Cmd
			ms.confirm, cmd = ms.confirm.Update(msg)
			return cmd
		}
		return nil
	}
	keys := ms.c.keys
	if ms.confirming {
		switch {
		case key.Matches(k, keys.Back):
			// Declined: the cursor goes to the recommendation, so enter
			// does not walk straight back into the ACL warning.
			ms.confirming = false
			ms.confirm.Blur()
			ms.cursor = max(slices.Index(spec.Methods, ms.rec), 0)
			return nil
		case key.Matches(k, keys.Choose):
			if strings.TrimSpace(strings.ToLower(ms.confirm.Value())) != aclConfirmWord {
				ms.confirmHint = "type " + aclConfirmWord + " to continue with ACLs, or esc to pick another method"
				return nil
			}
			ms.ans.ACLAccepted = true
			return send(methodChosenMsg{m: spec.MethodACL})
		}
		var cmd tea.Cmd
		ms.confirm, cmd = ms.confirm.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(k, keys.Up):
		ms.cursor = (ms.cursor + len(spec.Methods) - 1) % len(spec.Methods)
	case key.Matches(k, keys.Down):
		ms.cursor = (ms.cursor + 1) % len(spec.Methods)
	case key.Matches(k, keys.Back):
		return send(backMsg{})
	case key.Matches(k, keys.Choose):
		if ms.hovered() == spec.MethodACL && !ms.ans.ACLAccepted {
			ms.confirming, ms.confirmHint = true, ""
			ms.confirm.SetValue("")
			return ms.confirm.Focus()
		}
		return send(methodChosenMsg{m: ms.hovered()})
	}
	return nil
}

func (ms *methodScreen) SetSize() tea.Cmd { return nil }

func (ms *methodScreen) Keys() []key.Binding {
	k := ms.c.keys
	if ms.confirming {
		return []key.Binding{withHelp(k.Choose, "confirm"), withHelp(k.Back, "pick another")}
	}
	return []key.Binding{k.Up, k.Down, k.Choose, k.Back}
}

func (ms *methodScreen) View() string {
	st := ms.c.styles
	head := st.Title.Render("How should the consumer get in?") + "\n" +
		st.Recommended.Render("★ Recommended: "+string(ms.rec)) + st.Subtle.Render(" · "+ms.recReason)
	head = lipgloss.NewStyle().Width(ms.c.bodyWidth()).Render(head)
	if ms.confirming {
		return head + "\n\n" + ms.aclPanel()
	}
	list := ms.list()
	// At most 80 columns: lines much longer than that are hard to read.
	descW := min(ms.c.bodyWidth()-lipgloss.Width(list)-3, 80)
	desc := st.Panel.Width(max(descW, 20)).Render(ms.describe(ms.hovered(), max(descW-4, 16)))
	return head + "\n\n" + lipgloss.JoinHorizontal(lipgloss.Top, list, "  ", desc)
}

func (ms *methodScreen) list() string {
	st := ms.c.styles
	infos := wizard.MethodInfos()
	var b strings.Builder
	for i, m := range spec.Methods {
		cursor, style := "  ", st.Unselected
		if i == ms.cursor {
			cursor, style = "> ", st.Selected
		}
		line := cursor + style.Render(infos[m].Title)
		if m == ms.rec {
			line += st.Recommended.Render(" ★")
		}
		b.WriteString(line + "\n" + "    " + st.Faint.Render(string(m)) + "\n")
	}
	return lipgloss.NewStyle().Width(22).Render(strings.TrimRight(b.String(), "\n"))
}

func (ms *methodScreen) describe(m spec.Method, width int) string {
	st := ms.c.styles
	info := wizard.MethodInfos()[m]
	w := lipgloss.NewStyle().Width(width)
	gap := "\n"
	if ms.c.bodyHeight() < 24 {
		gap = "" // small terminals: no blank lines between the parts
	}
	return strings.Join([]string{
		w.Render(st.Text.Render(info.Summary)) + gap,
		st.Subtle.Render("Writes"),
		w.Render(info.Writes) + gap,
		st.OK.Render("Pick it when"),
		w.Render(info.PickIf) + gap,
		st.Warn.Render("Watch out"),
		w.Render(info.Avoid),
	}, "\n")
}

func (ms *methodScreen) aclPanel() string {
	st := ms.c.styles
	width := min(ms.c.bodyWidth()-4, 90)
	w := lipgloss.NewStyle().Width(width)
	reasons := []string{
		"• ACLs are a legacy access model: AWS recommends Object Ownership BucketOwnerEnforced, which disables them.",
		"• A bucket ACL cannot grant reading objects: READ on a bucket only lists keys.",
		"• Grants cover the whole bucket; they cannot be limited to prefixes.",
		"• Apply stops if ACLs are disabled on the bucket, unless you agree to change Object Ownership.",
		"• A bucket policy (or an access point) does the same job without these limits.",
	}
	body := st.Warn.Render("ACLs: read this before you continue") + "\n\n" +
		w.Render(strings.Join(reasons, "\n")) + "\n\n" +
		"Type " + st.Selected.Render(aclConfirmWord) + " and press enter to use ACLs anyway:\n" + ms.confirm.View()
	if ms.confirmHint != "" {
		body += "\n" + st.Bad.Render(ms.confirmHint)
	}
	return st.WarnPanel.Render(body)
}
