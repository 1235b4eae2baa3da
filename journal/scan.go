package journal

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Interrupted reports whether the run stopped without finishing: its
// journal still says running and its process is gone (or unknown).
func (r *Run) Interrupted() bool {
	if r.Outcome != OutcomeRunning {
		return false
	}
	host, _ := os.Hostname()
	if r.PID == 0 || r.Host != host {
		return r.PID == 0 // another machine's run: it may be running
	}
	return !processAlive(r.PID)
}

// Problem is a file in the journal directory that is not a readable run:
// torn by a crash mid-write, edited, or not s3grant's.
type Problem struct {
	File string `json:"file"`
	Err  string `json:"error"`
}

// Scan returns every readable run, newest first, and the files it skipped.
// Only a directory it cannot read is an error: one bad file never hides
// the others.
func (s Store) Scan() ([]*Run, []Problem, error) {
	names, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	var out []*Run
	var bad []Problem
	for _, n := range names {
		id, ok := strings.CutSuffix(n.Name(), ".json")
		if !ok || !ValidID(id) {
			continue
		}
		r, err := s.Load(id)
		if err == nil && (r.ID != id || r.Outcome == "") {
			err = fmt.Errorf("not an s3grant run journal (run_id %q, outcome %q)", r.ID, r.Outcome)
		}
		if err != nil {
			bad = append(bad, Problem{File: s.Path(id), Err: err.Error()})
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Run) int { return strings.Compare(b.ID, a.ID) })
	return out, bad, nil
}
