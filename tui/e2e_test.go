package tui_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3grant/s3grant/plan"
)

// offlineEnv is the environment without AWS credentials or configuration:
// the wizard finds no profiles and runs an offline dry run.
func offlineEnv(t *testing.T) []string {
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		// CI=... makes termenv drop colour, which would make a run under CI
		// differ from a user's terminal.
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "CI=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+home, "AWS_CONFIG_FILE="+filepath.Join(home, "none"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "none"), "S3GRANT_HOME="+filepath.Join(home, "s3grant"))
}

// The answers both offline tests give, as `s3grant plan` flags.
var dryRunFlags = []string{
	"--method", "iam-role", "--bucket", "analytics-exports", "--region", "eu-west-1",
	"--owner-account", plan.ExOwner, "--consumer-account", plan.ExConsumer,
	"--consumer-principal", plan.ExRole, "--prefix", "reports/", "--prefix", "exports/",
	"--access", "read-write", "--external-id", "partner-7f3c9a",
}

// planFile is what `s3grant plan --out` writes for the same answers.
func planFile(t *testing.T, env []string, dir string) []byte {
	t.Helper()
	out := filepath.Join(dir, "from-plan.json")
	cmd := exec.Command(binary(t), append([]string{"plan", "--out", out}, dryRunFlags...)...)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("s3grant plan: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func samePlanFile(t *testing.T, path string, want []byte) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the wizard did not save the plan: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("plan file mode %v, want 0600", info.Mode().Perm())
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, want) {
		t.Errorf("the wizard's plan file differs from s3grant plan --out for the same answers:\n--- wizard\n%s\n--- plan\n%s", got, want)
	}
}

// TestE2EOfflineDryRun goes through every screen in tmux with typed
// account IDs and saves the plan: the file equals `s3grant plan --out`.
func TestE2EOfflineDryRun(t *testing.T) {
	t.Parallel()
	env, dir := offlineEnv(t), t.TempDir()
	p := startPane(t, env, dir, 100, 32, binary(t))
	p.waitFor(10*time.Second, "Who is involved?", "no AWS profiles were found", "apply is disabled")
	p.at("Owner account ID")
	p.line(plan.ExOwner)
	p.at("Consumer account IDs")
	p.line(plan.ExConsumer)
	p.waitFor(5*time.Second, "How should the consumer get in?", "Recommended: bucket-policy")
	p.keys("Down")
	p.waitFor(5*time.Second, "trust policy")
	p.keys("Enter")
	p.waitFor(5*time.Second, "IAM role to assume", "The bucket")
	p.at("Bucket")
	p.line("analytics-exports")
	p.at("Region")
	p.line("eu-west-1")
	p.at("Access")
	p.keys("Down", "Down", "Enter") // read-write
	p.at("Prefixes")
	p.line("reports/, exports/")
	p.at("Consumer principals")
	p.line(plan.ExRole)
	p.at("Role name")
	p.waitFor(5*time.Second, "s3grant-analytics-exports")
	p.keys("Enter") // the default role name
	p.at("Is the consumer a third party")
	p.keys("Left", "Enter") // yes, an ExternalId
	p.at("ExternalId")
	p.line("partner-7f3c9a")
	p.at("Are the objects encrypted")
	p.keys("Enter") // no KMS key
	p.at("Organization ID")
	p.keys("Enter")
	p.at("Deny plain-HTTP requests?")
	p.keys("Enter")
	p.waitFor(10*time.Second, "Preview", "trust-policy", `"sts:ExternalId": "partner-7f3c9a"`, "Offline dry run: apply is disabled")
	p.keys("d")
	p.waitFor(5*time.Second, "· diff")
	// Each tab in turn: consumer documents, steps, access check, warnings,
	// command line.
	for _, shows := range []string{"identity-policy", "iam:PutRolePolicy", "Every one of the", "role-chaining", "--external-id partner-7f3c9a"} {
		p.keys("Tab")
		p.waitFor(5*time.Second, shows)
		if shows == "Every one of the" {
			p.keys("PageDown", "PageDown")
			p.waitFor(5*time.Second, "Must be denied", "ImplicitlyDenied")
		}
	}
	p.keys("s")
	p.waitFor(5*time.Second, "Save the plan to:")
	p.keys("C-u")
	p.line("wizard-plan.json")
	p.waitFor(5*time.Second, "Saved the plan to wizard-plan.json (mode 0600)")
	p.keys("q")
	p.waitFor(5*time.Second, "EXIT=0")
	samePlanFile(t, filepath.Join(dir, "wizard-plan.json"), planFile(t, env, dir))
}

