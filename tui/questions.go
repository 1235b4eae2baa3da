package tui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// formErrorRoom is the lines kept free under a form for huh's error
// message (a blank line and a wrapped message).
const formErrorRoom = 3

// questionsScreen asks the chosen method's questions with huh. The form is
// rebuilt from the answers whenever the user comes back to it.
type questionsScreen struct {
	c        *common
	ans      *wizard.Answers
	form     *huh.Form
	groups   []*huh.Group
	problems []*spec.FieldError   // rules between answers found when planning
	live     error                // the focused answer as typed so far breaks this rule
	advice   string               // another method suits the bucket's settings better
	reader   StateReader          // reads the bucket's settings when connected
	finder   Suggester            // reads the questions' defaults when connected
	noted    map[string]huh.Field // the fields that show a finding, by key
	factsFor string               // the bucket they were asked for
	done     bool
}

func newQuestionsScreen(
	c *common,
	a *wizard.Answers,
	sugg Suggestions,
	reader StateReader,
	finder Suggester,
) *questionsScreen {
	q := &questionsScreen{c: c, ans: a, reader: reader, finder: finder, noted: map[string]huh.Field{}}
	q.groups = questionGroups(a, sugg, q.noted)
	q.form = huh.NewForm(q.groups...).WithTheme(c.styles.HuhTheme()).WithShowHelp(false)
	q.SetSize()
	return q
}

func (q *questionsScreen) Init() tea.Cmd { return q.form.Init() }

func (q *questionsScreen) Update(msg tea.Msg) tea.Cmd {
	if q.done {
		return nil
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, q.c.keys.Back) && !q.fieldUses(k) {
		return send(backMsg{})
	}
	f, cmd := q.form.Update(msg)
	q.form = f.(*huh.Form)
	if q.form.State == huh.StateCompleted {
		q.done = true
		return send(questionsDoneMsg{})
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		q.live = q.checkAsTyped()
		q.SetSize()
	}
	return tea.Batch(cmd, q.readFacts())
}

// readFacts asks for the bucket's settings, and the defaults it gives the
// questions, once the bucket answer is in (the focus has left it and it is
// valid).
func (q *questionsScreen) readFacts() tea.Cmd {
	b := q.ans.Bucket
	in, onBucket := q.form.GetFocusedField().(*huh.Input)
	if q.reader == nil && q.finder == nil || b == q.factsFor ||
		(onBucket && in.GetKey() == "bucket") || spec.ValidateBucket(b) != nil {
		return nil
	}
	q.factsFor = b
	var cmds []tea.Cmd
	if q.reader != nil {
		cmds = append(cmds, readFacts(q.c.ctx, q.reader, q.ans.Spec()))
	}
	if trimmed := strings.TrimSpace(b); q.finder != nil && q.ans.LookUp(trimmed) {
		cmds = append(cmds, lookupBucket(q.c.ctx, q.finder, trimmed))
	}
	return tea.Batch(cmds...)
}

// found shows what connected mode read: each field that shows a finding
// gets its note and default now (a page not yet shown included, so its
// height is fitted to the note's line), and the form redraws.
func (q *questionsScreen) found(msg tea.Msg) tea.Cmd {
	for _, wq := range wizard.Questions() {
		switch f := q.noted[wq.Key].(type) {
		case *huh.Input:
			f.Description(description(q.ans, wq)).Placeholder(wq.Placeholder(q.ans))
		case *huh.Confirm:
			f.Description(description(q.ans, wq))
		}
	}
	f, cmd := q.form.Update(msg)
	q.form = f.(*huh.Form)
	q.SetSize()
	return cmd
}

// advise says when the bucket's settings call for another method than the
// chosen one (the method screen recommends the same way).
func (q *questionsScreen) advise(f *plan.Facts) {
	q.advice = ""
	if f == nil || !f.Read {
		return
	}
	if rec, why := wizard.RecommendMethod(q.ans.Spec(), f); rec != q.ans.Method && rec == spec.MethodIAMRole {
		q.advice = "Consider " + string(rec) + ": " + why + " (esc to change the method)"
	}
}

// checkAsTyped runs the focused field's check on what is typed so far, so
// a rule shows while typing rather than only on enter.
func (q *questionsScreen) checkAsTyped() error {
	in, ok := q.form.GetFocusedField().(*huh.Input)
	if !ok || q.ans.Text(in.GetKey()) == nil {
		return nil
	}
	v, _ := in.GetValue().(string)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return q.ans.Check(in.GetKey())(v)
}

// fieldUses reports whether the focused field has an enabled binding for
// the key (a select's filter uses esc), so the form keeps it.
func (q *questionsScreen) fieldUses(k tea.KeyMsg) bool {
	return slices.ContainsFunc(q.form.KeyBinds(), func(b key.Binding) bool { return b.Enabled() && key.Matches(k, b) })
}

// SetSize fits the form under the header, with room for huh's error lines.
func (q *questionsScreen) SetSize() tea.Cmd {
	h := q.c.bodyHeight() - lipgloss.Height(q.header()) - formErrorRoom
	q.form = q.form.WithWidth(min(q.c.bodyWidth(), 100))
	fitGroups(q.groups, max(h, 6))
	return nil
}

// fitGroups gives each group the height of its own fields, up to room: a
// form as tall as the window puts a field's error (huh draws it under the
// group) many rows below the field.
func fitGroups(groups []*huh.Group, room int) {
	for _, g := range groups {
		need := lipgloss.Height(g.Content())
		if h := g.Header(); h != "" {
			need += lipgloss.Height(h)
		}
		if f := g.Footer(); f != "" {
			need += lipgloss.Height(f) + 1
		}
		g.WithHeight(min(need, room))
	}
}

func (q *questionsScreen) Keys() []key.Binding {
	return append(q.form.KeyBinds(), withHelp(q.c.keys.Back, "methods"))
}

func (q *questionsScreen) View() string { return q.header() + q.form.View() }

func (q *questionsScreen) header() string {
	st := q.c.styles
	info := wizard.MethodInfos()[q.ans.Method]
	out := st.Title.Render(info.Title) + st.Subtle.Render(" · "+string(q.ans.Method)) + "\n"
	for _, p := range q.problems {
		problem := wizard.InFieldWords("--" + p.Field + ": " + p.Rule + wizard.ExampleSuffix(p))
		out += st.Bad.Width(q.c.bodyWidth()).Render("✗ "+problem) + "\n"
	}
	// One line, always there, so the form below never jumps.
	live := q.advice
	if q.live != nil {
		live = "as typed: " + wizard.InFieldWords(q.live.Error())
	}
	return out + ansi.Truncate(st.Warn.Render(live), q.c.bodyWidth(), "…") + "\n"
}
