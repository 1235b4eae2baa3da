package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestScriptsLint checks every example's script with bash -n and
// shellcheck (scripts/setup.sh installs it): no warning is accepted.
func TestScriptsLint(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Fatal("shellcheck is needed to lint the exported scripts (scripts/setup.sh installs it)")
	}
	dir := t.TempDir()
	var paths []string
	for name, p := range examplePlans(t) {
		path := filepath.Join(dir, strings.NewReplacer("/", "_", "+", "_").Replace(name)+".sh")
		if err := os.WriteFile(path, fileData(t, exportOK(t, p, FormatCLI), ScriptName), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("bash", "-n", path).CombinedOutput(); err != nil {
			t.Errorf("%s: bash -n: %v\n%s", name, err, out)
		}
		paths = append(paths, path)
	}
	if out, err := exec.Command(sc, append([]string{"--shell=bash", "--severity=style"}, paths...)...).CombinedOutput(); err != nil {
		t.Fatalf("shellcheck: %v\n%s", err, out)
	}
}

// TestScriptShape: the header says what the documents reflect, every step
// has its comment, and each step's write comes after the steps it needs.
func TestScriptShape(t *testing.T) {
	plans := examplePlans(t)
	for _, name := range []string{"iam-role/org-kms-no-tls", "iam-role/org-kms-no-tls+state", "access-point/cross-account"} {
		p := plans[name]
		script := string(fileData(t, exportOK(t, p, FormatCLI), ScriptName))
		if !strings.Contains(script, "set -euo pipefail") {
			t.Errorf("%s: no set -euo pipefail", name)
		}
		want := "WITHOUT reading the accounts"
		if p.StateKnown {
			want = "as they were when the plan was made"
		}
		if !strings.Contains(script, want) {
			t.Errorf("%s: the header does not say %q", name, want)
		}
		last := -1
		for _, st := range p.Steps {
			i := strings.Index(script, "# Step "+strconv.Itoa(st.ID)+" (")
			if i < 0 || i < last {
				t.Fatalf("%s: step %d comment missing or out of order", name, st.ID)
			}
			last = i
		}
	}
	// The role exists before the key policy that names it is written.
	script := string(fileData(t, exportOK(t, plans["iam-role/org-kms-no-tls"], FormatCLI), ScriptName))
	if strings.Index(script, "iam create-role") > strings.Index(script, "kms put-key-policy") {
		t.Error("the key policy is written before the role it names is created")
	}
	cross := string(fileData(t, exportOK(t, plans["access-point/cross-account"], FormatCLI), ScriptName))
	if !strings.Contains(cross, "--bucket-account-id 111122223333") || !strings.Contains(cross, `--profile "$CONSUMER_222233334444_PROFILE" s3control create-access-point`) {
		t.Errorf("the cross-account access point is not created by the consumer on the owner's bucket:\n%s", cross)
	}
}
