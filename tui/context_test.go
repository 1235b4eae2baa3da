package tui

import (
	"context"
	"errors"
	"testing"
	"time"
)

// waitingConnector blocks until its context ends and reports why.
type waitingConnector struct{ ended chan error }

func (w waitingConnector) Connect(ctx context.Context, _, _ string) (*Session, error) {
	<-ctx.Done()
	w.ended <- ctx.Err()
	return nil, ctx.Err()
}

// TestNewRunsUnderTheCallersContext: cancelling the context given to New
// cancels the work in flight (here a connect that would wait forever).
func TestNewRunsUnderTheCallersContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	conn := waitingConnector{ended: make(chan error, 1)}
	d := newDriver(t, Options{Profiles: fakeProfiles{"default", "owner", "consumer"}, Connector: conn}, 120, 40)
	d.m = New(ctx, d.m.c.opts)
	d.run(d.m.Init(), 0)
	d.send(windowSize(120, 40))
	d.wantView("How do you want to run?", "Connect with profiles")
	d.keys("enter", "down", "enter", "down", "down", "enter")
	cancel()
	select {
	case err := <-conn.ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("connect ended with %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancelling the caller's context did not reach the connect in flight")
	}
}
