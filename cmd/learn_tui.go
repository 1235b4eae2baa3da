package cmd

import (
	"context"

	"github.com/s3grant/s3grant/lesson"
)

// runLearnTUI is the full-screen lesson (the TUI is not there yet: the
// line-by-line lesson stands in).
func runLearnTUI(ctx context.Context, app *App, l *sandboxLesson, step int) error {
	o := &learnOptions{step: step}
	return o.lineByLine(ctx, app.In, app.Out, l, lesson.Steps())
}
