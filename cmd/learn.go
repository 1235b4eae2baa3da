package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/lesson"
)

type learnOptions struct {
	step       int
	output     outputFormat
	accessible bool
}

// newLearnCmd is `s3grant learn`: the lesson in a private sandbox.
func newLearnCmd(app *App) *cobra.Command {
	o := &learnOptions{}
	cmd := &cobra.Command{
		Use:   "learn",
		Short: "A short lesson on cross-account access, run against a private sandbox",
		Long: `learn starts a private sandbox (a practice AWS on this machine; nothing real is
touched) and walks through why a cross-account grant needs both halves: each
step applies real documents, sends real signed requests as the consumer, and
shows the sandbox's decision with its reasons, the rule it teaches and the AWS
page that says so. Steps run in any order; the sandbox is reset before each.

-o json runs every step (or --step N) without a terminal and prints the
requests and the decisions, for a classroom or a test.`,
		Example: `  s3grant learn
  s3grant learn --step 3
  s3grant learn -o json | jq '.[].stages[].results[] | {command, decision: .outcome.decision}'
  s3grant learn --accessible`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.Context(), app) },
	}
	fs := cmd.Flags()
	fs.IntVar(&o.step, "step", 0,
		fmt.Sprintf("start at (or, with -o json, run only) step N, from 1 to %d", len(lesson.Steps())))
	fs.BoolVar(&o.accessible, "accessible", false, "line by line without the full-screen UI (also ACCESSIBLE=1)")
	addOutputFlag(fs, &o.output)
	return cmd
}

func (o *learnOptions) run(ctx context.Context, app *App) error {
	steps := lesson.Steps()
	if o.step != 0 {
		if _, err := lesson.Find(o.step); err != nil {
			return badInput(err)
		}
	}
	l, err := startLesson(app)
	if err != nil {
		return err
	}
	defer l.stop()
	switch {
	case o.output == outputJSON:
		return o.printJSON(ctx, app.Out, l, steps)
	case o.accessible || os.Getenv("ACCESSIBLE") != "" || !isTerminal(app.In):
		return o.lineByLine(ctx, app.In, app.Out, l, steps)
	}
	return runLearnTUI(ctx, app, l, max(o.step, 1))
}

// printJSON plays the steps asked for and prints them as one JSON array.
func (o *learnOptions) printJSON(ctx context.Context, w io.Writer, rn lesson.Runner, steps []lesson.Step) error {
	var out []lesson.Played
	for _, s := range steps {
		if o.step != 0 && s.Number != o.step {
			continue
		}
		p, err := lesson.Play(ctx, rn, s)
		if err != nil {
			return err
		}
		out = append(out, p)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// lineByLine is the accessible lesson: a step is printed, then a prompt
// asks what next (Enter: the next step, a number: that step, r: again,
// q: quit). When the input ends, the remaining steps play in order.
func (o *learnOptions) lineByLine(
	ctx context.Context, in io.Reader, w io.Writer, rn lesson.Runner, steps []lesson.Step,
) error {
	fmt.Fprintf(w, "s3grant learn: %d steps in a private sandbox (nothing real is touched).\n\n", len(steps))
	sc := bufio.NewScanner(in)
	n := max(o.step, 1)
	eof := false
	for {
		p, err := lesson.Play(ctx, rn, steps[n-1])
		if err != nil {
			return err
		}
		lesson.WriteText(w, p)
		next := -1
		if !eof {
			var stop bool
			if next, stop, err = askNext(sc, w, n, len(steps)); err != nil || stop {
				return err
			}
		}
		if next < 0 { // the input has ended: play the rest in order
			eof = true
			if n == len(steps) {
				return nil
			}
			next = n + 1
		}
		n = next
		fmt.Fprintln(w)
	}
}

// askNext asks which step comes next after step n of total, until the
// answer is one: the step number, stop for q (or Enter after the last
// step), or -1 when the input has ended.
func askNext(sc *bufio.Scanner, w io.Writer, n, total int) (next int, stop bool, err error) {
	for {
		fmt.Fprintf(w, "\nNext? Enter: step %d, 1-%d: that step, r: this step again, q: quit\n> ", n%total+1, total)
		if !sc.Scan() {
			fmt.Fprintln(w)
			return -1, false, sc.Err()
		}
		switch answer := strings.TrimSpace(strings.ToLower(sc.Text())); answer {
		case "q", "quit":
			return 0, true, nil
		case "r":
			return n, false, nil
		case "":
			if n == total {
				fmt.Fprintln(w, "That was the last step.")
				return 0, true, nil
			}
			return n + 1, false, nil
		default:
			if k, err := strconv.Atoi(answer); err == nil && k >= 1 && k <= total {
				return k, false, nil
			}
			fmt.Fprintf(w, "%q: type a step number from 1 to %d, r, q or just Enter\n", answer, total)
		}
	}
}
