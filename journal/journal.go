// Package journal records what an apply run changed, so it can be rolled
// back or undone: for every write, the document as it was (or that it did
// not exist) before, and what was written. One JSON file per run, mode 0600,
// in a 0700 directory. It holds documents and names, never credentials, and
// imports no AWS SDK.
package journal

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// Ref says which AWS thing an entry changed, in enough detail to read, write
// and delete it again without the plan.
type Ref struct {
	Type          RefType `json:"type"`
	AccountID     string  `json:"account_id"`
	Region        string  `json:"region,omitempty"`
	Bucket        string  `json:"bucket,omitempty"`
	Resource      string  `json:"resource"`              // role, user or access point name; policy, key or bucket ARN
	PolicyName    string  `json:"policy_name,omitempty"` // inline policy name
	BucketAccount string  `json:"bucket_account,omitempty"`
}

// RefType is the kind of thing a Ref names.
type RefType string

// The things s3grant writes.
const (
	BucketPolicy      RefType = "bucket-policy"
	BucketACL         RefType = "bucket-acl"
	ObjectOwnership   RefType = "object-ownership"
	Role              RefType = "role" // its document is the trust policy
	RolePolicy        RefType = "role-policy"
	UserPolicy        RefType = "user-policy"
	ManagedPolicy     RefType = "managed-policy"
	AccessPoint       RefType = "access-point" // no document: it exists or not
	AccessPointPolicy RefType = "access-point-policy"
	KeyPolicy         RefType = "key-policy"
	BucketLogging     RefType = "bucket-logging" // server access logging of a bucket (s3grant audit --fix-logging)
)

// Status is where one entry (step) of a run is.
type Status string

// Entry statuses.
const (
	StatusPlanned    Status = "planned"   // not reached
	StatusUnchanged  Status = "unchanged" // already as planned: nothing written
	StatusStarted    Status = "started"   // before recorded, write sent, outcome unknown
	StatusDone       Status = "done"      // written
	StatusFailed     Status = "failed"    // the write failed (it may still have landed: rollback restores Before)
	StatusRolledBack Status = "rolled-back"
	StatusUndone     Status = "undone"
	StatusSkipped    Status = "skipped" // stopped before this step
)

// Outcome is how a run ended.
type Outcome string

// Run outcomes.
const (
	OutcomeRunning    Outcome = "running"     // the run did not finish (crash): see the entries
	OutcomeApplied    Outcome = "applied"     // every step done or unchanged
	OutcomeUnchanged  Outcome = "unchanged"   // nothing needed writing
	OutcomeRolledBack Outcome = "rolled-back" // a step failed; everything written was restored
	OutcomePartial    Outcome = "partial"     // a step failed and some writes remain (see entries)
	OutcomeStopped    Outcome = "stopped"     // stopped before any write (concurrent change, refusal)
	OutcomeUndone     Outcome = "undone"
	// OutcomeAdopted: an interrupted run whose writes a later run of the
	// same grant took over (see Run.AdoptedBy): undo that run instead.
	OutcomeAdopted Outcome = "adopted"
)

// Entry is one step of a run.
type Entry struct {
	Step         int    `json:"step"`
	Side         string `json:"side"`
	Operation    string `json:"operation"`
	Target       string `json:"target"`
	Ref          Ref    `json:"ref"`
	Status       Status `json:"status"`
	BeforeExists bool   `json:"before_exists"`
	Before       string `json:"before,omitempty"` // as AWS returned it
	After        string `json:"after,omitempty"`  // Before with the run's change: recorded before the write
	Error        string `json:"error,omitempty"`
	// Based and Intended are the write-ahead record of the latest write:
	// the document as read just before it, and what was sent. They are
	// saved (and fsynced) before the write goes out, so after a crash the
	// live document tells whether it landed. Undo works from Before and
	// After (the run's own change), never from these.
	BasedExists bool   `json:"based_exists,omitempty"`
	Based       string `json:"based,omitempty"`
	Intended    string `json:"intended,omitempty"`
	// AdoptedFrom names the interrupted run whose write this entry took
	// over (Before is then that run's Before).
	AdoptedFrom string `json:"adopted_from,omitempty"`
	// Deleted: the write deleted the document (apply --prune of a document
	// a grants file's runs created and nothing else holds): After is then
	// its absence, and undo re-creates Before.
	Deleted bool `json:"deleted,omitempty"`
}

// Changed reports whether the entry may have changed AWS (a write was sent).
func (e Entry) Changed() bool { return e.Status.MayHaveChanged() }

// MayHaveChanged reports whether an entry in this status may have left a
// change in AWS: a write was sent, whatever came of it, and not restored.
func (s Status) MayHaveChanged() bool {
	switch s {
	case StatusStarted, StatusDone, StatusFailed:
		return true
	case StatusPlanned, StatusUnchanged, StatusRolledBack, StatusUndone, StatusSkipped:
		return false
	}
	return false
}

