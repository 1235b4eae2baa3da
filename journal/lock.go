package journal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Lock holds the lock files of the things one run writes, so two s3grant
// runs on this machine never interleave their writes to one bucket or role.
// The locks are advisory file locks (flock on Unix, LockFileEx on Windows):
// the kernel releases them when the process dies, so a lock left by a
// crashed run is never in the way. The file holds the holder's PID only to
// name it in messages.
type Lock struct{ files []*os.File }

// LockKey is what a lock is taken on for ref: the bucket for the bucket's
// own documents, the role for a role and its inline policies, else the
// resource itself.
func LockKey(r Ref) string {
	switch r.Type {
	case BucketPolicy, BucketACL, ObjectOwnership, BucketLogging:
		return "bucket:" + r.Bucket
	case Role, RolePolicy:
		return "role:" + r.AccountID + ":" + r.Resource
	default: // every other document is locked on itself, below
	}
	return string(r.Type) + ":" + r.AccountID + ":" + r.Resource
}

// Lock takes the locks on keys, waiting while another process holds one
// (calling waiting once with its PID) until ctx ends. Keys are taken in
// sorted order, so two runs never deadlock.
func (s Store) Lock(ctx context.Context, keys []string, waiting func(pid string)) (*Lock, error) {
	dir := filepath.Join(s.Dir, "locks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	keys = slices.Clone(keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	l := &Lock{}
	for _, k := range keys {
		f, err := lockOne(ctx, filepath.Join(dir, lockName(k)), k, waiting)
		if err != nil {
			l.Release()
			return nil, err
		}
		l.files = append(l.files, f)
	}
	return l, nil
}

func lockName(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:8]) + ".lock"
}

// errLocked is what tryLock returns when another open file holds the lock.
var errLocked = errors.New("locked")

func lockOne(ctx context.Context, path, key string, waiting func(string)) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: lock %s: %w", key, err)
	}
	told := false
	for {
		err := tryLock(f)
		if err == nil {
			break
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("journal: lock %s: %w", key, err)
		}
		if !told && waiting != nil {
			pid, _ := os.ReadFile(path)
			waiting(strings.TrimSpace(string(pid)))
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for another s3grant run to release %s: %w", key, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	// The PID of a previous holder may still be in the file: it is stale
	// (the kernel gave us the lock), so it is simply replaced.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// Release lets the locks go. It is safe on a nil Lock and to call twice.
func (l *Lock) Release() {
	if l == nil {
		return
	}
	for _, f := range l.files {
		_ = unlock(f)
		_ = f.Close()
	}
	l.files = nil
}
