// Package textout writes plain-text reports: the plan, the access check and
// the audit all print through one Writer that keeps the first error.
package textout

import (
	"fmt"
	"io"
	"strings"
)

// Writer prints formatted lines and remembers the first write error, so a
// report can be written without checking every call.
type Writer struct {
	w   io.Writer
	err error
}

// New returns a Writer on w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Printf writes unless an earlier write failed.
func (t *Writer) Printf(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, a...)
	}
}

// Err is the first write error, or nil.
func (t *Writer) Err() error { return t.err }

// Indent puts pad before every line of s.
func Indent(s, pad string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l == "" {
			continue
		}
		b.WriteString(pad + l)
	}
	return b.String()
}
