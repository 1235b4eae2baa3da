package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/s3grant/s3grant/templates"
)

// previewStep is one step of a preview: apply's writes, or the documents
// undo restores. Both render the same way, per account.
type previewStep struct {
	side      string // owner or consumer
	id        int
	operation string
	desc      string
	accountID string
	changes   bool
	diff      string
}

// writeSteps prints the steps per account, owner first, each changed one
// with its diff.
func writeSteps(w io.Writer, steps []previewStep) {
	for _, side := range []templates.Side{templates.Owner, templates.Consumer} {
		fmt.Fprintf(w, "== %s account ==\n", side)
		for _, ps := range steps {
			if ps.side != string(side) {
				continue
			}
			if !ps.changes {
				fmt.Fprintf(w, "  step %d %s: %s: unchanged\n", ps.id, ps.operation, ps.desc)
				continue
			}
			fmt.Fprintf(w, "  step %d %s: %s (%s)\n", ps.id, ps.operation, ps.desc, ps.accountID)
			if ps.diff != "" {
				fmt.Fprintln(w, indent(ps.diff, "    "))
			}
		}
	}
}

// confirm asks the question and reads one line: "yes" goes ahead, any
// other answer is "not confirmed" (exit 1, notConfirmed says what was
// left as it is). No answer at all (standard input closed or empty: a
// script, CI) refuses with exit 2 and says to pass --yes, rather than
// taking silence for either answer.
func confirm(in *bufio.Reader, w io.Writer, question, notConfirmed string) error {
	fmt.Fprintf(w, "%s Type yes to go ahead: ", question)
	line, err := in.ReadString('\n')
	if err != nil && strings.TrimSpace(line) == "" {
		fmt.Fprintln(w)
		noAnswer := errors.New("no answer to the question: standard input is closed or not a terminal. " +
			notConfirmed + ". Pass --yes to go ahead without asking (for scripts)")
		return &ExitError{Code: ExitBadInput, Err: noAnswer}
	}
	if strings.TrimSpace(line) != "yes" {
		refused := fmt.Errorf("not confirmed: %s (use --yes to go ahead without asking)", notConfirmed)
		return &ExitError{Code: ExitFailure, Err: refused}
	}
	return nil
}
