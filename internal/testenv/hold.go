package testenv

import (
	"strings"
	"sync"
	"testing"
)

// hold is a call FaultProxy keeps waiting: a process can be signalled, or
// its state read, while the call is known to be in flight.
type hold struct {
	match   string
	reached chan string   // receives the call's description when it arrives
	release chan struct{} // closed to let it go on
}

// HoldOn holds the next call whose description contains call (see
// ArmErrorOn) before it reaches the backend. reached receives the call's
// description when it arrives; the call goes on, unchanged, once release is
// called. The test's cleanup releases it too, so a failing test never
// leaves a client (or the proxy's Close) hanging.
func (p *FaultProxy) HoldOn(t testing.TB, call string) (reached <-chan string, release func()) {
	h := &hold{match: call, reached: make(chan string, 1), release: make(chan struct{})}
	p.mu.Lock()
	p.hold = h
	p.mu.Unlock()
	release = sync.OnceFunc(func() {
		p.mu.Lock()
		if p.hold == h {
			p.hold = nil
		}
		p.mu.Unlock()
		close(h.release)
	})
	t.Cleanup(release)
	return h.reached, release
}

// takeHold returns the pending hold when call matches it, and disarms it.
// The caller holds p.mu.
func (p *FaultProxy) takeHold(call string) *hold {
	h := p.hold
	if h == nil || !strings.Contains(call, h.match) {
		return nil
	}
	p.hold = nil
	return h
}

// wait announces the held call and waits for its release (nil: no hold).
func (h *hold) wait(call string) {
	if h == nil {
		return
	}
	h.reached <- call
	<-h.release
}
