package tui

import (
	"testing"

	"github.com/s3grant/s3grant/spec"
)

// TestNoColorCues: without colour (the driver's renderer has none) every
// state has a mark: the page, the tab, the chosen button, a select's
// answer once the focus moved on, and examples read "e.g.".
func TestNoColorCues(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 120, 40)
	d.wantView("[Method]")
	pickMethod(d, spec.MethodBucketPolicy)
	d.wantView("[Questions]", "e.g. analytics-exports")
	d.keys("analytics-exports", "enter", "eu-west-1", "enter", "enter")
	d.wantView("✓ read: list and get objects")
	d.keys("reports/", "enter", "enter")
	d.wantView("Are the objects encrypted", "[ ] Yes", "[x] No")
	d.keys("enter", "enter", "enter")
	d.wantView("[Preview]", "[bucket-policy")
}

// TestBannerAtNarrowWidths: the sandbox banner stays, shortened, and the
// connected header names the accounts the profiles resolved to.
func TestBannerAtNarrowWidths(t *testing.T) {
	t.Parallel()
	opts := Options{Banner: "SANDBOX · nothing real is touched"}
	d := connectedWith(t, &fakeApplier{}, opts)
	d.wantView("SANDBOX · owner (111122223333) → consumer (222233334444)")
	for _, w := range []int{90, 70, 52} {
		d.send(windowSize(w, 24))
		d.wantView("SANDBOX")
	}
}

// TestWindowTooSmall says so instead of clipping buttons.
func TestWindowTooSmall(t *testing.T) {
	t.Parallel()
	d := offline(t, Options{}, 120, 40)
	d.send(windowSize(40, 12))
	d.wantView("Window too small (40x12)")
	d.send(windowSize(80, 24))
	d.notView("Window too small")
	d.wantView("How should the consumer get in?")
}
