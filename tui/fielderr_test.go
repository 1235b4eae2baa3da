package tui

import (
	"strings"
	"testing"

	"github.com/s3grant/s3grant/spec"
)

// TestFieldErrorNextToField: enter on an empty Bucket (its placeholder is an
// example, marked "e.g.") fails, and the error is drawn within a few rows
// of the field, not at the bottom of a window-tall form.
func TestFieldErrorNextToField(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 100, 40)
	pickMethod(d, spec.MethodIAMRole)
	d.wantView("e.g. analytics-exports")
	d.keys("enter")
	d.wantView("Bucket: is required (e.g. analytics-exports)")
	lines := strings.Split(d.view(), "\n")
	field, errAt := -1, -1
	for i, l := range lines {
		if field < 0 && strings.Contains(l, "Bucket") && !strings.Contains(l, "The bucket") {
			field = i
		}
		if strings.Contains(l, "is required") {
			errAt = i
		}
	}
	if field < 0 || errAt-field > 10 {
		t.Fatalf("the error is %d rows below the field:\n%s", errAt-field, d.view())
	}
}
