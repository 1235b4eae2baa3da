package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// errInputEnded is returned when standard input closes before the wizard
// has every answer.
var errInputEnded = errors.New("input ended before the wizard finished: nothing was changed")

// clearWord clears an optional answer that has a default.
const clearWord = "-"

// liner asks questions one line at a time on plain text streams: what a
// screen reader or a script needs. One buffered reader serves every
// question, so answers piped in all at once are not lost between them.
type liner struct {
	ctx context.Context
	r   *bufio.Reader
	w   io.Writer
}

func newLiner(ctx context.Context, r io.Reader, w io.Writer) *liner {
	return &liner{ctx: ctx, r: bufio.NewReader(r), w: w}
}

// readLine reads one line, or gives up when ctx ends (ctrl+c while a
// question waits).
func (l *liner) readLine() (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := l.r.ReadString('\n')
		ch <- result{line, err}
	}()
	select {
	case res := <-ch:
		return res.line, res.err
	case <-l.ctx.Done():
		return "", ErrInterrupted
	}
}

func (l *liner) say(format string, a ...any) { fmt.Fprintf(l.w, format+"\n", a...) }

// ask reads one answer. An empty line keeps def; "-" clears it. The answer
// is checked with validate, and asked again with the reason when it fails.
func (l *liner) ask(prompt, def string, validate func(string) error) (string, error) {
	for {
		if def != "" {
			fmt.Fprintf(l.w, "%s [%s]: ", prompt, def)
		} else {
			fmt.Fprintf(l.w, "%s: ", prompt)
		}
		line, err := l.readLine()
		if errors.Is(err, ErrInterrupted) {
			fmt.Fprintln(l.w)
			return "", err
		}
		if err != nil && (!errors.Is(err, io.EOF) || line == "") {
			fmt.Fprintln(l.w)
			return "", errInputEnded
		}
		v := strings.TrimSpace(line)
		switch v {
		case "":
			v = def
		case clearWord:
			v = ""
		}
		if validate != nil {
			if err := validate(v); err != nil {
				l.say("Error: %v", err)
				continue
			}
		}
		return v, nil
	}
}

// choose reads the number of one option; def is the 0-based default.
func (l *liner) choose(prompt string, options []string, def int) (int, error) {
	l.say("%s", prompt)
	for i, o := range options {
		l.say("  %d. %s", i+1, o)
	}
	v, err := l.ask("Number", strconv.Itoa(def+1), func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > len(options) {
			return fmt.Errorf("type a number from 1 to %d", len(options))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(v)
	return n - 1, nil
}

// confirm reads yes or no.
func (l *liner) confirm(prompt string, def bool) (bool, error) {
	d := "no"
	if def {
		d = "yes"
	}
	v, err := l.ask(prompt+" (yes/no)", d, func(s string) error {
		switch strings.ToLower(s) {
		case "y", "yes", "n", "no":
			return nil
		}
		return errors.New("answer yes or no")
	})
	if err != nil {
		return false, err
	}
	return strings.HasPrefix(strings.ToLower(v), "y"), nil
}
