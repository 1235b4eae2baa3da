package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
	"github.com/s3grant/s3grant/wizard"
)

// sectionKind is what a preview tab shows.
type sectionKind int

const (
	secDocs sectionKind = iota
	secSteps
	secCheck
	secWarnings
	secCommand
)

// section is one tab of the preview: an account's documents, or one of the
// plan-wide views.
type section struct {
	kind  sectionKind
	title string
	docs  []*plan.Document
	steps []plan.Step // the step writing each doc
}

// planSections lays the plan out as tabs: one per account (owner first),
// each with its documents, then steps, access check, warnings, command.
func planSections(p *plan.Plan, warnCount int) []section {
	var out []section
	byAcct := map[string]int{}
	for _, side := range []templates.Side{templates.Owner, templates.Consumer} {
		for _, st := range p.Steps {
			d := p.DocumentFor(st)
			if st.Account != side || d == nil {
				continue
			}
			i, ok := byAcct[st.AccountID]
			if !ok {
				i = len(out)
				byAcct[st.AccountID] = i
				out = append(out, section{kind: secDocs, title: sideTitle(side)})
			}
			out[i].docs = append(out[i].docs, d)
			out[i].steps = append(out[i].steps, st)
		}
	}
	if len(byAcct) > 2 {
		// Several consumer accounts: the tabs need the account IDs.
		for i := range out {
			out[i].title += " " + out[i].docs[0].AccountID
		}
	}
	return append(out,
		section{kind: secSteps, title: fmt.Sprintf("Steps (%d)", len(p.Steps))},
		section{kind: secCheck, title: "Access check"},
		section{kind: secWarnings, title: fmt.Sprintf("Warnings (%d)", warnCount)},
		section{kind: secCommand, title: "Command"},
	)
}

func sideTitle(s templates.Side) string {
	if s == templates.Consumer {
		return "Consumer"
	}
	return "Owner"
}

// docLabel names a document tab: its kind and the last part of its target.
func docLabel(d *plan.Document) string {
	t := d.Target
	if i := strings.LastIndexAny(t, "/:"); i >= 0 && i < len(t)-1 {
		t = t[i+1:]
	}
	return string(d.Kind) + " " + t
}

// docContent is a document tab's text: what the step does, then the JSON
// (or the diff against what exists).
func (ps *previewScreen) docContent(st plan.Step, d *plan.Document) (plain, styled string) {
	sty := ps.c.styles
	var state string
	switch {
	case !d.Changes():
		state = "No change: the document already holds these statements."
	case d.Existing != nil || d.ExistingACL != nil:
		state = "Changes the existing document (d shows the diff)."
	case ps.plan.StateKnown:
		state = "New document: none exists today."
	default:
		state = "Shown alone: what exists was not read (offline); apply merges into it."
	}
	head := fmt.Sprintf("%s %s · step %d · %s %s", sideTitle(d.Account), d.AccountID, st.ID, st.Operation, d.Target)
	if d.Name != "" {
		head += "\nPolicy name: " + d.Name
	}
	head += "\n" + st.Why + "\n" + state
	styledHead := sty.Subtle.Width(ps.vp.Width).Render(head) + "\n\n"
	head += "\n\n"
	if ps.showDiff {
		diff := d.Diff()
		if !d.Changes() {
			diff = "(no change)\n"
		}
		return head + diff, styledHead + ps.hl.Diff(diff)
	}
	doc := string(d.Canonical())
	words := inWords(d)
	return head + doc + words, styledHead + ps.hl.JSON(doc) + sty.Subtle.Width(ps.vp.Width).Render(words)
}

// inWords explains each statement (or ACL grant) of the document in plain
// English, below its JSON.
func inWords(d *plan.Document) string {
	var b strings.Builder
	b.WriteString("\n\nIn words:\n")
	for _, w := range d.InWords() {
		fmt.Fprintf(&b, "  - %s: %s\n", w.Label, w.Text)
	}
	return b.String()
}

func (ps *previewScreen) stepsContent() string {
	var b strings.Builder
	for _, st := range ps.plan.Steps {
		fmt.Fprintf(&b, "%2d. %-8s %s  %s\n", st.ID, st.Account, st.AccountID, st.Operation)
		fmt.Fprintf(&b, "    %s\n    %s\n", st.Target, st.Why)
	}
	return b.String()
}

