// Package userfile reads the files a user hands s3grant (plans, specs,
// policies) with bounds, and writes the files s3grant makes for a user with
// mode 0600. A path is user input: it may name a FIFO that blocks forever,
// /dev/zero that never ends, a directory, or a file of any size, so Read
// refuses everything but a regular file under a limit and never reads past it.
package userfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// MaxSize is the largest file s3grant reads: the largest document AWS
// accepts is a 32 KB key policy, and a plan holds a handful of documents
// (merged, generated, existing and a diff each), so a valid input is far
// below it; anything larger is refused before it is read.
const MaxSize = 4 << 20

// MaxSpecSize and MaxPolicySize bound a spec and a policy file: a policy
// AWS accepts is at most 32 KB of minified JSON (a key policy), and a spec
// is a few lines; a megabyte leaves room for any indentation and comments.
const (
	MaxSpecSize   = 1 << 20
	MaxPolicySize = 1 << 20
)

// Error is a refused file: the flag (or argument) that named it, the rule it
// breaks and an example of a valid value.
type Error struct {
	Flag    string
	Path    string
	Rule    string
	Example string
	Err     error // the underlying error, if any
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s %s: %s", e.Flag, e.Path, e.Rule)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Example != "" {
		msg += fmt.Sprintf(" (e.g. %s)", e.Example)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Read returns the content of the regular file at path, at most limit bytes
// (MaxSize when limit <= 0). flag and example name the input in errors. A
// symlink is followed, and what it points to must be a regular file too.
func Read(flag, path, example string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = MaxSize
	}
	refuse := func(rule string, err error) error {
		return &Error{Flag: flag, Path: path, Rule: rule, Example: example, Err: err}
	}
	// Stat before opening: opening a FIFO for reading blocks until a writer
	// comes, so its type is checked first.
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, refuse("does not exist", nil)
		}
		return nil, refuse("cannot be read", err)
	}
	if err := regular(info, limit); err != "" {
		return nil, refuse(err, nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, refuse("cannot be read", err)
	}
	defer f.Close()
	// The path may have been swapped between Stat and Open: check what was
	// opened, and read no more than the limit whatever it turns out to be.
	if now, err := f.Stat(); err != nil || !os.SameFile(info, now) {
		return nil, refuse("changed while it was being opened", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, refuse("cannot be read", err)
	}
	if int64(len(data)) > limit {
		return nil, refuse(fmt.Sprintf("is over the %d-byte limit for an input file", limit), nil)
	}
	return data, nil
}

// regular returns the rule a file breaks, or "".
func regular(info fs.FileInfo, limit int64) string {
	switch m := info.Mode(); {
	case m.IsDir():
		return "is a directory, not a file"
	case m&fs.ModeNamedPipe != 0:
		return "is a named pipe (FIFO), not a regular file: " +
			"s3grant reads only regular files, which cannot block or never end"
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "is a device, not a regular file: s3grant reads only regular files, which cannot block or never end"
	case !m.IsRegular():
		return "is not a regular file (" + m.Type().String() + ")"
	case info.Size() > limit:
		return fmt.Sprintf("is %d bytes, over the %d-byte limit for an input file", info.Size(), limit)
	}
	return ""
}

// WritePrivate writes a file readable only by its owner (it holds policies),
// replacing it atomically: a reader sees the old file or the new one, never
// half of it.
func WritePrivate(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".s3grant-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
