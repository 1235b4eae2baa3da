package tui

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/atotto/clipboard"
	osc52 "github.com/aymanbagabas/go-osc52/v2"
)

// Copied says what a copy did, in words the user can trust: only Sure
// claims the text is on a clipboard.
type Copied struct {
	Where string // "the system clipboard", "tmux's paste buffer", "the terminal (OSC 52)"
	Sure  bool   // false: the request was sent, but nothing can confirm it arrived
}

// TerminalClipboard copies through the system clipboard where the desktop
// has one, tmux's paste buffer inside tmux, and the terminal's OSC 52
// otherwise (which works over SSH, where the terminal allows it).
type TerminalClipboard struct {
	Out io.Writer // the terminal
}

// Copy sends text to the clipboard and says where it went.
func (t TerminalClipboard) Copy(text string) (Copied, error) {
	if clipboard.WriteAll(text) == nil {
		return Copied{Where: "the system clipboard", Sure: true}, nil
	}
	if os.Getenv("TMUX") != "" {
		// tmux drops OSC 52 passed through to the outer terminal unless
		// allow-passthrough is on; its own buffer always works, and -w
		// also hands it to the terminal when set-clipboard allows.
		cmd := exec.Command("tmux", "load-buffer", "-w", "-")
		cmd.Stdin = strings.NewReader(text)
		if cmd.Run() == nil {
			return Copied{Where: "tmux's paste buffer (prefix ] pastes it)", Sure: true}, nil
		}
	}
	if _, err := osc52.New(text).WriteTo(t.Out); err != nil {
		return Copied{}, errors.New("copy failed: no system clipboard, and the terminal could not be written to")
	}
	return Copied{Where: "the terminal (OSC 52)"}, nil
}
