package tui

import (
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/wizard"
)

// defaultPlanFile is where the plan is saved unless the user types another
// path.
const defaultPlanFile = "s3grant-plan.json"

// previewScreen shows the plan: a tab per account with a tab per document,
// then steps, the access check, warnings and the equivalent command.
type previewScreen struct {
	c        *common
	ans      *wizard.Answers
	session  *Session
	spin     spinner.Model
	hl       *highlighter
	plan     *plan.Plan
	rows     []MatrixRow
	findings []Finding
	checkErr error
	err      error

	sections []section
	sec, doc int
	showDiff bool
	vp       viewport.Model
	plain    string // the current tab's text without styles, for copying

	saving    bool
	overwrite string // the path that exists: enter again replaces it
	saved     bool   // the plan is in a file: quitting loses nothing
	asking    asking // a question waits for y or n
	path      textinput.Model
	status    string
	statusBad bool
}

func newPreviewScreen(c *common, a *wizard.Answers, sess *Session) *previewScreen {
	ti := textinput.New()
	ti.Prompt = "Save the plan to: "
	// Empty, with the default shown as one: typing starts a new path
	// instead of appending to a prefilled one.
	ti.Placeholder = "default: " + defaultPlanFile
	ps := &previewScreen{c: c, ans: a, session: sess, spin: spinner.New(spinner.WithSpinner(spinner.Dot)), path: ti}
	ps.spin.Style = c.styles.Accent
	ps.vp = viewport.New(c.bodyWidth(), ps.vpHeight())
	return ps
}

func (ps *previewScreen) Init() tea.Cmd { return ps.spin.Tick }

func (ps *previewScreen) vpHeight() int { return max(ps.c.bodyHeight()-4, 3) }

// canApply says whether apply is possible, and why not.
func (ps *previewScreen) canApply() (bool, string) {
	switch {
	case ps.session == nil:
		return false, "Offline dry run: apply is disabled. s saves the plan for s3grant apply."
	case ps.session.Apply == nil:
		return false, "Apply is not in this build: s saves the plan for s3grant apply."
	case ps.checkFailed():
		return false, "Apply is disabled: the access check has unexpected answers (see Access check)."
	}
	return true, ""
}

func (ps *previewScreen) checkFailed() bool {
	for _, r := range ps.rows {
		if !r.Holds {
			return true
		}
	}
	return ps.checkErr != nil
}

func (ps *previewScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case planMsg:
		ps.plan, ps.rows, ps.findings, ps.checkErr, ps.err = msg.plan, msg.rows, msg.findings, msg.checkErr, msg.err
		if ps.plan != nil {
			ps.hl = newHighlighter(ps.c.styles)
			ps.sections = planSections(ps.plan, ps.warnCount())
			ps.refresh()
		}
		return nil
	case spinner.TickMsg:
		if ps.plan == nil && ps.err == nil {
			var cmd tea.Cmd
			ps.spin, cmd = ps.spin.Update(msg)
			return cmd
		}
	case savedMsg:
		ps.setStatus(msg.err, fmt.Sprintf("Saved the plan to %s (mode 0600).", msg.path))
		ps.saved = ps.saved || msg.err == nil
	case copiedMsg:
		ps.setStatus(msg.err, copiedText(msg, ps.c.opts.Saver != nil))
	case tea.KeyMsg:
		return ps.key(msg)
	}
	return nil
}

func (ps *previewScreen) setStatus(err error, ok string) {
	ps.status, ps.statusBad = ok, err != nil
	if err != nil {
		ps.status = err.Error()
	}
}

