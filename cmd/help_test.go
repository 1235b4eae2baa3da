package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func walk(c *cobra.Command, visit func(*cobra.Command)) {
	visit(c)
	for _, sub := range c.Commands() {
		walk(sub, visit)
	}
}

// TestEveryCommandHasExample fails when a command, cobra's help and
// completion commands included, has no Example for its --help.
func TestEveryCommandHasExample(t *testing.T) {
	root := NewRootCmd(&App{Build: BuildInfo{}.resolved()})
	n := 0
	walk(root, func(c *cobra.Command) {
		n++
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%q has no Example: add one so its --help shows how to use it", c.CommandPath())
		}
		if c.Short == "" {
			t.Errorf("%q has no Short description", c.CommandPath())
		}
	})
	if n < 8 {
		t.Fatalf("walked only %d commands: the tree is not what this test expects", n)
	}
}

// TestHelpShowsExamples reads each command's --help as a user would.
func TestHelpShowsExamples(t *testing.T) {
	root := NewRootCmd(&App{Build: BuildInfo{}.resolved()})
	walk(root, func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		args := append(strings.Fields(c.CommandPath())[1:], "--help")
		code, out, stderr := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "Examples:") {
			t.Errorf("s3grant %s: exit %d, no Examples section:\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
	})
}

// TestVersionFromLdflags builds the binary the way .goreleaser.yaml does and
// checks that `s3grant version` prints what the linker stamped.
func TestVersionFromLdflags(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "s3grant")
	_, here, _, _ := runtime.Caller(0)
	ldflags := "-s -w -X main.version=v9.8.7 -X main.commit=0123abc -X main.date=2026-01-02T03:04:05Z"
	build := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", bin, ".")
	build.Dir = filepath.Dir(filepath.Dir(here))
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("s3grant version: %v\n%s", err, out)
	}
	want := "s3grant v9.8.7\ncommit: 0123abc\nbuilt:  2026-01-02T03:04:05Z\n"
	if string(out) != want {
		t.Errorf("s3grant version printed\n%s\nwant\n%s", out, want)
	}
}