// WriteSent reports whether a write was sent for an entry in this status,
// even if it was restored since (rolled back, undone).
func (s Status) WriteSent() bool {
	switch s {
	case StatusStarted, StatusDone, StatusFailed, StatusRolledBack, StatusUndone:
		return true
	case StatusPlanned, StatusUnchanged, StatusSkipped:
		return false
	}
	return true // unknown (a newer s3grant's journal): count it, as before
}

// Run is one apply.
type Run struct {
	ID       string    `json:"run_id"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	GrantID  string    `json:"grant_id"`
	Method   string    `json:"method"`
	Bucket   string    `json:"bucket"`
	Owner    string    `json:"owner_account"`
	Outcome  Outcome   `json:"outcome"`
	Message  string    `json:"message,omitempty"`
	UndoneBy string    `json:"undone_by,omitempty"`
	Entries  []Entry   `json:"entries"`
	// PID and Host are the process that ran it, so a run still "running"
	// whose process is gone is known to be interrupted.
	PID       int    `json:"pid,omitempty"`
	Host      string `json:"host,omitempty"`
	AdoptedBy string `json:"adopted_by,omitempty"`
	// Connection is how the run reached the accounts, so undo can reach
	// them again without flags (names only: never a credential).
	Connection *Connection `json:"connection,omitempty"`
	// Grants are the Sid prefixes of every grant of the grants file a
	// grants run applied (empty for a single grant's run): how a later run
	// of the same file, edited since, knows which earlier runs were its own
	// (see lineage in aws/set_history.go).
	Grants []string `json:"grants,omitempty"`
}

// Connection is the profiles and endpoint a run used.
type Connection struct {
	OwnerProfile     string   `json:"owner_profile,omitempty"`
	ConsumerProfiles []string `json:"consumer_profiles,omitempty"`
	Endpoint         string   `json:"endpoint,omitempty"`
}

// Store keeps runs as files in Dir.
type Store struct{ Dir string }

// HomeEnv overrides the directory s3grant keeps its state in (tests use it).
const HomeEnv = "S3GRANT_HOME"

// DefaultStore is $S3GRANT_HOME/runs, or s3grant/runs in the user's config
// directory.
func DefaultStore() (Store, error) {
	if h := os.Getenv(HomeEnv); h != "" {
		return Store{Dir: filepath.Join(h, "runs")}, nil
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return Store{}, fmt.Errorf("find the config directory for the journal (set %s): %w", HomeEnv, err)
	}
	return Store{Dir: filepath.Join(cfg, "s3grant", "runs")}, nil
}

// NewID returns a run ID: the UTC time and 4 random bytes, sortable by time.
func NewID(now time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

var idPattern = regexp.MustCompile(`^\d{8}T\d{6}Z-[0-9a-f]{8}$`)

// ValidID reports whether id looks like a run ID (so it is safe in a path).
func ValidID(id string) bool { return idPattern.MatchString(id) }

// Path is the file of run id.
func (s Store) Path(id string) string { return filepath.Join(s.Dir, id+".json") }

// Save writes the run atomically with mode 0600, creating the directory
// with mode 0700.
func (s Store) Save(r *Run) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := os.Chmod(s.Dir, 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	r.Updated = time.Now().UTC()
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	tmp, err := os.CreateTemp(s.Dir, ".run-*")
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer os.Remove(tmp.Name())
	// One err for the whole sequence: a failed write, sync, close or rename
	// must reach the caller (a shadowed err here once lost them all).
	if err = tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(append(data, '\n'))
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), s.Path(r.ID))
		}
		if err == nil {
			// The rename is durable only once the directory is synced:
			// a write-ahead record that a crash can lose is no record.
			err = syncDir(s.Dir)
		}
	}
	if err != nil {
		return fmt.Errorf("journal: write run %s: %w", r.ID, err)
	}
	return nil
}

// ErrNotFound is returned by Load for an unknown run ID.
var ErrNotFound = errors.New("no such run")

// Load reads run id.
func (s Store) Load(id string) (*Run, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("run ID %q: must look like 20260102T150405Z-1a2b3c4d (see s3grant runs)", id)
	}
	data, err := os.ReadFile(s.Path(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("run %s in %s: %w (see s3grant runs)", id, s.Dir, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var r Run
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("journal: run %s is unreadable: %w", id, err)
	}
	return &r, nil
}

// List returns every readable run, newest first. Unreadable files are
// skipped: Scan reports them.
func (s Store) List() ([]*Run, error) {
	runs, _, err := s.Scan()
	return runs, err
}