// TestE2EAccessible answers the plain flow through standard input.
func TestE2EAccessible(t *testing.T) {
	t.Parallel()
	env, dir := offlineEnv(t), t.TempDir()
	answers := strings.Join([]string{
		plan.ExOwner, plan.ExConsumer, // accounts
		"2",                 // method: iam-role
		"Bad_Bucket",        // rejected, asked again
		"analytics-exports", // bucket
		"eu-west-1",         // region
		"3",                 // read-write
		"reports/, exports/",
		plan.ExRole,
		"",    // role name: default
		"yes", // ExternalId
		"partner-7f3c9a",
		"no", // KMS
		"",   // org
		"",   // deny HTTP: yes
		"wizard-plan.json",
	}, "\n") + "\n"
	cmd := exec.Command(binary(t), "--accessible")
	cmd.Env, cmd.Dir, cmd.Stdin = env, dir, strings.NewReader(answers)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("s3grant --accessible: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Offline dry run", "Recommended: bucket-policy", "Error: must be 3-63 characters",
		"Plan: iam-role grant of read-write access", "Access check:", "s3grant plan \\", "Saved the plan to wizard-plan.json",
		"Not applied: this is an offline dry run",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "\x1b[") {
		t.Error("the plain flow printed escape sequences")
	}
	samePlanFile(t, filepath.Join(dir, "wizard-plan.json"), planFile(t, env, dir))
}

// TestE2EAccessibleInputEnds stops cleanly when stdin closes early.
func TestE2EAccessibleInputEnds(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "--accessible")
	cmd.Env, cmd.Dir, cmd.Stdin = offlineEnv(t), t.TempDir(), strings.NewReader(plan.ExOwner+"\n")
	out, err := cmd.CombinedOutput()
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "input ended before the wizard finished") {
		t.Fatalf("want exit 1 and a clear message, got %v:\n%s", err, out)
	}
}

// TestE2ENoColor: with NO_COLOR the wizard draws no colour, with the same
// terminal otherwise full of them.
func TestE2ENoColor(t *testing.T) {
	t.Parallel()
	colour := regexp.MustCompile(`\x1b\[[0-9;]*(38;|48;|3[0-7]m|4[0-7]m|9[0-7]m)`)
	for _, noColor := range []bool{false, true} {
		env := append(offlineEnv(t), "COLORTERM=truecolor")
		if noColor {
			env = append(env, "NO_COLOR=1")
		}
		p := startPane(t, env, t.TempDir(), 100, 30, binary(t))
		p.waitFor(10*time.Second, "Who is involved?")
		screen := p.tmux("capture-pane", "-e", "-p", "-t", "0")
		if got := colour.MatchString(screen); got == noColor {
			t.Errorf("NO_COLOR=%v: colour escapes present = %v:\n%q", noColor, got, screen)
		}
	}
}

// TestE2EAccessibleCtrlC: ctrl+c (SIGINT) while the plain flow waits for an
// answer ends it with exit code 130.
func TestE2EAccessibleCtrlC(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "--accessible")
	cmd.Env, cmd.Dir = offlineEnv(t), t.TempDir()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Owner account ID") {
		if time.Now().After(deadline) {
			t.Fatalf("no first question:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	err = cmd.Wait()
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("want exit 130 after ctrl+c, got %v:\n%s", err, out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestE2EResize: the wizard redraws to a smaller and a larger window.
func TestE2EResize(t *testing.T) {
	t.Parallel()
	p := startPane(t, offlineEnv(t), t.TempDir(), 120, 40, binary(t))
	p.at("Owner account ID")
	p.line(plan.ExOwner)
	p.at("Consumer account IDs")
	p.line(plan.ExConsumer)
	p.waitFor(5*time.Second, "How should the consumer get in?", "Accounts › Method › Questions")
	p.tmux("resize-window", "-t", "0", "-x", "56", "-y", "20")
	// Narrow: the breadcrumb folds to the current page, the help still shows.
	p.waitFor(5*time.Second, "Method (2/5)", "enter choose")
	for _, l := range strings.Split(p.screen(), "\n") {
		if n := len([]rune(strings.TrimRight(l, " "))); n > 56 {
			t.Errorf("line wider than the window (%d): %q", n, l)
		}
	}
	p.tmux("resize-window", "-t", "0", "-x", "130", "-y", "40")
	p.waitFor(5*time.Second, "Accounts › Method › Questions", "Pick it when")
}
