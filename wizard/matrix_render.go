package wizard

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteText renders the matrix for people: a summary, then each
// expectation with its verdict and the reason that decided it (every
// reason for one that fails), then the lint findings.
func (m *Matrix) WriteText(w io.Writer) error {
	tw := &textWriter{w: w}
	verdict := "every expectation holds"
	if !m.OK {
		verdict = fmt.Sprintf("%d FAIL", m.Failed)
	}
	tw.printf("Access check for grant %s: %d expectations, %s\n", m.GrantID, len(m.Expectations), verdict)
	for _, want := range []string{WantAllow, WantDeny} {
		title := "\nMust be allowed\n"
		if want == WantDeny {
			title = "\nMust be denied\n"
		}
		tw.printf("%s", title)
		for _, e := range m.Expectations {
			if e.Want == want {
				writeExpectation(tw, e)
			}
		}
	}
	if len(m.Findings) > 0 {
		tw.printf("\nFindings\n")
		for _, f := range m.Findings {
			tw.printf("  %s\n", f.String())
		}
	}
	return tw.err
}

func writeExpectation(tw *textWriter, e Expectation) {
	mark := "ok  "
	if !e.Pass {
		mark = "FAIL"
	}
	tw.printf("  %s %-16s %s  %s  %s%s\n", mark, e.Decision, e.Principal, e.Action, e.Resource, contextNote(e.Context))
	tw.printf("         why: %s\n", e.Why)
	for _, r := range e.Reasons {
		tw.printf("         - %s\n", r.String())
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
