package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestOutputFlagIsShared: every -o flag is the one helper's, so each
// command refuses a bad format the same way.
func TestOutputFlagIsShared(t *testing.T) {
	root := NewRootCmd(&App{Build: BuildInfo{}.resolved()})
	n := 0
	walk(root, func(c *cobra.Command) {
		f := c.Flags().Lookup("output")
		if f == nil {
			return
		}
		n++
		if _, ok := f.Value.(*outputFormat); !ok || f.Shorthand != "o" || f.DefValue != "text" {
			t.Errorf("%s: --output is not addOutputFlag's (%T, -%s, default %q)", c.CommandPath(), f.Value, f.Shorthand, f.DefValue)
		}
	})
	if n < 8 {
		t.Errorf("%d commands have -o, want at least 8", n)
	}
}

// TestOutputFlagRefusesBadFormat: exit 2 naming the flag, the rule and an
// example, before the command does anything.
func TestOutputFlagRefusesBadFormat(t *testing.T) {
	for _, args := range [][]string{{"runs"}, {"undo", "20260102T150405Z-1a2b3c4d"}, {"verify", "missing.json"}, {"apply", "missing.json"}} {
		code, _, errOut := runCLI(t, append(args, "-o", "yaml")...)
		if code != ExitBadInput || !strings.Contains(errOut, `output: must be text or json (e.g. -o json), got "yaml"`) {
			t.Errorf("%v -o yaml: exit %d, %s", args, code, errOut)
		}
	}
}
