package check

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/internal/textout"
)

// WriteText renders the matrix for people: a summary, then each
// expectation with its verdict and the reason that decided it (every
// reason for one that fails), then the lint findings.
func (m *Matrix) WriteText(w io.Writer) error {
	tw := textout.New(w)
	verdict := "every expectation holds"
	if m.Failed > 0 {
		verdict = fmt.Sprintf("%d FAIL", m.Failed)
	}
	if m.Proof != nil && !m.Proof.OK {
		verdict += fmt.Sprintf("; the proof finds %d accesses beyond the spec", len(m.Proof.Extra))
	}
	tw.Printf("Access check for grant %s: %d expectations, %s\n", m.GrantID, len(m.Expectations), verdict)
	for _, want := range []string{WantAllow, WantDeny} {
		title := "\nMust be allowed\n"
		if want == WantDeny {
			title = "\nMust be denied\n"
		}
		tw.Printf("%s", title)
		for _, e := range m.Expectations {
			if e.Want == want {
				writeExpectation(tw, e)
			}
		}
	}
	if m.Proof != nil {
		m.Proof.writeText(tw)
	}
	if len(m.Findings) > 0 {
		tw.Printf("\nFindings\n")
		for _, f := range m.Findings {
			tw.Printf("  %s\n", f.String())
		}
	}
	return tw.Err()
}

func writeExpectation(tw *textout.Writer, e Expectation) {
	mark := "ok  "
	if !e.Pass {
		mark = "FAIL"
	}
	tw.Printf("  %s %-16s %s  %s  %s%s\n", mark, e.Decision, e.Principal, e.Action, e.Resource, contextNote(e.Context))
	tw.Printf("         why: %s\n", e.Why)
	for _, r := range e.Reasons {
		tw.Printf("         - %s\n", r.String())
	}
}

func contextNote(ctx map[string][]string) string {
	if len(ctx) == 0 {
		return ""
	}
	keys := make([]string, 0, len(ctx))
	for k := range ctx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strings.Join(ctx[k], ",")
	}
	return "  [" + strings.Join(parts, " ") + "]"
}

// Verdict says in one line what fails: the expectations that do not hold
// and the accesses the proof finds beyond the spec.
func (m *Matrix) Verdict() string {
	out := fmt.Sprintf("%d of %d access expectations do not hold", m.Failed, len(m.Expectations))
	if m.Proof != nil && !m.Proof.OK {
		out += fmt.Sprintf("; the proof over every request finds %d accesses beyond the spec", len(m.Proof.Extra))
	}
	return out
}
