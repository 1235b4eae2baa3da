package cmd

import (
	"context"
	"errors"

	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/tui"
)

// runLearnTUI is the full-screen lesson.
func runLearnTUI(ctx context.Context, app *App, l *sandboxLesson, step int) error {
	opts := tui.LearnOptions{Runner: l, Step: step, Renderer: lipgloss.NewRenderer(app.Out)}
	err := tui.RunLearn(ctx, opts, app.In, app.Out)
	if errors.Is(err, tui.ErrInterrupted) {
		return &ExitError{Code: ExitInterrupt, Err: errors.New("interrupted")}
	}
	return err
}
