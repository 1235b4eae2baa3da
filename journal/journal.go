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
	"sort"
	"strings"
	"time"
)

// Ref says which AWS thing an entry changed, in enough detail to read, write
// and delete it again without the plan.
type Ref struct {
	Type          RefType `json:"type"`
	AccountID     string  `json:"account_id"`
	Region        string  `json:"region,omitempty"`
	Bucket        string  `json:"bucket,omitempty"`
	Resource      string  `json:"resource"`              // role/user name, access point name, policy or key ARN, bucket ARN
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

// Entry statuses.
const (
	StatusPlanned    = "planned"   // not reached
	StatusUnchanged  = "unchanged" // already as planned: nothing written
	StatusStarted    = "started"   // before recorded, write sent, outcome unknown
	StatusDone       = "done"      // written
	StatusFailed     = "failed"    // the write failed (it may still have landed: rollback restores Before)
	StatusRolledBack = "rolled-back"
	StatusUndone     = "undone"
	StatusSkipped    = "skipped" // stopped before this step
)

// Run outcomes.
const (
	OutcomeRunning    = "running"     // the run did not finish (crash): see the entries
	OutcomeApplied    = "applied"     // every step done or unchanged
	OutcomeUnchanged  = "unchanged"   // nothing needed writing
	OutcomeRolledBack = "rolled-back" // a step failed; everything written was restored
	OutcomePartial    = "partial"     // a step failed and some writes remain (see entries)
	OutcomeStopped    = "stopped"     // stopped before any write (concurrent change, refusal)
	OutcomeUndone     = "undone"
)

// Entry is one step of a run.
type Entry struct {
	Step         int    `json:"step"`
	Side         string `json:"side"`
	Operation    string `json:"operation"`
	Target       string `json:"target"`
	Ref          Ref    `json:"ref"`
	Status       string `json:"status"`
	BeforeExists bool   `json:"before_exists"`
	Before       string `json:"before,omitempty"` // as AWS returned it
	After        string `json:"after,omitempty"`  // as written
	Error        string `json:"error,omitempty"`
}

// Changed reports whether the entry may have changed AWS (a write was sent).
func (e Entry) Changed() bool {
	return e.Status == StatusStarted || e.Status == StatusDone || e.Status == StatusFailed
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
	Outcome  string    `json:"outcome"`
	Message  string    `json:"message,omitempty"`
	UndoneBy string    `json:"undone_by,omitempty"`
	Entries  []Entry   `json:"entries"`
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

// List returns every run, newest first.
func (s Store) List() ([]*Run, error) {
	names, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var out []*Run
	for _, n := range names {
		id, ok := strings.CutSuffix(n.Name(), ".json")
		if !ok || !ValidID(id) {
			continue
		}
		r, err := s.Load(id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}
