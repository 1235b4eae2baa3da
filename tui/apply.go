package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/wizard"
)

// applyPhase is where the apply screen is.
type applyPhase int

const (
	phaseApplying applyPhase = iota
	phaseStopping            // ctrl+c: the call in flight finishes, then rollback
	phaseVerifying
	phaseDone
)

// stepRow is one plan step as the apply screen shows it.
type stepRow struct {
	step    plan.Step
	status  StepStatus
	message string
	started time.Time
	took    time.Duration
}

// applyScreen runs the plan step by step (like bubbletea's package-manager
// example: each event is a message, a spinner on the running step, a
// progress bar), then verifies from the consumer side and sums up.
type applyScreen struct {
	c       *common
	ans     *wizard.Answers
	session *Session
	plan    *plan.Plan
	phase   applyPhase
	rows    []stepRow
	cancel  context.CancelFunc
	events  chan ApplyEvent
	done    chan applyDoneMsg
	res     ApplyResult
	err     error
	probes  []Probe
	verErr  error
	spin    spinner.Model
	bar     progress.Model
	vp      viewport.Model
	follow  bool // keep the newest line in view while running

	askUndo bool         // u was pressed: y undoes
	undoing bool         // the undo runs
	undone  *ApplyResult // how the undo ended
	undoErr error
	// quitAfterUndo: ctrl+c or a stop signal came during the undo; the
	// wizard quits once the undo has ended and journaled how far it got.
	quitAfterUndo bool
}

func newApplyScreen(c *common, a *wizard.Answers, sess *Session, p *plan.Plan) *applyScreen {
	as := &applyScreen{
		c: c, ans: a, session: sess, plan: p, follow: true,
		spin: spinner.New(spinner.WithSpinner(spinner.Dot)),
		bar: progress.New(progress.WithSolidFill(c.styles.Palette.Accent.Dark), progress.WithoutPercentage(),
			progress.WithColorProfile(c.styles.renderer.ColorProfile())), // NO_COLOR: no colour here either
		vp: viewport.New(c.bodyWidth(), 10),
	}
	as.spin.Style = c.styles.Accent
	for _, st := range p.Steps {
		as.rows = append(as.rows, stepRow{step: st})
	}
	return as
}

func (as *applyScreen) Init() tea.Cmd {
	ctx, cancel := context.WithCancel(as.c.ctx)
	as.cancel = cancel
	as.events, as.done = make(chan ApplyEvent, 16), make(chan applyDoneMsg, 1)
	choices := ApplyChoices{AllowACLDowngrade: as.ans.AllowACLDowngrade()}
	return tea.Batch(startApply(ctx, as.session.Apply, as.plan, choices, as.events, as.done),
		waitApply(as.events, as.done), as.spin.Tick, tick())
}

func (as *applyScreen) running() bool {
	return as.phase == phaseApplying || as.phase == phaseStopping || as.phase == phaseVerifying
}

// stop asks the applier to stop: it finishes the call in flight and rolls
// back; the wizard quits once it has.
func (as *applyScreen) stop() tea.Cmd {
	if as.phase == phaseVerifying {
		as.cancel()
		return tea.Interrupt
	}
	as.phase = phaseStopping
	as.cancel()
	return nil
}

func (as *applyScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case applyEventMsg:
		as.event(msg.ev)
		return tea.Batch(waitApply(as.events, as.done), as.barCmd())
	case applyDoneMsg:
		as.res, as.err = msg.res, msg.err
		if as.phase == phaseStopping {
			as.phase = phaseDone
			return tea.Interrupt
		}
		if as.err != nil || as.session.Verify == nil {
			as.phase = phaseDone
			return as.barCmd()
		}
		as.phase = phaseVerifying
		return tea.Batch(verify(as.c.ctx, as.session.Verify, as.plan), as.barCmd())
	case verifyDoneMsg:
		as.probes, as.verErr, as.phase = msg.probes, msg.err, phaseDone
		as.follow = false
		as.vp.GotoTop()
	case undoDoneMsg:
		as.undoing, as.undone, as.undoErr = false, &msg.res, msg.err
		if as.quitAfterUndo {
			return tea.Interrupt
		}
	case spinner.TickMsg:
		if as.running() || as.undoing {
			var cmd tea.Cmd
			as.spin, cmd = as.spin.Update(msg)
			return cmd
		}
	case progress.FrameMsg:
		m, cmd := as.bar.Update(msg)
		as.bar = m.(progress.Model)
		return cmd
	case tickMsg:
		if as.running() {
			return tick()
		}
	case tea.KeyMsg:
		return as.key(msg)
	}
	return nil
}

