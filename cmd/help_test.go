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

func TestGenDocs(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "gen-docs", "--dir", dir); code != 0 {
		t.Fatalf("gen-docs: exit %d: %s", code, stderr)
	}
	for _, page := range []string{"s3grant.1", "s3grant-plan.1", "s3grant-export.1", "s3grant-version.1"} {
		data, err := os.ReadFile(filepath.Join(dir, "man", page))
		if err != nil {
			t.Fatalf("man page %s: %v", page, err)
		}
		if !strings.Contains(string(data), ".SH EXAMPLE") || !strings.Contains(string(data), ".TH \"S3GRANT\"") {
			t.Errorf("man page %s lacks its header or examples:\n%s", page, data)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "man", "s3grant-gen-docs.1")); err == nil {
		t.Error("the hidden gen-docs command has a man page")
	}
	for name, want := range map[string]string{"s3grant.bash": "__start_s3grant", "s3grant.zsh": "#compdef s3grant",
		"s3grant.fish": "complete -c s3grant", "s3grant.ps1": "Register-ArgumentCompleter"} {
		data, err := os.ReadFile(filepath.Join(dir, "completions", name))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("completion %s: %v, lacks %q", name, err, want)
		}
	}
	if code, _, _ := runCLI(t, "gen-docs"); code != ExitBadInput {
		t.Errorf("gen-docs without --dir: exit %d, want %d", code, ExitBadInput)
	}
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
