package cmd

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWizardExplainsGrantsFilesAndPlans: the wizard, given a grants file,
// a grants plan or a single plan as --spec, refuses it (exit 2, nothing
// asked) naming the commands that take it, instead of "unknown field".
func TestWizardExplainsGrantsFilesAndPlans(t *testing.T) {
	dir := t.TempDir()
	setPlan := filepath.Join(dir, "grants-plan.json")
	if code, out, errOut := runCLI(t, "plan", "--spec", grants30, "--out", setPlan); code != 0 {
		t.Fatalf("plan: %d\n%s\n%s", code, out, errOut)
	}
	onePlan := filepath.Join(dir, "plan.json")
	if code, out, errOut := runCLI(t, "plan", "--method", "bucket-policy", "--bucket", "analytics-exports",
		"--owner-account", "111122223333", "--consumer-account", "222233334444", "--out", onePlan); code != 0 {
		t.Fatalf("plan: %d\n%s\n%s", code, out, errOut)
	}
	for _, c := range []struct {
		file string
		want []string
	}{
		{grants30, []string{
			"is a grants file", "s3grant plan --spec " + grants30, "s3grant apply plan.json",
			"s3grant status --spec " + grants30,
		}},
		{setPlan, []string{
			"is a grants plan", "s3grant apply " + setPlan, "s3grant verify " + setPlan,
			"s3grant status --spec",
		}},
		{onePlan, []string{"is a plan file", "s3grant apply " + onePlan}},
	} {
		code, out, errOut := runWithInput(t, "\n\n\n", "--accessible", "--spec", c.file)
		if code != ExitBadInput {
			t.Errorf("wizard --spec %s: exit %d, want %d\n%s\n%s", c.file, code, ExitBadInput, out, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("wizard --spec %s does not say %q:\n%s", c.file, w, errOut)
			}
		}
		if strings.Contains(errOut, "unknown field") || out != "" {
			t.Errorf("wizard --spec %s started or said unknown field:\n%s\n%s", c.file, out, errOut)
		}
	}
}
