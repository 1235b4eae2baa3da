package journal

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestStoreRoundTripAndPermissions(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "runs")}
	older := &Run{
		ID: NewID(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), Outcome: OutcomeApplied,
		Entries: []Entry{{Step: 1, Ref: Ref{Type: BucketPolicy, AccountID: "111122223333", Bucket: "b"}, Status: StatusDone, BeforeExists: false, After: `{"Version":"2012-10-17","Statement":[]}`}},
	}
	newer := &Run{ID: NewID(time.Date(2026, 2, 2, 3, 4, 5, 0, time.UTC)), Outcome: OutcomeRolledBack}
	for _, r := range []*Run{older, newer} {
		if err := s.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	dir, _ := os.Stat(s.Dir)
	file, _ := os.Stat(s.Path(older.ID))
	if dir.Mode().Perm() != 0o700 || file.Mode().Perm() != 0o600 {
		t.Fatalf("modes: dir %v file %v", dir.Mode(), file.Mode())
	}
	back, err := s.Load(older.ID)
	if err != nil || back.Entries[0].After != older.Entries[0].After || back.Entries[0].Ref != older.Entries[0].Ref {
		t.Fatalf("load: %v %+v", err, back)
	}
	runs, err := s.List()
	if err != nil || len(runs) != 2 || runs[0].ID != newer.ID {
		t.Fatalf("list newest first: %v %+v", err, runs)
	}
}

func TestLoadRejectsBadIDs(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	for _, id := range []string{"../../etc/passwd", "", "20260102T150405Z-zzzzzzzz", "20260102T150405Z-1a2b3c4d/.."} {
		if _, err := s.Load(id); err == nil {
			t.Errorf("Load(%q) accepted", id)
		}
	}
	if _, err := s.Load("20260102T150405Z-1a2b3c4d"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing run: %v", err)
	}
	if runs, err := (Store{Dir: filepath.Join(t.TempDir(), "none")}).List(); err != nil || len(runs) != 0 {
		t.Errorf("empty store: %v %v", runs, err)
	}
}

func TestDefaultStoreHonoursHome(t *testing.T) {
	t.Setenv(HomeEnv, "/tmp/s3grant-home")
	s, err := DefaultStore()
	if err != nil || s.Dir != "/tmp/s3grant-home/runs" {
		t.Fatalf("%v %v", s, err)
	}
}

// TestStatusWrites: which statuses may have left a change in AWS (undo
// restores them) and which sent a write at all (s3grant runs counts them).
func TestStatusWrites(t *testing.T) {
	cases := []struct {
		s                         Status
		mayHaveChanged, writeSent bool
	}{
		{StatusPlanned, false, false},
		{StatusUnchanged, false, false},
		{StatusSkipped, false, false},
		{StatusStarted, true, true},
		{StatusDone, true, true},
		{StatusFailed, true, true},
		{StatusRolledBack, false, true},
		{StatusUndone, false, true},
	}
	for _, c := range cases {
		if got := c.s.MayHaveChanged(); got != c.mayHaveChanged {
			t.Errorf("%s.MayHaveChanged() = %v, want %v", c.s, got, c.mayHaveChanged)
		}
		if got := (Entry{Status: c.s}).Changed(); got != c.mayHaveChanged {
			t.Errorf("Entry{%s}.Changed() = %v, want %v", c.s, got, c.mayHaveChanged)
		}
		if got := c.s.WriteSent(); got != c.writeSent {
			t.Errorf("%s.WriteSent() = %v, want %v", c.s, got, c.writeSent)
		}
	}
}

// TestSaveReportsAFailedRename: when the run's file cannot be replaced (here
// a directory stands in its place), Save says so instead of returning nil.
func TestSaveReportsAFailedRename(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "runs")}
	r := &Run{ID: NewID(time.Date(2026, 3, 2, 3, 4, 5, 0, time.UTC)), Outcome: OutcomeApplied}
	if err := os.MkdirAll(filepath.Join(s.Path(r.ID), "blocker"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(r); err == nil {
		t.Fatal("Save returned nil, but the run's file is a directory and was not written")
	}
}
