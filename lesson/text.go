package lesson

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes a played step line by line, with no colour or layout:
// the accessible mode and plain output read it top to bottom.
func WriteText(w io.Writer, p Played) {
	fmt.Fprintf(w, "Step %d of %d: %s\n", p.Number, len(Steps()), p.Title)
	for i, st := range p.Stages {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, st.Title)
		for _, d := range st.Apply {
			WriteDoc(w, d, "   ")
		}
		for _, r := range st.Results {
			fmt.Fprintf(w, "   request:  %s\n", r.Command)
			fmt.Fprintf(w, "   decision: %s\n", DecisionLine(r))
			for _, reason := range r.Outcome.Reasons {
				fmt.Fprintf(w, "     because %s\n", reason)
			}
		}
		fmt.Fprintf(w, "   %s\n", st.Note)
	}
	fmt.Fprintf(w, "\nRule: %s\nRead more: %s\n", p.Rule, p.Link)
	if p.Limit != "" {
		fmt.Fprintf(w, "What the sandbox cannot show: %s\n", p.Limit)
	}
}

// DecisionLine is a request's answer in a few words, flagged when it is
// not what the lesson teaches.
func DecisionLine(r Result) string {
	s := strings.ToUpper(string(r.Outcome.Decision)) + " (" + r.Outcome.Status + ")"
	if !r.Matches() {
		s += fmt.Sprintf("  [the lesson expected %s: please report this]", r.Req.Expect)
	}
	return s
}

// WriteDoc writes a document with the changed statement marked by ">>".
func WriteDoc(w io.Writer, d Doc, indent string) {
	fmt.Fprintf(w, "%s%s of %s (account %s)%s:\n", indent, d.Kind, d.Target, d.Account, markNote(d))
	for _, line := range MarkLines(d) {
		prefix := "   "
		if line.Marked {
			prefix = ">> "
		}
		fmt.Fprintf(w, "%s%s%s\n", indent, prefix, line.Text)
	}
}

func markNote(d Doc) string {
	if d.Marked == "" {
		return ""
	}
	return ", >> marks statement " + d.Marked
}

// Line is one line of a document and whether it belongs to the marked
// statement.
type Line struct {
	Text   string
	Marked bool
}

// MarkLines splits d's text into lines and marks those of the statement
// whose Sid is d.Marked (from its opening brace to its closing one).
func MarkLines(d Doc) []Line {
	lines := strings.Split(d.Text, "\n")
	out := make([]Line, len(lines))
	start := -1
	if d.Marked != "" {
		for i, l := range lines {
			if strings.Contains(l, `"Sid": "`+d.Marked+`"`) && i > 0 {
				start = i - 1
				break
			}
		}
	}
	in := false
	depth := ""
	for i, l := range lines {
		if i == start {
			in = true
			depth = l[:len(l)-len(strings.TrimLeft(l, " "))]
		}
		out[i] = Line{Text: l, Marked: in}
		if in && i > start && strings.HasPrefix(l, depth+"}") {
			in = false
		}
	}
	return out
}
