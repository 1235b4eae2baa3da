package wizard

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/templates"
)

// WriteText renders the plan for people: a summary line, then each account's
// steps in run order with their documents and diffs, then the warnings.
func (p *Plan) WriteText(w io.Writer) error {
	tw := &textWriter{w: w}
	s := p.Spec
	tw.printf("Plan: %s grant of %s access to %s for %s\n", s.Method, s.Access, s.Scope(), strings.Join(s.ConsumerAccounts, ", "))
	tw.printf("Grant ID %s: the statements s3grant writes have Sids starting with %s.\n", p.GrantID, p.SidPrefix)
	for _, side := range []templates.Side{templates.Owner, templates.Consumer} {
		p.writeSide(tw, side)
	}
	if len(p.Warnings) > 0 {
		tw.printf("\nWarnings\n")
		for _, wn := range p.Warnings {
			tw.printf("  [%s] %s: %s\n", wn.Severity, wn.Code, wn.Message)
		}
	}
	return tw.err
}

func (p *Plan) writeSide(tw *textWriter, side templates.Side) {
	var steps []Step
	for _, st := range p.Steps {
		if st.Account == side {
			steps = append(steps, st)
		}
	}
	if len(steps) == 0 {
		return
	}
	title := "Owner account"
	if side == templates.Consumer {
		title = "Consumer account"
	}
	accounts := map[string]bool{}
	for _, st := range steps {
		if !accounts[st.AccountID] {
			accounts[st.AccountID] = true
			tw.printf("\n%s %s\n", title, st.AccountID)
		}
		p.writeStep(tw, st)
	}
}

func (p *Plan) writeStep(tw *textWriter, st Step) {
	tw.printf("\n  %d. %s %s\n", st.ID, st.Operation, st.Target)
	tw.printf("     %s\n", st.Why)
	d := p.DocumentFor(st)
	if d == nil {
		for _, k := range sortedParamKeys(st.Params) {
			tw.printf("     %s: %s\n", k, st.Params[k])
		}
		return
	}
	if d.Name != "" {
		tw.printf("     Policy name: %s\n", d.Name)
	}
	switch {
	case !d.Changes():
		tw.printf("     No change: the document already holds these statements.\n")
	case d.Existing != nil || d.ExistingACL != nil:
		tw.printf("     Changes:\n%s", indent(d.Diff(), "       "))
	}
	tw.printf("     Document:\n%s\n", indent(string(d.Canonical()), "       "))
	tw.printf("     In words:\n")
	for _, w := range d.InWords() {
		tw.printf("       - %s: %s\n", w.Label, w.Text)
	}
}

func sortedParamKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func indent(s, pad string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		b.WriteString(pad + l)
	}
	return b.String()
}

type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, a...)
	}
}
