package aws

import "time"

// EventType says what happened during an apply, rollback or undo.
type EventType string

// Event types, in the order a run emits them.
const (
	EventStepStarted  EventType = "step-started"
	EventWaiting      EventType = "waiting" // a retry is scheduled: Message says why, Wait how long
	EventStepDone     EventType = "step-done"
	EventStepFailed   EventType = "step-failed"
	EventRollingBack  EventType = "rolling-back"
	EventStepRestored EventType = "step-restored"
	EventFinished     EventType = "finished"
)

// Event is one progress report: the TUI and the text output both follow them.
type Event struct {
	Type      EventType
	RunID     string
	Step      int
	AccountID string
	Desc      string
	Message   string
	Wait      time.Duration
	Attempt   int
	Err       error
}
