package tui_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The end-to-end tests build the real binary and drive it in tmux, as a
// person at a terminal would: send-keys to type, capture-pane to read.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds s3grant once for the whole test binary.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "s3grant-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "s3grant")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/s3grant/s3grant").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// needTmux fails in CI (it must run there) and skips elsewhere when tmux is
// missing.
func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("tmux is required in CI (scripts/setup.sh installs it): %v", err)
		}
		t.Skip("tmux not installed")
	}
}

// pane is one program running in its own tmux server.
type pane struct {
	t      *testing.T
	socket string
}

// startPane runs the command in a new tmux server (its own socket, so the
// environment is env and nothing leaks between tests) at w x h. When the
// command ends the pane shows EXIT=<code>.
func startPane(t *testing.T, env []string, dir string, w, h int, argv ...string) *pane {
	t.Helper()
	needTmux(t)
	p := &pane{t: t, socket: fmt.Sprintf("s3grant-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	script := "cd '" + dir + "' && " + strings.Join(quoted, " ") + "; echo EXIT=$?; sleep 600"
	cmd := exec.Command("tmux", "-L", p.socket, "-f", "/dev/null", "new-session", "-d", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "sh", "-c", script)
	cmd.Env = append(env, "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", p.socket, "kill-server").Run() })
	return p
}

func (p *pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys sends tmux key names (Enter, Down, Tab, C-c, ...), pausing after
// each so the program handles one before the next (huh moves between
// fields through commands).
func (p *pane) keys(names ...string) {
	for _, k := range names {
		p.tmux("send-keys", "-t", "0", k)
		time.Sleep(120 * time.Millisecond)
	}
}

// typeText types text literally.
func (p *pane) typeText(text string) {
	p.tmux("send-keys", "-t", "0", "-l", text)
	time.Sleep(120 * time.Millisecond)
}

// line types text and presses Enter.
func (p *pane) line(text string) {
	p.typeText(text)
	p.keys("Enter")
}

// at waits until the field titled title has the focus (huh draws a bar
// before the focused field): the sync point before typing into it, as huh
// moves between fields through commands.
func (p *pane) at(title string) {
	p.t.Helper()
	p.waitFor(10*time.Second, "┃ "+title)
}

func (p *pane) screen() string { return p.tmux("capture-pane", "-p", "-t", "0") }

// waitFor waits until the screen shows every text, failing with the
// screen after limit.
func (p *pane) waitFor(limit time.Duration, texts ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := p.screen()
		all := true
		for _, text := range texts {
			all = all && strings.Contains(s, text)
		}
		if all {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("screen lacks %q after %s:\n%s", texts, limit, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
