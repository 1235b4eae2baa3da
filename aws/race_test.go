package aws_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

// racePair is two grants on one bucket: both merge into its bucket policy.
var racePair = [2]string{"bucket-policy/read", "bucket-policy/several-consumers"}

// raceOnce prepares both grants from the same state, applies them at once
// and returns, for each run that reported success, whether its grant is
// still fully in place (a re-prepare finds nothing to write).
func raceOnce(t *testing.T, w *world, stores [2]journal.Store) (succeeded, lost int) {
	t.Helper()
	ctx := context.Background()
	var preps [2]*aws.Prepared
	for i, name := range racePair {
		preps[i] = must(aws.Prepare(ctx, offlinePlan(t, w.example(t, name)), w.accts, aws.PrepareOptions{}))(t)
	}
	var wg sync.WaitGroup
	var results [2]*aws.Result
	var errs [2]error
	for i := range preps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := fastApply(w)
			opts.Store = stores[i]
			results[i], errs[i] = aws.Apply(ctx, preps[i], w.accts, opts)
		}()
	}
	wg.Wait()
	for i, name := range racePair {
		if errs[i] != nil || results[i].Outcome != journal.OutcomeApplied {
			t.Logf("%s did not report success (allowed, not a loss): %v", name, errs[i])
			continue
		}
		succeeded++
		again := must(aws.Prepare(ctx, offlinePlan(t, w.example(t, name)), w.accts, aws.PrepareOptions{}))(t)
		if again.Changes() > 0 {
			lost++
			t.Errorf("%s reported success but %d of its writes are gone", name, again.Changes())
		}
	}
	return succeeded, lost
}

// TestConcurrentAppliesLoseNothing: 20 pairs of applies on one bucket, with
// separate journal directories (no shared lock: as from two machines), then
// 20 with one directory (the lock serializes them). No grant that reported
// success may lose a statement.
func TestConcurrentAppliesLoseNothing(t *testing.T) {
	testenv.SandboxToo(t)
	env := testenv.Start(t)
	const pairs = 20
	for _, shared := range []bool{false, true} {
		name := "separate-journals"
		if shared {
			name = "one-journal-locked"
		}
		t.Run(name, func(t *testing.T) {
			ok, lost := 0, 0
			for range pairs {
				w := newWorld(t, env, "", 0)
				stores := [2]journal.Store{w.store, {Dir: filepath.Join(t.TempDir(), "runs")}}
				if shared {
					stores[1] = w.store
				}
				s, l := raceOnce(t, w, stores)
				ok, lost = ok+s, lost+l
			}
			t.Logf("%s: %d pairs, %d runs reported success, %d grants lost", name, pairs, ok, lost)
			if ok < pairs {
				t.Errorf("only %d of %d runs succeeded: merging with a concurrent writer should let both finish", ok, 2*pairs)
			}
		})
	}
}
