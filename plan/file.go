package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// FileFlag names a plan file in errors: the PLAN.json argument of check,
// apply, export and verify.
const FileFlag = "PLAN.json"

// fileExample is the valid plan file every refusal points to.
const fileExample = "s3grant plan --spec grant.yaml --out plan.json"

// ReadFile reads the plan file at path: a regular file under
// userfile.MaxSize, parsed strictly, checked against AWS's policy size
// limits and re-derived from its spec (see Parse). Every error is bad input
// (exit 2) and names the argument, the rule and a valid example.
func ReadFile(path string) (*Plan, error) {
	data, err := userfile.Read(FileFlag, path, "plan.json written by "+fileExample, 0)
	if err != nil {
		return nil, err
	}
	if isSetFile(data) {
		return nil, &spec.FieldError{
			Field: FileFlag, Example: fileExample,
			Rule: path + " is the plan of a grants file: " +
				"this command takes one grant's plan (apply and check take a grants plan)",
		}
	}
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", FileFlag, path, err)
	}
	return p, nil
}

// WriteFile writes p as a plan file (mode 0600: it holds policies),
// atomically.
func WriteFile(path string, p *Plan) error {
	data, err := Marshal(p)
	if err != nil {
		return err
	}
	return userfile.WritePrivate(path, data)
}

// Marshal is the plan file's content: indented JSON and a newline.
func Marshal(p *Plan) ([]byte, error) { return marshalIndented(p) }

// marshalIndented is the content of a plan file of either kind.
func marshalIndented(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fileJSON is a plan file as read: the plan's fields, plus the two that
// plan --check -o json adds (ignored), and nothing else.
type fileJSON struct {
	FormatVersion *int             `json:"format_version"`
	GrantID       string           `json:"grant_id"`
	SidPrefix     string           `json:"sid_prefix"`
	Spec          *spec.Spec       `json:"spec"`
	StateKnown    bool             `json:"state_known"`
	Steps         []Step           `json:"steps"`
	Documents     []*Document      `json:"documents"`
	Warnings      []policy.Finding `json:"warnings"`
	Findings      json.RawMessage  `json:"findings"`
	Check         json.RawMessage  `json:"check"`
}

// Parse reads a plan file's content and returns the plan its spec derives.
// The file is never trusted: its spec is validated, its documents (and the
// existing documents they were merged with) are checked against AWS's size
// limits, and its steps, documents, grant ID and Sid prefix must be exactly
// what New derives from the spec and the existing documents it records; any
// difference is a *spec.ValidationError naming each field that differs.
// The plan returned is the derived one, never the file's.
func Parse(data []byte) (*Plan, error) {
	f, err := decodeStrict(data)
	if err != nil {
		return nil, err
	}
	if err := f.shape(); err != nil {
		return nil, err
	}
	file := &Plan{
		FormatVersion: *f.FormatVersion, GrantID: f.GrantID, SidPrefix: f.SidPrefix, Spec: *f.Spec,
		StateKnown: f.StateKnown, Steps: f.Steps, Documents: f.Documents,
	}
	return Derive(file)
}

func decodeStrict(data []byte) (*fileJSON, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f fileJSON
	if err := dec.Decode(&f); err != nil {
		return nil, notAPlan(err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, notAPlan("unexpected data after the plan's JSON object")
	}
	return &f, nil
}

func notAPlan(why string) error {
	return &spec.FieldError{Field: "plan file", Rule: "not a plan file: " + why, Example: fileExample}
}

// shape checks what must be present before anything is derived, and the
// size of every policy the file holds.
func (f *fileJSON) shape() error {
	switch {
	case f.FormatVersion == nil:
		return &spec.FieldError{Field: "format_version", Rule: "is missing", Example: fmt.Sprint(FormatVersion)}
	case *f.FormatVersion != FormatVersion:
		return &spec.FieldError{
			Field: "format_version", Example: fmt.Sprint(FormatVersion),
			Rule: fmt.Sprintf("%d is not supported (this s3grant reads version %d): re-run s3grant plan",
				*f.FormatVersion, FormatVersion),
		}
	case f.Spec == nil:
		return &spec.FieldError{
			Field: "spec", Example: fileExample,
			Rule: "is missing: a plan is derived from its spec",
		}
	case f.Steps == nil:
		return &spec.FieldError{
			Field: "steps", Example: fileExample,
			Rule: "is missing or null: must be the list of steps s3grant plan wrote",
		}
	case f.Documents == nil:
		return &spec.FieldError{
			Field: "documents", Example: fileExample,
			Rule: "is missing or null: must be the list of documents s3grant plan wrote",
		}
	}
	for i, d := range f.Documents {
		if err := documentShape(i, d); err != nil {
			return err
		}
	}
	return nil
}

// documentShape refuses a null document, and any policy over the size AWS
// accepts for its kind: such a document cannot exist in AWS (existing) nor
// be written (document, generated).
func documentShape(i int, d *Document) error {
	at := fmt.Sprintf("documents[%d]", i)
	if d == nil {
		return &spec.FieldError{Field: at, Rule: "is null: must be a document s3grant plan wrote", Example: fileExample}
	}
	if d.Kind == policy.KindBucketACL {
		if d.ACL == nil {
			return &spec.FieldError{
				Field: at + ".document", Example: fileExample,
				Rule: "is null: must be the bucket ACL to write",
			}
		}
		return nil
	}
	if policy.MaxSize(d.SizeKind()) == 0 {
		return &spec.FieldError{
			Field: at + ".kind", Example: string(policy.KindBucketPolicy),
			Rule: fmt.Sprintf("%q is not a document kind s3grant writes", d.Kind),
		}
	}
	for _, part := range []struct {
		name string
		p    *policy.Policy
	}{{"document", d.Policy}, {"generated", d.Generated}, {"existing", d.Existing}} {
		if part.p == nil {
			continue
		}
		if err := part.p.CheckSize(d.SizeKind()); err != nil {
			return &spec.FieldError{Field: at + "." + part.name, Rule: err.Error(), Example: fileExample}
		}
	}
	return nil
}
