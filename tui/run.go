package tui

import (
	"context"
	"errors"
	"fmt"
	"io"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// ErrInterrupted is returned when the user quits with ctrl+c (exit 130).
var ErrInterrupted = errors.New("interrupted")

// Run runs the full-screen wizard on the terminal in and out. After the UI
// closes, the outcome of an apply is printed so it stays on screen.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) error {
	m := New(opts)
	prog := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(in), tea.WithOutput(out), tea.WithContext(ctx))
	_, err := prog.Run()
	if bye := m.farewell(); bye != "" {
		fmt.Fprintln(out, bye)
	}
	switch {
	case m.Interrupted() || errors.Is(err, tea.ErrInterrupted):
		return ErrInterrupted
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ErrInterrupted
	case err != nil:
		return fmt.Errorf("wizard: %w", err)
	}
	return m.Err()
}

func stripANSI(s string) string { return ansi.Strip(s) }
