package cmd

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
)

// stopSignals are the signals that stop a run the way ctrl+c does: the AWS
// call in flight finishes, then what the run wrote is rolled back. SIGTERM
// is what timeouts, CI cancellation and container stops send; SIGHUP a
// closed terminal. SIGKILL cannot be caught: the write-ahead journal lets
// s3grant undo finish the job (see s3grant runs). Each maps to the name
// the error message gives it.
var stopSignals = map[os.Signal]string{os.Interrupt: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}

// signalled is a context cancelled by the first stop signal, which it
// remembers for the exit code.
type signalled struct {
	mu  sync.Mutex
	got os.Signal
}

// withStopSignals returns ctx cancelled on SIGINT, SIGTERM or SIGHUP, and a
// function that wraps a run's error with the shell's exit code for the
// signal that stopped it (128 + its number: 130, 143, 129) and its name,
// after the rollback has run. Later signals are absorbed, so a second
// ctrl+c cannot cut a rollback short.
func withStopSignals(parent context.Context) (context.Context, func(error) error, func()) {
	ctx, cancel := context.WithCancel(parent)
	s := &signalled{}
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, slices.Collect(maps.Keys(stopSignals))...)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-ch:
				s.mu.Lock()
				if s.got == nil {
					s.got = sig
				}
				s.mu.Unlock()
				cancel()
			case <-done:
				return
			}
		}
	}()
	wrap := func(err error) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if err == nil || s.got == nil {
			return err
		}
		code := ExitInterrupt
		if n, ok := s.got.(syscall.Signal); ok {
			code = 128 + int(n)
		}
		return &ExitError{Code: code, Err: fmt.Errorf("%w (stopped by %s)", err, stopSignals[s.got])}
	}
	stop := func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
	return ctx, wrap, stop
}
