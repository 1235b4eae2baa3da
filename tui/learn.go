package tui

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/lesson"
)

// LearnOptions configure the full-screen lesson.
type LearnOptions struct {
	Runner   lesson.Runner // the private sandbox, filled by cmd
	Step     int           // the step to open first (1-based)
	Renderer *lipgloss.Renderer
}

// RunLearn runs `s3grant learn` full screen on in and out.
func RunLearn(ctx context.Context, o LearnOptions, in io.Reader, out io.Writer) error {
	if o.Renderer == nil {
		o.Renderer = lipgloss.NewRenderer(out)
	}
	lipgloss.SetHasDarkBackground(o.Renderer.HasDarkBackground())
	m := newLearnModel(ctx, o)
	prog := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(in), tea.WithOutput(out), tea.WithContext(ctx))
	final, err := prog.Run()
	switch {
	case errors.Is(err, tea.ErrInterrupted) || (errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil):
		return ErrInterrupted
	case err != nil:
		return fmt.Errorf("learn: %w", err)
	}
	if fm, ok := final.(*learnModel); ok && fm.err != nil {
		return fm.err
	}
	return nil
}

// learnModel shows one played step: a fixed header with the step, the tabs
// and the sandbox's decisions, and a scrolling body with the documents,
// requests, reasons and the rule.
type learnModel struct {
	ctx     context.Context
	run     lesson.Runner
	steps   []lesson.Step
	s       *Styles
	hl      *highlighter
	step    int // 1-based
	played  *lesson.Played
	playing bool
	err     error
	vp      viewport.Model
	w, h    int
}

// playedMsg is a step the sandbox has answered.
type playedMsg struct {
	p   lesson.Played
	err error
}

func newLearnModel(ctx context.Context, o LearnOptions) *learnModel {
	s := NewStyles(o.Renderer)
	steps := lesson.Steps()
	step := min(max(o.Step, 1), len(steps))
	return &learnModel{
		ctx: ctx, run: o.Runner, steps: steps, s: s, hl: newHighlighter(s), step: step,
		vp: viewport.New(80, 18), w: 80, h: 24,
	}
}

func (m *learnModel) Init() tea.Cmd { return m.play() }

// play resets the sandbox and plays the current step off the UI's loop.
func (m *learnModel) play() tea.Cmd {
	m.playing, m.played = true, nil
	step := m.steps[m.step-1]
	return func() tea.Msg {
		p, err := lesson.Play(m.ctx, m.run, step)
		return playedMsg{p, err}
	}
}

func (m *learnModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
	case playedMsg:
		m.playing = false
		if msg.err != nil {
			m.err = msg.err
			return m, tea.Quit
		}
		if msg.p.Number == m.step {
			m.played = &msg.p
			m.layout()
			m.vp.GotoTop()
		}
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

// key handles one key: steps move with ←/→, n/p or their number; r
// replays; the body scrolls with the viewport's keys.
func (m *learnModel) key(k tea.KeyMsg) tea.Cmd {
	switch s := k.String(); s {
	case "ctrl+c":
		return tea.Interrupt
	case "q", "esc":
		return tea.Quit
	case "right", "n", "tab", "l":
		return m.goTo(m.step%len(m.steps) + 1)
	case "left", "p", "shift+tab", "h":
		return m.goTo((m.step+len(m.steps)-2)%len(m.steps) + 1)
	case "r":
		return m.goTo(m.step)
	case "end", "G":
		m.vp.GotoBottom()
		return nil
	case "home", "g":
		m.vp.GotoTop()
		return nil
	default:
		if len(s) == 1 && s[0] >= '1' && int(s[0]-'0') <= len(m.steps) {
			return m.goTo(int(s[0] - '0'))
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(k)
	return cmd
}

func (m *learnModel) goTo(n int) tea.Cmd {
	m.step = n
	return m.play()
}

// layout sizes the body to what the header and footer leave.
func (m *learnModel) layout() {
	m.vp.Width = max(m.w-2, 20)
	m.vp.Height = max(m.h-lipgloss.Height(m.header())-2, 3)
	if m.played != nil {
		m.vp.SetContent(m.body(*m.played, m.vp.Width))
	}
}

func (m *learnModel) View() string {
	foot := m.s.HelpKey.Render("←/→") + m.s.HelpDesc.Render(" step  ") +
		m.s.HelpKey.Render(fmt.Sprintf("1-%d", len(m.steps))) + m.s.HelpDesc.Render(" jump  ") +
		m.s.HelpKey.Render("r") + m.s.HelpDesc.Render(" replay  ") +
		m.s.HelpKey.Render("↑/↓ g/G") + m.s.HelpDesc.Render(" scroll  ") +
		m.s.HelpKey.Render("q") + m.s.HelpDesc.Render(" quit")
	body := m.s.Subtle.Render("asking the sandbox…")
	if !m.playing && m.played != nil {
		body = m.vp.View()
	}
	return m.s.App.Render(lipgloss.JoinVertical(lipgloss.Left, m.header(), body, foot))
}
