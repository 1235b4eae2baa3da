package testenv

import "testing"

// TestSandboxPassAdmitsMarkedTestsOnly: in the sandbox pass a test without
// the SandboxToo mark stops before its body, a marked one runs.
func TestSandboxPassAdmitsMarkedTestsOnly(t *testing.T) {
	saved := sandboxPass
	sandboxPass = true
	t.Cleanup(func() { sandboxPass = saved })

	ran := false
	t.Run("unmarked", func(t *testing.T) {
		admitToSandboxPass(t)
		ran = true
	})
	if ran {
		t.Error("an unmarked test ran in the sandbox pass")
	}
	t.Run("marked", func(t *testing.T) {
		t.Setenv(BackendEnv, "sandbox")
		SandboxToo(t)
		admitToSandboxPass(t)
		ran = true
	})
	if !ran {
		t.Error("a marked test did not run in the sandbox pass")
	}
}
