package tui

import (
	"strings"

	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// planCommand is the `s3grant plan` command line that produces the same
// plan as the wizard's answers, flags in the order `plan --help` lists them.
func planCommand(s spec.Spec) []string {
	args := []string{"s3grant", "plan"}
	for _, f := range spec.Fields {
		for _, v := range f.Values(s) {
			if f.Bool {
				args = append(args, "--"+f.Name)
			} else {
				args = append(args, "--"+f.Name+" "+wizard.ShellQuote(v))
			}
		}
	}
	return args
}

// planCommandText joins the command for display and copying, one flag a
// line with shell continuations.
func planCommandText(s spec.Spec) string {
	args := planCommand(s)
	return args[0] + " " + args[1] + " \\\n  " + strings.Join(args[2:], " \\\n  ")
}