func (ps *previewScreen) checkContent() string {
	sty := ps.c.styles
	switch {
	case ps.c.opts.Checker == nil:
		return sty.Warn.Render("The access check (s3grant check) is not available in this build.")
	case ps.checkErr != nil:
		return sty.Bad.Render("The access check failed: ") + ps.checkErr.Error()
	}
	var allow, deny []string
	failed := 0
	for _, r := range ps.rows {
		if !r.Holds {
			failed++
		}
		if r.WantAllow {
			allow = append(allow, ps.matrixLine(r))
		} else {
			deny = append(deny, ps.matrixLine(r))
		}
	}
	summary := sty.OK.Render(fmt.Sprintf("Every one of the %d requests gets the expected answer.", len(ps.rows)))
	if failed > 0 {
		summary = sty.Bad.Render(fmt.Sprintf("%d of %d requests do not get the expected answer: "+
			"do not apply this plan.", failed, len(ps.rows)))
	}
	return summary + "\n\n" + sty.Title.Render("Must be allowed") + "\n" + strings.Join(allow, "\n") +
		"\n\n" + sty.Title.Render("Must be denied") + "\n" + strings.Join(deny, "\n")
}

// matrixLine is one request: the mark, the decision, the action and the
// resource without its ARN prefix; under it who asks and what the request
// proves, then the reason when the answer is not the expected one.
func (ps *previewScreen) matrixLine(r MatrixRow) string {
	sty := ps.c.styles
	mark := sty.OK.Render("✓")
	if !r.Holds {
		mark = sty.Bad.Render("✗")
	}
	res := r.Resource
	if a, ok := arn.Parse(res); ok && a.Service == "s3" && a.Region == "" {
		res = a.Resource // the bucket or object, in any partition
	}
	line := fmt.Sprintf("%s %-16s %-22s %s", mark, r.Decision, r.Action, res)
	who := shortPrincipal(r.Principal)
	if r.Why != "" {
		who += " · " + r.Why
	}
	line += "\n    " + sty.Subtle.Render(who)
	if !r.Holds && r.Reason != "" {
		line += "\n    " + sty.Bad.Render(r.Reason)
	}
	return line
}

// shortPrincipal keeps the part of an ARN a person recognises:
// role/analytics, user/etl, root of an account.
func shortPrincipal(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	res := parts[5]
	if strings.HasPrefix(res, "assumed-role/") {
		res = "role/" + strings.Split(res, "/")[1]
	}
	if res == "root" {
		return parts[4]
	}
	return res
}

func (ps *previewScreen) warningsContent() string {
	sty := ps.c.styles
	var b strings.Builder
	said := map[string]bool{}
	for _, w := range ps.plan.Warnings {
		said[w.Code] = true
		head := severityStyle(sty, string(w.Severity)).Render("[" + string(w.Severity) + "] " + w.Code)
		b.WriteString(head + "\n  " + wizard.InFieldWords(w.Message) + "\n")
	}
	if findings := sameFindingsOnce(ps.findings, said); len(findings) > 0 {
		b.WriteString("\n" + sty.Title.Render("Lint findings") + "\n")
		for _, f := range findings {
			head := severityStyle(sty, f.Severity).Render("[" + f.Severity + "] " + f.Code)
			b.WriteString(head + "\n  " + wizard.InFieldWords(f.Message) + "\n")
		}
	}
	if b.Len() == 0 {
		return sty.OK.Render("No warnings.")
	}
	return b.String()
}

func (ps *previewScreen) commandContent() string {
	sty := ps.c.styles
	return sty.Subtle.Render("The same plan without the wizard:") + "\n\n" +
		sty.Command.Render(planCommandText(ps.ans.Spec())) + "\n\n" +
		sty.Subtle.Render("Add --out plan.json to save it, then: s3grant apply plan.json")
}

func (ps *previewScreen) warnCount() int { return len(ps.plan.Warnings) + len(ps.findings) }

func severityStyle(s *Styles, sev string) lipgloss.Style {
	switch sev {
	case "high", "error":
		return s.Bad
	case "warning":
		return s.Warn
	}
	return s.Info
}

// sameFindingsOnce drops the findings a plan warning already states (the
// same code: a whole-account grant is one warning, not one per statement)
// and shows a finding repeated on several statements once, naming them all.
func sameFindingsOnce(fs []Finding, said map[string]bool) []Finding {
	var out []Finding
	at := map[string]int{}
	for _, f := range fs {
		if said[f.Code] {
			continue
		}
		where, msg, ok := strings.Cut(f.Message, ": ")
		if !ok {
			where, msg = "", f.Message
		}
		k := f.Code + "\x00" + msg
		if i, seen := at[k]; seen && where != "" {
			out[i].Message = strings.Replace(out[i].Message, ": "+msg, "; "+where+": "+msg, 1)
			continue
		}
		at[k] = len(out)
		out = append(out, f)
	}
	return out
}
