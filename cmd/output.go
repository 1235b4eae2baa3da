package cmd

import (
	"fmt"

	"github.com/spf13/pflag"
)

// outputFormat is the value of -o/--output.
type outputFormat string

// The output formats every command with -o offers.
const (
	outputText outputFormat = "text"
	outputJSON outputFormat = "json"
)

// String implements pflag.Value.
func (f *outputFormat) String() string { return string(*f) }

// Type implements pflag.Value: the word help shows, as for any string flag.
func (f *outputFormat) Type() string { return "string" }

// Set implements pflag.Value: a value other than text or json is refused
// while parsing, so every command reports it the same way (exit 2).
func (f *outputFormat) Set(v string) error {
	switch outputFormat(v) {
	case outputText, outputJSON:
		*f = outputFormat(v)
		return nil
	}
	return fmt.Errorf("output: must be text or json (e.g. -o json), got %q", v)
}

// addOutputFlag registers -o/--output (default text) into p.
func addOutputFlag(fs *pflag.FlagSet, p *outputFormat) {
	*p = outputText
	fs.VarP(p, "output", "o", "text or json")
}
