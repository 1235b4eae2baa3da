package policy

import (
	"bytes"

	"github.com/aymanbagabas/go-udiff"
)

// Diff returns a unified diff of the canonical forms of before and after
// (either may be nil: a document that does not exist). It is empty when they
// are the same document.
func Diff(name string, before, after *Policy) string {
	return DiffText(name, canonicalOrEmpty(before), canonicalOrEmpty(after))
}

// DiffText returns a unified diff of two texts, empty when they are equal.
func DiffText(name string, before, after []byte) string {
	return DiffLabeled(name+" (current)", name+" (planned)", before, after)
}

// DiffLabeled returns a unified diff of two texts under the given labels,
// empty when they are equal.
func DiffLabeled(beforeName, afterName string, before, after []byte) string {
	if bytes.Equal(before, after) {
		return ""
	}
	return udiff.Unified(beforeName, afterName, string(before), string(after))
}

func canonicalOrEmpty(p *Policy) []byte {
	if p == nil {
		return nil
	}
	return append(p.Canonical(), '\n')
}

// Equal reports whether two documents are the same canonical document.
func Equal(a, b *Policy) bool {
	if a == nil || b == nil {
		return a == b
	}
	return bytes.Equal(a.Minified(), b.Minified())
}
