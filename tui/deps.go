package tui

import (
	"context"
	"time"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// The wizard adds no logic of its own to policies: everything it shows comes
// from the same core as the commands, through the small interfaces below.
// Each is declared here, where it is consumed; cmd/ wires the real
// implementations. A nil dependency turns its feature off and the screen
// that needs it says so.

// ProfileLister lists the AWS profiles of the user's configuration.
type ProfileLister interface {
	Profiles() ([]string, error)
}

// Connector opens both accounts from their profiles.
type Connector interface {
	// Connect checks who each profile is (sts:GetCallerIdentity) and returns
	// the connection. It makes no change.
	Connect(ctx context.Context, ownerProfile, consumerProfile string) (*Session, error)
}

// Session is a connection to the owner and consumer accounts. Any of its
// parts may be nil when the build does not provide it.
type Session struct {
	OwnerAccount    string
	ConsumerAccount string
	// ConsumerARN is who the consumer profile's credentials are
	// (sts:GetCallerIdentity): verification probes as them.
	ConsumerARN string
	Suggest     Suggester
	State       StateReader
	Apply       Applier
	Verify      Verifier
	Undo        Undoer
}

// Undoer restores what an apply run wrote, as `s3grant undo` does.
type Undoer interface {
	Undo(ctx context.Context, runID string) (ApplyResult, error)
}

// Suggestions are names that exist in the accounts, offered while typing.
type Suggestions struct {
	Buckets      []string // owner's buckets
	Roles        []string // consumer role ARNs
	AccessPoints []string // owner's access point names
}

// Suggester reads from the accounts what the wizard offers: names while
// typing, and the defaults of the questions connected mode can answer.
// The defaults never fail: a read that did not work says why instead.
type Suggester interface {
	Suggest(ctx context.Context) (Suggestions, error)
	// Bucket reads the owner's bucket: its region and, when SSE-KMS with a
	// customer managed key, that key's ARN.
	Bucket(ctx context.Context, bucket string) (region, key wizard.Finding)
	// CanonicalID reads the consumer account's canonical user ID.
	CanonicalID(ctx context.Context) wizard.Finding
}

// StateReader reads what exists now for the documents a spec touches.
type StateReader interface {
	ReadState(ctx context.Context, s spec.Spec) (*plan.State, error)
}

// StepStatus is where one apply step is.
type StepStatus string

// Step statuses reported by an Applier.
const (
	StepRunning    StepStatus = "running"
	StepWaiting    StepStatus = "waiting" // retrying, e.g. for IAM propagation; Message says why
	StepDone       StepStatus = "done"
	StepUnchanged  StepStatus = "unchanged"
	StepFailed     StepStatus = "failed"
	StepRolledBack StepStatus = "rolled-back"
	StepSkipped    StepStatus = "skipped"
)

// ApplyEvent is a progress report from an apply.
type ApplyEvent struct {
	StepID  int // the plan step's ID
	Status  StepStatus
	Message string
	Elapsed time.Duration
}

// ApplyResult is how an apply ended.
type ApplyResult struct {
	RunID      string
	Changed    []string // what was written and is still in place
	Unchanged  []string // what was left as it was (not reached, rolled back, or already right)
	RolledBack bool
	Message    string // the engine's own account of the run
	// AccessPointAlias is the alias AWS gave the access point, if one was
	// created: consumers can use it where a bucket name goes.
	AccessPointAlias string
}

// Applier runs a plan against both accounts. Cancelling ctx must finish the
// call in flight, roll back what was written and return.
type Applier interface {
	Apply(ctx context.Context, p *plan.Plan, c ApplyChoices, progress func(ApplyEvent)) (ApplyResult, error)
}

// ApplyChoices are what the user agreed to for this apply beyond the plan.
type ApplyChoices struct {
	// AllowACLDowngrade: the user typed the consent to turn ACLs back on
	// (Object Ownership BucketOwnerEnforced -> BucketOwnerPreferred).
	AllowACLDowngrade bool
}

// Probe is one live check from the consumer side.
type Probe struct {
	Name       string
	WantAllow  bool
	OK         bool // the result was what was wanted
	Detail     string
	NextStep   string
	Classified string // identity, bucket, kms, bpa, ownership, propagation
	// Skipped: the probe was not sent; NextStep says why.
	Skipped bool
}

// Verifier probes access from the consumer side after an apply.
type Verifier interface {
	Verify(ctx context.Context, p *plan.Plan) ([]Probe, error)
}

// MatrixRow is one request of the access matrix and its evaluation.
type MatrixRow struct {
	WantAllow bool
	Why       string // what the request proves, e.g. "another prefix"
	Principal string
	Action    string
	Resource  string
	Decision  string // Allowed, ExplicitlyDenied, ImplicitlyDenied
	Holds     bool   // the decision is what was wanted
	Reason    string
}

// Finding is a lint finding about a plan's documents.
type Finding struct {
	Code     string
	Severity string
	Message  string
}

// Checker proves what a plan allows and denies (the matrix of s3grant check)
// and lints its documents.
type Checker interface {
	Check(p *plan.Plan) ([]MatrixRow, []Finding, error)
}

// PlanSaver writes a plan file exactly as `s3grant plan --out` does.
type PlanSaver interface {
	SavePlan(path string, p *plan.Plan) error
}

// Clipboard copies text for the user and says where it went.
type Clipboard interface {
	Copy(text string) (Copied, error)
}
