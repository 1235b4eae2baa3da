package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// loadState reads a state file; a missing file is nil, nil (seed a new one).
func loadState(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read sandbox state %s: %w", path, err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("sandbox state %s is not a state file s3grant wrote (%w): "+
			"move it away to start over", path, err)
	}
	if st.Accounts == nil || st.Buckets == nil || st.Keys == nil {
		return nil, fmt.Errorf("sandbox state %s is incomplete: move it away to start over", path)
	}
	return &st, nil
}

// save writes the state atomically (a temporary file renamed over the old
// one) with mode 0600: it holds the sandbox's secrets and policies. The
// caller holds the write lock.
func (sb *Sandbox) save() error {
	if sb.path == "" {
		return nil
	}
	data, err := json.Marshal(sb.st)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(sb.path), ".sandbox-state-*")
	if err != nil {
		return fmt.Errorf("write sandbox state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write sandbox state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), sb.path); err != nil {
		return fmt.Errorf("write sandbox state %s: %w", sb.path, err)
	}
	return nil
}
