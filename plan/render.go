package plan

import (
	"io"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/internal/textout"
	"github.com/s3grant/s3grant/templates"
)

// WriteText renders the plan for people: a summary line, then each account's
// steps in run order with their documents and diffs, then the warnings.
func (p *Plan) WriteText(w io.Writer) error {
	tw := textout.New(w)
	s := p.Spec
	tw.Printf("Plan: %s grant of %s access to %s for %s\n",
		s.Method, s.Access, s.Scope(), strings.Join(s.ConsumerAccounts, ", "))
	tw.Printf("Grant ID %s: the statements s3grant writes have Sids starting with %s.\n", p.GrantID, p.SidPrefix)
	for _, side := range []templates.Side{templates.Owner, templates.Consumer} {
		p.writeSide(tw, side)
	}
	if len(p.Warnings) > 0 {
		tw.Printf("\nWarnings\n")
		for _, wn := range p.Warnings {
			tw.Printf("  [%s] %s: %s\n", wn.Severity, wn.Code, wn.Message)
		}
	}
	return tw.Err()
}

func (p *Plan) writeSide(tw *textout.Writer, side templates.Side) {
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
			tw.Printf("\n%s %s\n", title, st.AccountID)
		}
		p.writeStep(tw, st)
	}
}

func (p *Plan) writeStep(tw *textout.Writer, st Step) {
	tw.Printf("\n  %d. %s %s\n", st.ID, st.Operation, st.Target)
	tw.Printf("     %s\n", st.Why)
	d := p.DocumentFor(st)
	if d == nil {
		for _, k := range sortedParamKeys(st.Params) {
			tw.Printf("     %s: %s\n", k, st.Params[k])
		}
		return
	}
	if d.Name != "" {
		tw.Printf("     Policy name: %s\n", d.Name)
	}
	switch {
	case !d.Changes():
		tw.Printf("     No change: the document already holds these statements.\n")
	case d.Existing != nil || d.ExistingACL != nil:
		tw.Printf("     Changes:\n%s", textout.Indent(d.Diff(), "       "))
	}
	tw.Printf("     Document:\n%s\n", textout.Indent(string(d.Canonical()), "       "))
	tw.Printf("     In words:\n")
	for _, w := range d.InWords() {
		tw.Printf("       - %s: %s\n", w.Label, w.Text)
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
