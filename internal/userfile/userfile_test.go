package userfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesWhatIsNotABoundedRegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, 101), 0o600); err != nil {
		t.Fatal(err)
	}
	toFifo := filepath.Join(dir, "link")
	if err := os.Symlink(fifo, toFifo); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, path, rule string }{
		{"fifo", fifo, "named pipe"},
		{"symlink to a fifo", toFifo, "named pipe"},
		{"dev zero", "/dev/zero", "device"},
		{"directory", dir, "directory"},
		{"too big", big, "over the 100-byte limit"},
		{"missing", filepath.Join(dir, "none.json"), "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { _, err := Read("PLAN.json", c.path, "plan.json", 100); done <- err }()
			select {
			case err := <-done:
				var fe *Error
				if !errors.As(err, &fe) || fe.Flag != "PLAN.json" || !strings.Contains(err.Error(), c.rule) || !strings.Contains(err.Error(), "e.g. plan.json") {
					t.Fatalf("Read(%s) = %v, want an *Error naming PLAN.json, %q and the example", c.path, err, c.rule)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Read(%s) blocked", c.path)
			}
		})
	}
}

func TestReadReturnsARegularFileAndWritePrivateIs0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := WritePrivate(path, []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v, want 0600", info.Mode(), err)
	}
	link := path + ".link"
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, link} {
		data, err := Read("spec", p, "grant.yaml", 0)
		if err != nil || string(data) != `{"a":1}` {
			t.Fatalf("Read(%s) = %q, %v", p, data, err)
		}
	}
	exact := filepath.Join(t.TempDir(), "exact")
	if err := os.WriteFile(exact, make([]byte, 100), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := Read("spec", exact, "grant.yaml", 100); err != nil || len(data) != 100 {
		t.Fatalf("a file of exactly the limit: %d bytes, %v", len(data), err)
	}
}
