package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/wizard"
)

// summary is the end of an apply: what happened, the run ID for undo, the
// verification, and what to send the consumer.
func (as *applyScreen) summary() string {
	st := as.c.styles
	var b strings.Builder
	if as.err != nil {
		what, why := "Apply failed: ", wizard.InFieldWords(as.err.Error())
		if errors.Is(as.err, context.Canceled) {
			what, why = "Stopped at your request: ", strings.TrimSuffix(why, ": "+context.Canceled.Error())
		}
		b.WriteString(st.Bad.Render(what) + why + "\n")
		if as.res.RolledBack {
			b.WriteString(st.Warn.Render("Everything written was rolled back: both accounts are as before.") + "\n")
		}
		writeList(&b, st.Text.Render("Still changed:"), as.res.Changed)
		writeList(&b, st.Text.Render("Left as it was:"), as.res.Unchanged)
		if as.res.RunID != "" && !as.res.RolledBack {
			b.WriteString("Journal: run " + as.res.RunID + ". " + as.undoHint())
		}
		b.WriteString(st.Subtle.Render("esc goes back to the preview, your answers kept.") + "\n")
		if as.res.Message != "" && !strings.Contains(as.err.Error(), as.res.Message) {
			b.WriteString(st.Subtle.Render(as.res.Message) + "\n")
		}
		return b.String()
	}
	applied := fmt.Sprintf("Applied: %d changed, %d already right.", len(as.res.Changed), len(as.res.Unchanged))
	b.WriteString(st.OK.Render(applied) + "\n")
	if as.res.Message != "" {
		b.WriteString(st.Subtle.Render(as.res.Message) + "\n")
	}
	fmt.Fprintf(&b, "Run ID %s\n%s", st.Selected.Render(as.res.RunID), as.undoHint())
	b.WriteString("\n" + as.verifyView() + "\n")
	if left := wizard.LeftToDo(as.plan, as.ans.ConsumerProfile); len(left) > 0 {
		b.WriteString(st.Warn.Render("Left to do before the consumer's people can use it") + "\n")
		for _, l := range left {
			b.WriteString(l + "\n")
		}
		b.WriteString("\n")
	}
	instructions := wizard.ConsumerInstructions(as.plan.Spec, as.res.AccessPointAlias)
	b.WriteString(st.Title.Render("Send this to the consumer") + "\n" + instructions + "\n")
	return b.String()
}

func writeList(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString(title + "\n")
	for _, it := range items {
		b.WriteString("  • " + it + "\n")
	}
}

func (as *applyScreen) verifyView() string {
	st := as.c.styles
	switch {
	case as.session.Verify == nil:
		return st.Warn.Render("Verification is not available in this build: run s3grant verify PLAN.json.")
	case as.verErr != nil:
		return st.Bad.Render("Verification failed: ") + as.verErr.Error()
	}
	var b strings.Builder
	b.WriteString(st.Title.Render("Verification from the consumer side") + "\n")
	b.WriteString(st.Subtle.Render(as.verifiedAs()) + "\n")
	for _, p := range as.probes {
		want := "allowed"
		if !p.WantAllow {
			want = "denied"
		}
		mark := st.OK.Render("✓")
		switch {
		case !p.OK:
			mark = st.Bad.Render("✗")
		case p.Skipped:
			// Not sent: no tick, and the reason on the line.
			fmt.Fprintf(&b, "%s %s (not probed: %s)\n", st.Subtle.Render("–"), p.Name, p.NextStep)
			continue
		}
		fmt.Fprintf(&b, "%s %s (must be %s)", mark, p.Name, want)
		if p.Detail != "" {
			b.WriteString(st.Subtle.Render(" · " + p.Detail))
		}
		b.WriteString("\n")
		if !p.OK && p.NextStep != "" {
			b.WriteString("    " + st.Warn.Render("next: "+p.NextStep) + "\n")
		}
	}
	return b.String()
}

// farewell is printed after the full-screen UI closes, so the outcome
// stays in the terminal.
func (m *Model) farewell() string {
	if m.apply != nil && m.apply.phase == phaseDone {
		return stripANSI(m.apply.summaryText())
	}
	return ""
}

func (as *applyScreen) summaryText() string {
	return as.stepsView() + "\n" + as.summary()
}

// verifiedAs says whose access the probes proved: the consumer profile's
// identity, or a role it assumed (the consumer-identity probe says which).
func (as *applyScreen) verifiedAs() string {
	who := as.session.ConsumerARN
	if who == "" {
		who = "the consumer profile's identity"
	}
	out := fmt.Sprintf("Probed as %s (profile %s, account %s).",
		who, as.ans.ConsumerProfile, as.session.ConsumerAccount)
	for _, p := range as.probes {
		if role, ok := strings.CutPrefix(p.Name, "sts:AssumeRole "); ok && p.OK && p.WantAllow {
			out += " The probes ran as role " + role + ", which it assumed."
			break
		}
	}
	if len(wizard.LeftToDo(as.plan, "")) > 0 {
		out += " That proves the owner's side and this identity's own access; " +
			"it does not prove access for anyone the consumer policy is meant for, " +
			"as it is attached to nobody yet."
	}
	return out
}
