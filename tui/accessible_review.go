package tui

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/wizard"
)

// plainAsk asks one question of the table on a line.
func plainAsk(l *liner, a *wizard.Answers, q wizard.Question) error {
	if note := q.Note(a); note != "" {
		l.say("%s", note)
	}
	var err error
	switch q.Kind {
	case wizard.KindConfirm:
		into := a.Bool(q.Key)
		*into, err = l.confirm(q.Prompt, *into)
	case wizard.KindChoice:
		opts, into := q.Options(a), a.Text(q.Key)
		labels := make([]string, len(opts))
		def := 0
		for i, o := range opts {
			labels[i] = o.Label
			if o.Value == *into {
				def = i
			}
		}
		var i int
		if i, err = l.choose(q.Prompt, labels, def); err == nil {
			*into = opts[i].Value
		}
	default:
		prompt := q.Prompt
		if d := q.DefaultValue(a); d != "" {
			prompt += " (empty: " + d + ")"
		}
		into := a.Text(q.Key)
		*into, err = l.ask(prompt, *into, q.Validate(a))
	}
	return err
}

// plainReview prints the plan as `s3grant plan` does, the access check, the
// equivalent command, and offers to save the plan.
func plainReview(l *liner, a *wizard.Answers, pm *planMsg, opts Options) error {
	l.say("")
	if err := pm.plan.WriteText(l.w); err != nil {
		return err
	}
	l.say("")
	switch {
	case opts.Checker == nil:
		l.say("Access check: not available in this build.")
	case pm.checkErr != nil:
		l.say("Access check failed: %v", pm.checkErr)
	default:
		failed := 0
		for _, r := range pm.rows {
			if !r.Holds {
				failed++
				l.say("Unexpected: %s %s on %s: %s (%s)", r.Principal, r.Action, r.Resource, r.Decision, r.Reason)
			}
		}
		l.say("Access check: %d of %d requests get the expected answer.", len(pm.rows)-failed, len(pm.rows))
		for _, f := range pm.findings {
			l.say("Lint [%s] %s: %s", f.Severity, f.Code, f.Message)
		}
	}
	l.say("The same plan without the wizard:\n%s", planCommandText(a.Spec()))
	if opts.Saver == nil {
		return nil
	}
	path, err := l.ask("Save the plan to a file (a path, or - to skip)", defaultPlanFile, nil)
	if err != nil || path == "" {
		return err
	}
	if err := opts.Saver.SavePlan(path, pm.plan); err != nil {
		l.say("Could not save: %v", err)
		return nil
	}
	l.say("Saved the plan to %s (mode 0600).", path)
	return nil
}

// plainApply applies when connected and the user types yes, printing each
// step as it happens, then verifies.
func plainApply(ctx context.Context, l *liner, a *wizard.Answers, p *plan.Plan, sess *Session) error {
	if sess == nil || sess.Apply == nil {
		l.say("Not applied: this is an offline dry run. Apply the saved plan with s3grant apply PLAN.json.")
		return nil
	}
	l.say("Apply writes to:\n%s", applyTargets(p, sess, a.OwnerProfile, a.ConsumerProfile))
	ok, err := l.confirm("Apply this plan to both accounts now?", false)
	if err != nil || !ok {
		return err
	}
	steps := map[int]plan.Step{}
	for _, st := range p.Steps {
		steps[st.ID] = st
	}
	var mu sync.Mutex
	res, err := sess.Apply.Apply(ctx, p, ApplyChoices{AllowACLDowngrade: a.AllowACLDowngrade()}, func(ev ApplyEvent) {
		mu.Lock()
		defer mu.Unlock()
		st := steps[ev.StepID]
		line := "Step " + strconv.Itoa(st.ID) + " (" + string(st.Account) + " " + st.AccountID + ") " +
			string(st.Operation) + " " + st.Target + ": " + string(ev.Status)
		if ev.Elapsed > 0 {
			line += " in " + ev.Elapsed.String()
		}
		if ev.Message != "" {
			line += ". " + ev.Message
		}
		l.say("%s", line)
	})
	as := &applyScreen{
		c: &common{styles: plainStyles()}, ans: a, session: sess, plan: p,
		res: res, err: err, phase: phaseDone,
	}
	if err == nil && sess.Verify != nil {
		l.say("Verifying from the consumer side…")
		as.probes, as.verErr = sess.Verify.Verify(ctx, p)
	}
	l.say("%s", stripANSI(as.summary()))
	if errors.Is(err, context.Canceled) {
		return ErrInterrupted
	}
	return err
}

// plainStyles render no colour: the plain flow prints text only.
func plainStyles() *Styles { return NewStyles(lipgloss.NewRenderer(io.Discard)) }