func (as *applyScreen) key(k tea.KeyMsg) tea.Cmd {
	if cmd, ok := as.undoKeyPress(k); ok {
		return cmd
	}
	if as.undoing {
		return nil
	}
	if as.phase == phaseDone && key.Matches(k, as.c.keys.Exit) {
		return send(exitMsg{err: as.err})
	}
	if as.phase == phaseDone && as.err != nil && key.Matches(k, as.c.keys.Back) {
		return send(backMsg{}) // a failed apply: back to the preview, answers kept
	}
	as.follow = false
	var cmd tea.Cmd
	as.vp, cmd = as.vp.Update(k)
	return cmd
}

func (as *applyScreen) event(ev ApplyEvent) {
	for i := range as.rows {
		r := &as.rows[i]
		if r.step.ID != ev.StepID {
			continue
		}
		if r.started.IsZero() {
			r.started = time.Now()
		}
		r.status, r.message = ev.Status, ev.Message
		switch {
		case ev.Elapsed > 0:
			r.took = ev.Elapsed
		case ev.Status != StepRunning && ev.Status != StepWaiting:
			r.took = time.Since(r.started)
		}
		if ev.Status == StepDone {
			r.message = "" // the wait it may have explained is over
		}
	}
}

// barCmd moves the bar to the steps really done: after a failure or a
// rollback it does not claim 100%.
func (as *applyScreen) barCmd() tea.Cmd {
	return as.bar.SetPercent(float64(as.doneSteps()) / float64(max(len(as.rows), 1)))
}

func (as *applyScreen) doneSteps() int {
	n := 0
	for _, r := range as.rows {
		switch r.status {
		case StepDone, StepUnchanged, StepSkipped:
			n++ // a failed or rolled-back step is not progress
		default: // no special case
		}
	}
	return n
}

func (as *applyScreen) SetSize() tea.Cmd {
	as.vp.Width, as.vp.Height = as.c.bodyWidth(), max(as.c.bodyHeight()-2, 3)
	as.bar.Width = min(as.c.bodyWidth(), 60)
	return nil
}

func (as *applyScreen) Keys() []key.Binding {
	k := as.c.keys
	scroll := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "scroll"))
	scroll.SetEnabled(!as.vp.AtTop() || !as.vp.AtBottom())
	if as.askUndo {
		return []key.Binding{withHelp(yesKey, "undo"), withHelp(noKey, "keep")}
	}
	if as.phase == phaseDone {
		u := undoKey
		u.SetEnabled(as.canUndo())
		back := withHelp(k.Back, "back to the preview")
		back.SetEnabled(as.err != nil)
		return only(scroll, u, back, k.Exit)
	}
	return only(scroll)
}

func (as *applyScreen) View() string {
	st := as.c.styles
	title := st.Title.Render("Apply") + st.Subtle.Render(fmt.Sprintf(" · %d of %d steps done · %s then %s",
		as.doneSteps(), len(as.rows), as.session.OwnerAccount, as.session.ConsumerAccount))
	body := as.stepsView()
	switch as.phase {
	case phaseStopping:
		body += "\n" + st.Warn.Render("Stopping: the call in flight finishes, "+
			"then everything written is rolled back…")
	case phaseVerifying:
		body += "\n" + as.spin.View() + " Verifying from the consumer side…"
	case phaseDone:
		body += "\n" + as.summary() + as.undoView()
	default: // no special case
	}
	as.vp.SetContent(lipgloss.NewStyle().Width(as.vp.Width).Render(body))
	if as.follow {
		as.vp.GotoBottom()
	}
	return title + "\n" + as.bar.View() + "\n" + as.vp.View()
}

func (as *applyScreen) stepsView() string {
	st := as.c.styles
	var b strings.Builder
	for _, r := range as.rows {
		icon, style := "·", st.Faint
		switch r.status {
		case StepRunning, StepWaiting:
			icon, style = as.spin.View(), st.Text
		case StepDone:
			icon, style = st.OK.Render("✓"), st.Text
		case StepUnchanged:
			icon, style = st.Subtle.Render("="), st.Subtle
		case StepFailed:
			icon, style = st.Bad.Render("✗"), st.Bad
		case StepRolledBack:
			icon, style = st.Warn.Render("↺"), st.Warn
		default: // no special case
		}
		took := ""
		switch {
		case r.took > 0:
			took = st.Subtle.Render(" " + r.took.Round(10*time.Millisecond).String())
		case !r.started.IsZero() && (r.status == StepRunning || r.status == StepWaiting):
			took = st.Subtle.Render(" " + time.Since(r.started).Round(time.Second).String())
		}
		step := fmt.Sprintf("%-8s %s %s", r.step.Account, r.step.Operation, shortTarget(r.step.Target))
		fmt.Fprintf(&b, "%s %s%s\n", icon, style.Render(step), took)
		if r.message != "" {
			b.WriteString("    " + st.Subtle.Render(r.message) + "\n")
		}
	}
	return b.String()
}

func shortTarget(t string) string {
	if i := strings.LastIndexAny(t, "/:"); i >= 0 && i < len(t)-1 {
		return t[i+1:]
	}
	return t
}
