package plan

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/templates"
)

// Document is one document the plan writes: the merged result, s3grant's own
// part of it (Generated, re-merged against live state at apply time) and what
// existed when the plan was made.
type Document struct {
	Account   templates.Side
	AccountID string
	Kind      policy.Kind
	Target    string
	Name      string
	Managed   bool
	// Policy documents.
	Policy    *policy.Policy // merged: what will be written
	Generated *policy.Policy // s3grant's statements only
	Existing  *policy.Policy // as found; nil when absent or not known
	// Bucket ACL documents.
	ACL         *policy.ACL
	ACLGrants   []policy.Grant
	ExistingACL *policy.ACL
}

// SizeKind is the kind whose size limit applies.
func (d *Document) SizeKind() policy.Kind {
	if d.Managed {
		return policy.KindManagedPolicy
	}
	return d.Kind
}

// Key identifies the document in State.
func (d *Document) Key() DocKey { return DocKey{Kind: d.Kind, Target: d.Target, Name: d.Name} }

// Canonical returns the merged document as canonical JSON.
func (d *Document) Canonical() []byte {
	if d.ACL != nil {
		return d.ACL.Canonical()
	}
	return d.Policy.Canonical()
}

// Diff is a unified diff from what exists to what will be written.
func (d *Document) Diff() string {
	name := fmt.Sprintf("%s %s", d.Kind, d.Target)
	if d.ACL != nil {
		var before []byte
		if d.ExistingACL != nil {
			before = append(d.ExistingACL.Canonical(), '\n')
		}
		return policy.DiffText(name, before, append(d.ACL.Canonical(), '\n'))
	}
	return policy.Diff(name, d.Existing, d.Policy)
}

// Changes reports whether writing the document changes anything.
func (d *Document) Changes() bool {
	if d.ACL != nil {
		return d.ExistingACL == nil || string(d.ExistingACL.Canonical()) != string(d.ACL.Canonical())
	}
	return !policy.Equal(d.Existing, d.Policy)
}

func newDocument(td *templates.Doc, sidPrefix string, state *State) (*Document, error) {
	d := &Document{
		Account: td.Side, AccountID: td.Account,
		Kind: td.Kind, Target: td.Target, Name: td.Name, Managed: td.Managed,
	}
	if td.Kind == policy.KindBucketACL {
		d.ACLGrants = td.ACLGrants
		d.ExistingACL = state.BucketACL.Clone()
		merged, err := policy.MergeACL(d.ExistingACL, td.ACLGrants)
		if err != nil {
			return nil, fmt.Errorf("bucket ACL %s: %w", td.Target, err)
		}
		d.ACL = merged
		return d, nil
	}
	d.Generated = &policy.Policy{Version: policy.Version2012, Statement: td.Statements}
	d.Existing = state.Policy(d.Key())
	d.Policy = policy.Merge(d.Existing, sidPrefix, td.Statements)
	return d, nil
}

type documentJSON struct {
	Account   templates.Side  `json:"account"`
	AccountID string          `json:"account_id"`
	Kind      policy.Kind     `json:"kind"`
	Target    string          `json:"target"`
	Name      string          `json:"name,omitempty"`
	Managed   bool            `json:"managed,omitempty"`
	Document  json.RawMessage `json:"document"`
	Generated json.RawMessage `json:"generated"`
	Existing  json.RawMessage `json:"existing"`
	Changes   bool            `json:"changes"`
	Diff      string          `json:"diff,omitempty"`
}

// MarshalJSON writes the document with "document" as a JSON object.
func (d *Document) MarshalJSON() ([]byte, error) {
	j := documentJSON{
		Account: d.Account, AccountID: d.AccountID, Kind: d.Kind, Target: d.Target, Name: d.Name,
		Managed: d.Managed, Changes: d.Changes(), Diff: d.Diff(), Existing: json.RawMessage("null"),
	}
	if d.ACL != nil {
		j.Document, _ = json.Marshal(d.ACL)
		j.Generated, _ = json.Marshal(d.ACLGrants)
		if d.ExistingACL != nil {
			j.Existing, _ = json.Marshal(d.ExistingACL)
		}
	} else {
		j.Document = d.Policy.Minified()
		j.Generated = d.Generated.Minified()
		if d.Existing != nil {
			j.Existing = d.Existing.Minified()
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a document written by MarshalJSON.
func (d *Document) UnmarshalJSON(data []byte) error {
	var j documentJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a plan file is user input: a misspelt field is an error, not ignored
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*d = Document{
		Account: j.Account, AccountID: j.AccountID,
		Kind: j.Kind, Target: j.Target, Name: j.Name, Managed: j.Managed,
	}
	at := func(what string, err error) error {
		return fmt.Errorf("plan document %s %s: %s: %w", j.Kind, j.Target, what, err)
	}
	if j.Kind == policy.KindBucketACL {
		if err := json.Unmarshal(j.Document, &d.ACL); err != nil {
			return at("document", err)
		}
		if err := json.Unmarshal(j.Generated, &d.ACLGrants); err != nil {
			return at("generated", err)
		}
		return unmarshalOptional(j.Existing, &d.ExistingACL, at)
	}
	var err error
	if d.Policy, err = policy.Parse(j.Document); err != nil {
		return at("document", err)
	}
	if d.Generated, err = policy.Parse(j.Generated); err != nil {
		return at("generated", err)
	}
	if len(j.Existing) > 0 && string(j.Existing) != "null" {
		if d.Existing, err = policy.Parse(j.Existing); err != nil {
			return at("existing", err)
		}
	}
	return nil
}

func unmarshalOptional(raw json.RawMessage, into **policy.ACL, at func(string, error) error) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return at("existing", err)
	}
	return nil
}
