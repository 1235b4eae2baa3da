package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// updating reports whether -update was given: the flag is defined by
// teatest's golden package, which this test binary links.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenSizes are the terminal sizes every screen is checked at.
var goldenSizes = [][2]int{{80, 24}, {120, 40}}

// checkGolden compares the stripped view with testdata/golden/NAME-WxH.txt.
func checkGolden(t *testing.T, name string, d *driver, w, h int) {
	t.Helper()
	for d.settle(50 * time.Millisecond) {
	}
	lines := strings.Split(d.view(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
		if n := len([]rune(lines[i])); n > w {
			t.Errorf("%s: line %d is %d wide at %dx%d", name, i, n, w, h)
		}
	}
	if len(lines) > h {
		t.Errorf("%s: %d lines at %dx%d", name, len(lines), w, h)
	}
	got := strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", "golden", fmt.Sprintf("%s-%dx%d.txt", name, w, h))
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (go test ./tui -update rewrites it):\n--- got\n%s--- want\n%s", name, path, got, want)
	}
}

// fakeChecker answers a small matrix: one allowed and one denied request.
type fakeChecker struct{ failing bool }

func (f fakeChecker) Check(p *plan.Plan) ([]MatrixRow, []Finding, error) {
	role := "arn:aws:iam::" + consumer + ":root"
	return []MatrixRow{
			{WantAllow: true, Principal: role, Action: "s3:GetObject", Resource: "arn:aws:s3:::analytics-exports/reports/k", Decision: "Allowed", Holds: true},
			{WantAllow: false, Principal: role, Action: "s3:PutObject", Resource: "arn:aws:s3:::analytics-exports/reports/k", Decision: "ImplicitlyDenied", Holds: !f.failing, Reason: "no statement allows s3:PutObject"},
		}, []Finding{{Code: "whole-account-grant", Severity: "warning", Message: "the consumer account is granted as a whole"}},
		nil
}

func TestGoldenViews(t *testing.T) {
	for _, size := range goldenSizes {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			t.Parallel()
			d := newDriver(t, Options{}, w, h)
			checkGolden(t, "start", d, w, h)
			d.keys(owner, "enter", consumer, "enter")
			checkGolden(t, "method", d, w, h)
			d.keys("up", "enter")
			checkGolden(t, "method-acl-confirm", d, w, h)
		})
		for _, m := range spec.Methods {
			t.Run(fmt.Sprintf("%s-%dx%d", m, w, h), func(t *testing.T) {
				t.Parallel()
				d := offline(t, Options{Checker: fakeChecker{}, Saver: &memSaver{}, Clipboard: &memClipboard{}}, w, h)
				pickMethod(d, m)
				checkGolden(t, "questions-"+string(m), d, w, h)
				answerAll(d, m)
				checkGolden(t, "preview-"+string(m), d, w, h)
				if m != spec.MethodBucketPolicy {
					return
				}
				d.keys("d")
				checkGolden(t, "preview-diff", d, w, h)
				for _, tab := range []string{"steps", "check", "warnings", "command"} {
					d.keys("tab")
					if tab == "steps" {
						d.keys("tab") // past the consumer's documents
					}
					checkGolden(t, "preview-"+tab, d, w, h)
				}
			})
		}
		t.Run(fmt.Sprintf("apply-%dx%d", w, h), func(t *testing.T) {
			t.Parallel()
			d := connected(t, &fakeApplier{})
			d.send(windowSize(w, h))
			d.keys("a", "y")
			checkGolden(t, "apply-done", d, w, h)
		})
	}
}