func (ps *previewScreen) key(k tea.KeyMsg) tea.Cmd {
	keys := ps.c.keys
	if ps.saving {
		return ps.savingKey(k)
	}
	if ps.asking != askNothing {
		return ps.askKey(k)
	}
	if key.Matches(k, keys.Back) {
		return send(backMsg{})
	}
	if ps.plan == nil {
		return nil
	}
	ps.status = ""
	switch {
	case key.Matches(k, keys.NextTab):
		ps.sec, ps.doc = (ps.sec+1)%len(ps.sections), 0
	case key.Matches(k, keys.PrevTab):
		ps.sec, ps.doc = (ps.sec+len(ps.sections)-1)%len(ps.sections), 0
	case key.Matches(k, keys.NextDoc) && ps.cur().kind == secDocs:
		ps.doc = (ps.doc + 1) % len(ps.cur().docs)
	case key.Matches(k, keys.PrevDoc) && ps.cur().kind == secDocs:
		ps.doc = (ps.doc + len(ps.cur().docs) - 1) % len(ps.cur().docs)
	case key.Matches(k, keys.Diff) && ps.cur().kind == secDocs:
		ps.showDiff = !ps.showDiff
	case key.Matches(k, keys.Copy) && ps.c.opts.Clipboard != nil:
		return copyText(ps.c.opts.Clipboard, ps.copyWhat(), ps.plain)
	case key.Matches(k, keys.Save) && ps.c.opts.Saver != nil:
		ps.saving = true
		return ps.path.Focus()
	case key.Matches(k, keys.Apply):
		if ok, _ := ps.canApply(); ok {
			ps.asking = askApply // two accounts change: ask once, showing them
		}
		return nil
	case key.Matches(k, keys.Exit):
		if ps.saved {
			return send(exitMsg{})
		}
		ps.asking = askQuit
		return nil
	default:
		var cmd tea.Cmd
		ps.vp, cmd = ps.vp.Update(k)
		return cmd
	}
	ps.refresh()
	return nil
}

func (ps *previewScreen) savingKey(k tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(k, ps.c.keys.Back):
		ps.saving, ps.overwrite = false, ""
		ps.path.Blur()
		return nil
	case key.Matches(k, ps.c.keys.Choose):
		path := strings.TrimSpace(ps.path.Value())
		if path == "" {
			path = defaultPlanFile
		}
		if _, err := os.Stat(path); err == nil && ps.overwrite != path {
			ps.overwrite = path // never replace a file without asking
			return nil
		}
		ps.saving, ps.overwrite = false, ""
		ps.path.Blur()
		return savePlan(ps.c.opts.Saver, path, ps.plan)
	}
	ps.overwrite = ""
	var cmd tea.Cmd
	ps.path, cmd = ps.path.Update(k)
	return cmd
}

func (ps *previewScreen) copyWhat() string {
	switch s := ps.cur(); s.kind {
	case secDocs:
		if ps.showDiff {
			return "diff"
		}
		return string(s.docs[ps.doc].Kind)
	case secCommand:
		return "command"
	default: // no special case
	}
	return strings.ToLower(ps.cur().title)
}

func (ps *previewScreen) cur() section { return ps.sections[ps.sec] }

// refresh renders the current tab into the viewport, from the top.
func (ps *previewScreen) refresh() {
	var styled string
	switch s := ps.cur(); s.kind {
	case secDocs:
		ps.plain, styled = ps.docContent(s.steps[ps.doc], s.docs[ps.doc])
	case secSteps:
		styled = ps.stepsContent()
	case secCheck:
		styled = ps.checkContent()
	case secWarnings:
		styled = ps.warningsContent()
	case secCommand:
		styled = ps.commandContent()
		ps.plain = planCommandText(ps.ans.Spec())
	}
	if ps.cur().kind != secDocs && ps.cur().kind != secCommand {
		ps.plain = stripANSI(styled)
	}
	if ps.cur().kind == secDocs && !ps.showDiff {
		ps.plain = string(ps.cur().docs[ps.doc].Canonical())
	}
	ps.vp.SetContent(lipgloss.NewStyle().Width(ps.vp.Width).Render(styled))
	ps.vp.GotoTop()
}

func (ps *previewScreen) SetSize() tea.Cmd {
	ps.vp.Width, ps.vp.Height = ps.c.bodyWidth(), ps.vpHeight()
	if ps.plan != nil {
		off := ps.vp.YOffset
		ps.refresh()
		ps.vp.SetYOffset(off)
	}
	return nil
}

// copiedText says what a copy did: "copied" only when it is sure, and
// the way to a file when it is not.
func copiedText(msg copiedMsg, canSave bool) string {
	if msg.to.Sure {
		return "Copied the " + msg.what + " to " + msg.to.Where + "."
	}
	out := "Not confirmed: sent the " + msg.what + " to " + msg.to.Where + ", which may ignore it."
	if canSave {
		out += " s saves to a file."
	}
	return out
}
