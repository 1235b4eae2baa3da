package testenv

import (
	"os"
	"strings"
	"sync"
	"testing"
)

// sandboxPass is true in scripts/test.sh's second pass, which runs the tests
// marked SandboxToo again, on the sandbox. It is read once, at start-up,
// before any test can t.Setenv BackendEnv.
var sandboxPass = os.Getenv(BackendEnv) == "sandbox"

var (
	markMu sync.Mutex
	marked = map[string]bool{} // top-level test marked SandboxToo -> it started the sandbox
)

// SandboxToo declares that the calling test runs on both backends: moto in
// the ordinary pass and the sandbox in the second pass of scripts/test.sh
// (S3GRANT_TEST_BACKEND=sandbox), which picks its packages and tests by this
// marker instead of a list of names, so a renamed test keeps its second run.
// Call it before Start. In the sandbox pass a marked test that skips, pins
// the backend to moto, or never starts the harness fails instead of passing
// silently; tests without the marker are skipped there (the moto pass ran
// them), with a message saying how to mark them.
func SandboxToo(t testing.TB) {
	t.Helper()
	name := topLevel(t)
	markMu.Lock()
	marked[name] = false
	markMu.Unlock()
	if !sandboxPass {
		return
	}
	t.Cleanup(func() {
		markMu.Lock()
		started := marked[name]
		markMu.Unlock()
		switch {
		case t.Skipped():
			t.Errorf("testenv: %s is marked SandboxToo but skipped on the sandbox", name)
		case !started && !t.Failed():
			t.Errorf("testenv: %s is marked SandboxToo but never called testenv.Start", name)
		}
	})
}

// admitToSandboxPass lets Start run a test in the sandbox pass only when the
// test is marked SandboxToo; outside that pass every test runs.
func admitToSandboxPass(t testing.TB) {
	t.Helper()
	if !sandboxPass {
		return
	}
	name := topLevel(t)
	markMu.Lock()
	_, ok := marked[name]
	if ok {
		marked[name] = true
	}
	markMu.Unlock()
	if !ok {
		t.Skipf("testenv: moto only, run by the moto pass; "+
			"call testenv.SandboxToo(t) first to run %s on the sandbox too", name)
	}
	if !UsesSandbox() {
		t.Fatalf("testenv: %s is marked SandboxToo but sets %s to %q", name, BackendEnv, os.Getenv(BackendEnv))
	}
}

// topLevel names the top-level test of t, so a subtest shares its parent's mark.
func topLevel(t testing.TB) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return name
}
