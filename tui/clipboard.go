package tui

import (
	"errors"
	"io"
	"os"

	"github.com/atotto/clipboard"
	osc52 "github.com/aymanbagabas/go-osc52/v2"
)

// TerminalClipboard copies through the terminal (OSC 52, which works over
// SSH and in tmux) and, where the desktop has one, the system clipboard.
type TerminalClipboard struct {
	Out io.Writer // the terminal
}

// Copy sends text to the clipboard. It fails only when neither way worked.
func (t TerminalClipboard) Copy(text string) error {
	seq := osc52.New(text)
	if os.Getenv("TMUX") != "" {
		seq = seq.Tmux()
	}
	_, termErr := seq.WriteTo(t.Out)
	sysErr := clipboard.WriteAll(text)
	if termErr != nil && sysErr != nil {
		return errors.New("copy failed: the terminal and the system clipboard both refused")
	}
	return nil
}
