// Package tui is s3grant's wizard: a Bubble Tea program that takes a user
// from the question "who needs what" to verified access. One root model
// owns a page per screen (one file each); every message and command lives in
// msgs.go, every style in styles.go. It adds no policy logic: answers become
// a spec.Spec, the plan comes from plan.New, and everything else comes
// through the interfaces in deps.go.
package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// Options are the wizard's inputs: answers given as flags, and the
// dependencies wired by cmd/. A nil dependency turns its feature off.
type Options struct {
	Spec            spec.Spec // answers from flags
	OwnerProfile    string
	ConsumerProfile string
	Profiles        ProfileLister
	Connector       Connector
	Checker         Checker
	Saver           PlanSaver
	Clipboard       Clipboard
	// NoApplyReason says why apply is unavailable in this build when
	// Connector is nil.
	NoApplyReason string
	Renderer      *lipgloss.Renderer
	// Banner is shown in the header on every screen (the sandbox says
	// that nothing real is touched).
	Banner string
	// Ephemeral says the accounts and the journal end with the wizard
	// (--sandbox): the summary offers undo here and prints no command
	// that could not work afterwards.
	Ephemeral bool
	// EndpointURL is the endpoint every AWS call goes to, when not AWS's:
	// the printed undo command names it.
	EndpointURL string
	// ProfileAbout says what a profile is, by name (the sandbox explains
	// its five).
	ProfileAbout map[string]string
}

// page is a screen of the wizard, in the order the user meets them.
type page int

const (
	pageStart page = iota
	pageMethod
	pageQuestions
	pagePreview
	pageApply
)

var pageNames = [...]string{"Accounts", "Method", "Questions", "Preview", "Apply"}

// common is what every screen shares: size, styles, keys, options.
type common struct {
	ctx           context.Context
	width, height int
	styles        *Styles
	keys          KeyMap
	opts          Options
}

// The smallest window the screens fit in: below it, the wizard says so.
const minWidth, minHeight = 50, 14

// bodyHeight is the height left for a screen under the header and above
// the help line.
func (c *common) bodyHeight() int { return max(c.height-4, 6) }

// bodyWidth is the width inside the app's padding.
func (c *common) bodyWidth() int { return max(c.width-2, 20) }

// Model is the wizard's root model.
type Model struct {
	c       *common
	cancel  context.CancelFunc
	ans     *wizard.Answers
	page    page
	session *Session
	sugg    Suggestions
	facts   *plan.Facts

	start     *startScreen
	method    *methodScreen
	questions *questionsScreen
	preview   *previewScreen
	apply     *applyScreen
	help      help.Model

	interrupted bool
	exitErr     error
}

// New returns the wizard's root model. Nothing slow happens here: profiles
// and accounts are read by commands after the first frame. Every command
// runs under ctx: cancelling it stops them (an apply in flight finishes its
// call and rolls back).
func New(ctx context.Context, opts Options) *Model {
	r := opts.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	ctx, cancel := context.WithCancel(ctx)
	c := &common{ctx: ctx, width: 80, height: 24, styles: NewStyles(r), keys: DefaultKeyMap(), opts: opts}
	ans := wizard.NewAnswers(opts.Spec, opts.OwnerProfile, opts.ConsumerProfile)
	m := &Model{c: c, cancel: cancel, ans: ans, help: help.New()}
	m.help.Styles.ShortKey = c.styles.HelpKey
	m.help.Styles.ShortDesc = c.styles.HelpDesc
	m.help.Styles.ShortSeparator = c.styles.HelpSep
	m.start = newStartScreen(c, m.ans)
	return m
}

// Interrupted reports whether the user quit with ctrl+c.
func (m *Model) Interrupted() bool { return m.interrupted }

// Err is the error the wizard ended with, if any.
func (m *Model) Err() error { return m.exitErr }

// Init starts loading the profiles in the background.
func (m *Model) Init() tea.Cmd { return m.start.Init() }

// Update routes a message: global keys first, then navigation and results,
// then the current screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.help.Width = m.c.bodyWidth()
		return m, m.resize()
	case tea.KeyMsg:
		if key.Matches(msg, m.c.keys.Quit) {
			return m, m.quit()
		}
	case stopMsg:
		return m, m.quit()
	case exitMsg:
		m.exitErr = msg.err
		m.cancel()
		return m, tea.Quit
	}
	if cmd, ok := m.navigate(msg); ok {
		return m, cmd
	}
	return m, m.updateScreen(msg)
}

// quit handles ctrl+c and the stop signals: during an apply it asks the
// applier to stop (it finishes the call in flight and rolls back), during an
// undo it waits for the undo to end and journal how far it got; everywhere
// else it quits.
func (m *Model) quit() tea.Cmd {
	m.interrupted = true
	if m.page == pageApply && m.apply.running() {
		return m.apply.stop()
	}
	m.cancel()
	if m.page == pageApply && m.apply.undoing {
		m.apply.quitAfterUndo = true
		return nil
	}
	return tea.Interrupt
}

func (m *Model) resize() tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range m.screens() {
		cmds = append(cmds, s.SetSize())
	}
	return tea.Batch(cmds...)
}

// screen is what the root needs from each page.
type screen interface {
	Update(tea.Msg) tea.Cmd
	View() string
	Keys() []key.Binding
	SetSize() tea.Cmd
}

func (m *Model) screens() []screen {
	var out []screen
	if m.start != nil {
		out = append(out, m.start)
	}
	if m.method != nil {
		out = append(out, m.method)
	}
	if m.questions != nil {
		out = append(out, m.questions)
	}
	if m.preview != nil {
		out = append(out, m.preview)
	}
	if m.apply != nil {
		out = append(out, m.apply)
	}
	return out
}

func (m *Model) current() screen {
	switch m.page {
	case pageMethod:
		return m.method
	case pageQuestions:
		return m.questions
	case pagePreview:
		return m.preview
	case pageApply:
		return m.apply
	default: // no special case
	}
	return m.start
}

func (m *Model) updateScreen(msg tea.Msg) tea.Cmd {
	if _, isKey := msg.(tea.KeyMsg); isKey {
		return m.current().Update(msg)
	}
	// Results and ticks go to every live screen: a late answer (profiles,
	// suggestions) must land even if the user has moved on.
	var cmds []tea.Cmd
	for _, s := range m.screens() {
		cmds = append(cmds, s.Update(msg))
	}
	return tea.Batch(cmds...)
}

// View draws the header, the current screen and the help line.
func (m *Model) View() string {
	st := m.c.styles
	if m.c.width < minWidth || m.c.height < minHeight {
		// Fields and buttons would clip: say so rather than draw half.
		return lipgloss.NewStyle().Width(max(m.c.width, 1)).Render(fmt.Sprintf(
			"Window too small (%dx%d): s3grant needs at least %dx%d. Enlarge it; your answers are kept. ctrl+c quits.",
			m.c.width, m.c.height, minWidth, minHeight))
	}
	body := m.current().View()
	body = lipgloss.NewStyle().MaxHeight(m.c.bodyHeight()).Render(body)
	pad := m.c.bodyHeight() - lipgloss.Height(body)
	if pad > 0 {
		body += strings.Repeat("\n", pad)
	}
	helpLine := m.help.ShortHelpView(m.keys())
	return st.App.Render(m.header() + "\n\n" + body + "\n" + helpLine)
}

func (m *Model) keys() []key.Binding {
	return append(m.current().Keys(), m.c.keys.Quit)
}
