package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every file s3grant reads is a regular file under a size limit, else exit 2
// naming the flag (issue 12 item 7): before the fix, check /dev/zero grew
// until killed, a FIFO blocked forever, a 32 MB plan took 680 MB, 500k
// prefixes took minutes and exited 1, and documents: null was a check
// failure.
func TestInputFilesAreBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"format_version":1,"grant_id":"`+strings.Repeat("A", 32<<20)+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	good := savedPlan(t)
	nullDocs := filepath.Join(dir, "null-docs.json")
	editPlanFile(t, good, nullDocs, func(m map[string]any) { m["documents"] = nil })
	hugeSpec := filepath.Join(dir, "huge.yaml")
	manySpec := filepath.Join(dir, "many.yaml")
	writeSpecWithPrefixes(t, hugeSpec, 500_000)
	writeSpecWithPrefixes(t, manySpec, 1001)
	policyArgs := []string{
		"explain", "--principal", "arn:aws:iam::222233334444:role/analytics", "--action", "s3:GetObject",
		"--resource", "arn:aws:s3:::analytics-exports/reports/q1.csv", "--resource-account", "111122223333",
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"check /dev/zero", []string{"check", "/dev/zero"}, []string{"PLAN.json /dev/zero", "is a device"}},
		{"check a FIFO", []string{"check", fifo}, []string{"PLAN.json", "named pipe"}},
		{"check a directory", []string{"check", dir}, []string{"PLAN.json", "is a directory"}},
		{"check a 32 MB plan", []string{"check", big}, []string{"PLAN.json", "over the 4194304-byte limit"}},
		{"check documents: null", []string{"check", nullDocs}, []string{"documents: is missing or null", "e.g. s3grant plan"}},
		{"apply a FIFO", []string{"apply", fifo, "--yes"}, []string{"PLAN.json", "named pipe"}},
		{"export /dev/zero", []string{"export", "/dev/zero", "--format", "terraform"}, []string{"PLAN.json", "is a device"}},
		{"verify a 32 MB plan", []string{"verify", big}, []string{"PLAN.json", "over the"}},
		{"a spec of 500k prefixes", []string{"plan", "--spec", hugeSpec}, []string{"spec " + hugeSpec, "over the 1048576-byte limit"}},
		{"a spec of 1001 prefixes", []string{"plan", "--spec", manySpec}, []string{"prefix: 1001 given, at most 1000"}},
		{"a spec FIFO", []string{"plan", "--spec", fifo}, []string{"spec", "named pipe"}},
		{"an existing bucket policy on /dev/zero", with(validArgs, "--existing-bucket-policy", "/dev/zero"), []string{"existing-bucket-policy /dev/zero", "is a device"}},
		{"explain --resource-policy FIFO", with(policyArgs, "--resource-policy", fifo), []string{"resource-policy", "named pipe"}},
		{"explain --identity-policy /dev/zero", with(policyArgs, "--identity-policy", "/dev/zero"), []string{"identity-policy /dev/zero", "is a device"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			type result struct {
				code   int
				errOut string
			}
			done := make(chan result, 1)
			go func() { code, _, errOut := runCLI(t, c.args...); done <- result{code, errOut} }()
			var r result
			select {
			case r = <-done:
			case <-time.After(time.Minute): // a FIFO or /dev/zero read never returns: fail instead of hanging the suite
				t.Fatalf("%s did not return", c.name)
			}
			if r.code != ExitBadInput {
				t.Fatalf("%s: exit %d, want %d\n%s", c.name, r.code, ExitBadInput, r.errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(r.errOut, w) {
					t.Fatalf("%s: the error does not say %q:\n%s", c.name, w, r.errOut)
				}
			}
		})
	}
}

func writeSpecWithPrefixes(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("method: bucket-policy\nbucket: analytics-exports\nowner-account: \"111122223333\"\nconsumer-account: [\"222233334444\"]\nprefix:\n")
	for i := range n {
		fmt.Fprintf(&b, "- p%d/\n", i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
