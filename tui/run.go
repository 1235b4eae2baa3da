package tui

import (
	"context"
	"errors"
	"fmt"
	"io"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// ErrInterrupted is returned when the user quits with ctrl+c (exit 130).
var ErrInterrupted = errors.New("interrupted")

// Run runs the full-screen wizard on the terminal in and out. After the UI
// closes, the outcome of an apply is printed so it stays on screen.
//
// Cancelling ctx (the caller's stop signals: SIGINT, SIGTERM, SIGHUP) stops
// the wizard as ctrl+c does: an apply in flight finishes its call and rolls
// back, and only then does the UI close. Bubble Tea's own signal handler is
// off: it would quit at once on SIGTERM, and a context given to Bubble Tea
// kills the program when cancelled, cutting that rollback short.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) error {
	// Ask the terminal for its background once, before Bubble Tea owns the
	// input: asked from inside the first View, the answer would race the
	// key reader. The default renderer (used by huh's base theme) shares it.
	if opts.Renderer != nil {
		lipgloss.SetHasDarkBackground(opts.Renderer.HasDarkBackground())
	}
	m := New(ctx, opts)
	// 120 frames a second: the first frame (and every answer to a key)
	// reaches the screen up to 8 ms sooner than at the default 60.
	prog := tea.NewProgram(m, tea.WithAltScreen(), tea.WithFPS(120), tea.WithInput(in), tea.WithOutput(out),
		tea.WithoutSignalHandler())
	// Send returns at once when the program has ended.
	unwatch := context.AfterFunc(ctx, func() { prog.Send(stopMsg{}) })
	defer unwatch()
	_, err := prog.Run()
	if bye := m.farewell(); bye != "" {
		fmt.Fprintln(out, bye)
	}
	switch {
	case m.Interrupted() || errors.Is(err, tea.ErrInterrupted):
		return ErrInterrupted
	case err != nil:
		return fmt.Errorf("wizard: %w", err)
	}
	return m.Err()
}

func stripANSI(s string) string { return ansi.Strip(s) }
