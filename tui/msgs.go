package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// Every message the wizard sends itself, and the commands that send them,
// live in this file: a screen never talks to another screen directly.

// Navigation: screens ask the root to move.
type (
	startDoneMsg     struct{} // accounts are known (typed or connected)
	methodChosenMsg  struct{ m spec.Method }
	questionsDoneMsg struct{}            // every answer is in: build the plan
	backMsg          struct{}            // go to the previous screen, answers kept
	applyRequestMsg  struct{}            // the user asked to apply the previewed plan
	exitMsg          struct{ err error } // leave the wizard
	stopMsg          struct{}            // a stop signal (SIGTERM, SIGHUP): quit as ctrl+c does
)

// Results of background work.
type (
	profilesMsg struct {
		profiles []string
		err      error
	}
	connectedMsg struct {
		session *Session
		err     error
	}
	suggestionsMsg struct{ s Suggestions }
	// bucketFoundMsg is what connected mode read from a bucket.
	bucketFoundMsg struct {
		bucket      string
		region, key wizard.Finding
	}
	canonicalFoundMsg struct{ id wizard.Finding }
	factsMsg          struct {
		bucket string
		facts  plan.Facts
	}
	planMsg struct {
		plan     *plan.Plan
		rows     []MatrixRow
		findings []Finding
		checkErr error
		err      error
	}
	savedMsg struct {
		path string
		err  error
	}
	copiedMsg struct {
		what string
		to   Copied
		err  error
	}
	applyEventMsg struct{ ev ApplyEvent }
	applyDoneMsg  struct {
		res ApplyResult
		err error
	}
	verifyDoneMsg struct {
		probes []Probe
		err    error
	}
)

func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

func loadProfiles(l ProfileLister) tea.Cmd {
	return func() tea.Msg {
		p, err := l.Profiles()
		return profilesMsg{profiles: p, err: err}
	}
}

func connect(ctx context.Context, c Connector, owner, consumer string) tea.Cmd {
	return func() tea.Msg {
		s, err := c.Connect(ctx, owner, consumer)
		return connectedMsg{session: s, err: err}
	}
}

func suggest(ctx context.Context, s Suggester) tea.Cmd {
	return func() tea.Msg {
		sg, err := s.Suggest(ctx)
		if err != nil {
			return nil // suggestions are a convenience: typing still works
		}
		return suggestionsMsg{s: sg}
	}
}

// lookupBucket reads the bucket's region and key for the questions'
// defaults.
func lookupBucket(ctx context.Context, s Suggester, bucket string) tea.Cmd {
	return func() tea.Msg {
		region, key := s.Bucket(ctx, bucket)
		return bucketFoundMsg{bucket: bucket, region: region, key: key}
	}
}

// lookupCanonical reads the consumer's canonical user ID (the acl method).
func lookupCanonical(ctx context.Context, s Suggester) tea.Cmd {
	return func() tea.Msg { return canonicalFoundMsg{id: s.CanonicalID(ctx)} }
}

// readFacts reads the bucket's settings so the method screen can recommend
// from them (e.g. the AWS-managed key means iam-role).
func readFacts(ctx context.Context, r StateReader, s spec.Spec) tea.Cmd {
	return func() tea.Msg {
		st, err := r.ReadState(ctx, s)
		if err != nil || st == nil {
			return nil
		}
		return factsMsg{bucket: s.Bucket, facts: st.Facts}
	}
}

// buildPlan reads the current state when connected, builds the plan with the
// same core as `s3grant plan`, and checks it.
func buildPlan(ctx context.Context, sess *Session, checker Checker, s spec.Spec) tea.Cmd {
	return func() tea.Msg {
		state := &plan.State{}
		if sess != nil && sess.State != nil {
			st, err := sess.State.ReadState(ctx, s)
			if err != nil {
				return planMsg{err: err}
			}
			state = st
		}
		p, err := plan.New(s, state)
		if err != nil {
			return planMsg{err: err}
		}
		out := planMsg{plan: p}
		if checker != nil {
			out.rows, out.findings, out.checkErr = checker.Check(p)
		}
		return out
	}
}

func savePlan(sv PlanSaver, path string, p *plan.Plan) tea.Cmd {
	return func() tea.Msg { return savedMsg{path: path, err: sv.SavePlan(path, p)} }
}

func copyText(c Clipboard, what, text string) tea.Cmd {
	return func() tea.Msg {
		to, err := c.Copy(text)
		return copiedMsg{what: what, to: to, err: err}
	}
}

// startApply runs the applier in the background; its progress comes back
// one event at a time through waitApply.
func startApply(
	ctx context.Context,
	a Applier,
	p *plan.Plan,
	c ApplyChoices,
	events chan<- ApplyEvent,
	done chan<- applyDoneMsg,
) tea.Cmd {
	return func() tea.Msg {
		go func() {
			res, err := a.Apply(ctx, p, c, func(ev ApplyEvent) { events <- ev })
			close(events)
			done <- applyDoneMsg{res: res, err: err}
		}()
		return nil
	}
}

// waitApply waits for the next progress event, or for the end of the apply
// once the events are closed.
func waitApply(events <-chan ApplyEvent, done <-chan applyDoneMsg) tea.Cmd {
	return func() tea.Msg {
		if ev, ok := <-events; ok {
			return applyEventMsg{ev: ev}
		}
		return <-done
	}
}

func verify(ctx context.Context, v Verifier, p *plan.Plan) tea.Cmd {
	return func() tea.Msg {
		probes, err := v.Verify(ctx, p)
		return verifyDoneMsg{probes: probes, err: err}
	}
}

// tickMsg redraws elapsed times while something runs.
type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}
