package tui

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// driver runs the root model the way a tea.Program would, synchronously:
// each command's message is fed back into Update. Commands that do not
// answer quickly (spinner ticks, cursor blinks, timers) are dropped, so a
// test never waits on animation.
type driver struct {
	t      *testing.T
	m      *Model
	quit   bool
	interr bool
	late   chan tea.Msg // answers of slow commands that are not timers
}

func newDriver(t *testing.T, opts Options, w, h int) *driver {
	t.Helper()
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.NewRenderer(io.Discard)
	}
	d := &driver{t: t, m: New(t.Context(), opts), late: make(chan tea.Msg, 64)}
	d.run(d.m.Init(), 0)
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd, 0)
}

func (d *driver) run(cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 200 {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(30 * time.Millisecond):
		// A timer (spinner, cursor blink) or slow work (a loaded machine):
		// keep the work's answer for later, drop the timers.
		go func() {
			if m := <-ch; m != nil && !isTimer(m) {
				d.late <- m
			}
		}()
		return
	}
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c, depth+1)
		}
		return
	case tea.QuitMsg:
		d.quit = true
		return
	case tea.InterruptMsg:
		d.interr = true
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := 0; i < v.Len(); i++ { // tea.Sequence
			d.run(v.Index(i).Interface().(tea.Cmd), depth+1)
		}
		return
	}
	_, next := d.m.Update(msg)
	d.run(next, depth+1)
}

func isTimer(msg tea.Msg) bool {
	switch msg.(type) {
	case spinner.TickMsg, cursor.BlinkMsg, progress.FrameMsg, tickMsg:
		return true
	}
	return false
}

// settle feeds the answers of slow commands that arrived meanwhile, waiting
// up to wait for the first one.
func (d *driver) settle(wait time.Duration) bool {
	select {
	case msg := <-d.late:
		_, cmd := d.m.Update(msg)
		d.run(cmd, 0)
		return true
	case <-time.After(wait):
		return false
	}
}

// keys sends each argument as a key press: names like "enter", "esc",
// "tab", "down", "ctrl+c", or literal text typed rune by rune.
func (d *driver) keys(keys ...string) {
	for _, k := range keys {
		if km, ok := namedKey(k); ok {
			d.send(km)
			continue
		}
		for _, r := range k {
			d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
}

func namedKey(k string) (tea.KeyMsg, bool) {
	names := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"ctrl+c": tea.KeyCtrlC, "ctrl+u": tea.KeyCtrlU, "backspace": tea.KeyBackspace,
		"pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
	}
	t, ok := names[k]
	return tea.KeyMsg{Type: t}, ok
}

// view is the screen as text, without styles.
func (d *driver) view() string { return stripANSI(d.m.View()) }

// wantView checks the view shows every part, giving slow commands (a
// loaded machine) up to two seconds to answer first.
func (d *driver) wantView(parts ...string) {
	d.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		v, missing := d.view(), ""
		for _, p := range parts {
			if !strings.Contains(v, p) {
				missing = p
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) || !d.settle(time.Until(deadline)) {
			d.t.Fatalf("view lacks %q:\n%s", missing, v)
		}
	}
}

func (d *driver) notView(parts ...string) {
	d.t.Helper()
	v := d.view()
	for _, p := range parts {
		if strings.Contains(v, p) {
			d.t.Fatalf("view has %q:\n%s", p, v)
		}
	}
}

// Fakes for the dependencies: test-only stand-ins for the aws package.

type memSaver struct {
	mu    sync.Mutex
	saved map[string]*plan.Plan
}

func (s *memSaver) SavePlan(path string, p *plan.Plan) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saved == nil {
		s.saved = map[string]*plan.Plan{}
	}
	s.saved[path] = p
	return nil
}

type memClipboard struct {
	got    []string
	unsure bool // answers like OSC 52: sent, not confirmed
}

func (c *memClipboard) Copy(text string) (Copied, error) {
	c.got = append(c.got, text)
	if c.unsure {
		return Copied{Where: "the terminal (OSC 52)"}, nil
	}
	return Copied{Where: "the system clipboard", Sure: true}, nil
}

// fakeApplier reports each step done; with block set, it waits for
// cancellation after the first step and reports a rollback.
type fakeApplier struct {
	choices ApplyChoices // what the last apply was given
	block   bool
	fail    int // step ID that fails
}

func (f *fakeApplier) Apply(ctx context.Context, p *plan.Plan, c ApplyChoices, progress func(ApplyEvent)) (ApplyResult, error) {
	f.choices = c
	res := ApplyResult{RunID: "run-20261128-abc123"}
	for i, st := range p.Steps {
		progress(ApplyEvent{StepID: st.ID, Status: StepRunning})
		if st.ID == f.fail {
			progress(ApplyEvent{StepID: st.ID, Status: StepFailed, Message: "AccessDenied"})
			res.RolledBack, res.Unchanged = true, []string{"everything: rolled back"}
			return res, errors.New("step failed: AccessDenied")
		}
		if i == 0 && st.Operation == "iam:CreateRole" {
			progress(ApplyEvent{StepID: st.ID, Status: StepWaiting, Message: "waiting for IAM propagation of the new role"})
		}
		progress(ApplyEvent{StepID: st.ID, Status: StepDone, Elapsed: 120 * time.Millisecond})
		res.Changed = append(res.Changed, st.Target)
		if f.block && i == 0 {
			<-ctx.Done()
			progress(ApplyEvent{StepID: st.ID, Status: StepRolledBack, Message: "restored as it was"})
			res.RolledBack, res.Changed, res.Unchanged = true, nil, []string{st.Target}
			return res, ctx.Err()
		}
	}
	return res, nil
}

type fakeVerifier struct{}

func (fakeVerifier) Verify(context.Context, *plan.Plan) ([]Probe, error) {
	return []Probe{
		{Name: "ListObjectsV2 reports/", WantAllow: true, OK: true},
		{Name: "ListObjectsV2 other/", WantAllow: false, OK: true, Detail: "AccessDenied"},
		{
			Name: "HeadBucket analytics-exports", WantAllow: true, OK: true, Detail: "skipped", Skipped: true,
			NextStep: "HeadBucket needs s3:ListBucket on the whole bucket",
		},
	}, nil
}

type fakeConnector struct {
	apply   Applier
	state   StateReader
	suggest Suggester
}

func (f fakeConnector) Connect(_ context.Context, owner, consumer string) (*Session, error) {
	if owner == "broken" {
		return nil, errors.New("profile broken: no credentials")
	}
	return &Session{OwnerAccount: plan.ExOwner, ConsumerAccount: plan.ExConsumer, ConsumerARN: "arn:aws:iam::" + plan.ExConsumer + ":user/admin", Apply: f.apply, Verify: fakeVerifier{}, State: f.state, Undo: fakeUndoer{}, Suggest: f.suggest}, nil
}

// managedKeyBucket says every bucket encrypts with the AWS-managed key.
type managedKeyBucket struct{}

func (managedKeyBucket) ReadState(context.Context, spec.Spec) (*plan.State, error) {
	return &plan.State{Facts: plan.Facts{Read: true, SSEAlgorithm: "aws:kms", SSEAWSManagedKey: true}}, nil
}

type fakeProfiles []string

func (f fakeProfiles) Profiles() ([]string, error) { return f, nil }

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// fakeUndoer reports every change restored.
type fakeUndoer struct{}

func (fakeUndoer) Undo(_ context.Context, id string) (ApplyResult, error) {
	return ApplyResult{RunID: id, Unchanged: []string{"everything restored"}}, nil
}
