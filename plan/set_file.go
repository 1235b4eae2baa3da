package plan

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/spec"
)

// setFileJSON is a grants plan file as read: the set's fields, plus the
// check that plan --check -o json adds (ignored), and nothing else.
type setFileJSON struct {
	FormatVersion *int              `json:"format_version"`
	Kind          string            `json:"kind"`
	SetID         string            `json:"set_id"`
	StateKnown    bool              `json:"state_known"`
	Grants        []json.RawMessage `json:"grants"`
	Steps         []SetStep         `json:"steps"`
	Documents     []*Document       `json:"documents"`
	Check         json.RawMessage   `json:"check"`
}

const setFileExample = "s3grant plan --spec grants.yaml --out plan.json"

// ReadAnyFile reads a plan file written by s3grant plan: a single grant's
// (returned as *Plan) or a grants file's (returned as *Set). Both are
// bounded, parsed strictly and re-derived (see Parse and ParseSet).
func ReadAnyFile(path string) (*Plan, *Set, error) {
	data, err := userfile.Read(FileFlag, path, "plan.json written by "+fileExample, 0)
	if err != nil {
		return nil, nil, err
	}
	if !isSetFile(data) {
		p, err := Parse(data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", FileFlag, path, err)
		}
		return p, nil, nil
	}
	s, err := ParseSet(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", FileFlag, path, err)
	}
	return nil, s, nil
}

func isSetFile(data []byte) bool {
	var top struct {
		Kind string `json:"kind"`
	}
	return json.Unmarshal(data, &top) == nil && top.Kind == SetKind
}

// WriteSetFile writes a set's plan file (mode 0600: it holds policies),
// atomically; a plan too big to be read back is refused with a
// *spec.FieldError.
func WriteSetFile(path string, s *Set) error {
	data, err := marshalIndented(s)
	if err != nil {
		return err
	}
	if len(data) > userfile.MaxSize {
		return &spec.FieldError{
			Field: "grants", Example: "one grants file per owner team or bucket group",
			Rule: fmt.Sprintf("the plan of these %d grants is %d bytes, over the %d a plan file may be: "+
				"split the grants file", len(s.Grants), len(data), userfile.MaxSize),
		}
	}
	return userfile.WritePrivate(path, data)
}

// ParseSet reads a grants plan file and returns the set its grants derive.
// Nothing in it is trusted: each grant is parsed and re-derived as a
// single-grant plan file (errors name grants[i]), the set is planned again
// from those grants and the existing documents they record, and its steps,
// documents and set ID must be exactly the file's.
func ParseSet(data []byte) (*Set, error) {
	var f setFileJSON
	if err := strictJSON(data, &f); err != nil {
		return nil, notAPlan(err.Error())
	}
	switch {
	case f.FormatVersion == nil || *f.FormatVersion != FormatVersion:
		return nil, &spec.FieldError{
			Field: "format_version", Example: setFileExample,
			Rule: fmt.Sprintf("must be %d: re-run s3grant plan", FormatVersion),
		}
	case len(f.Grants) == 0 || len(f.Grants) > MaxGrants:
		return nil, &spec.FieldError{
			Field: "grants", Example: setFileExample,
			Rule: fmt.Sprintf("%d grants: a grants plan holds 1 to %d", len(f.Grants), MaxGrants),
		}
	case f.Steps == nil || f.Documents == nil:
		return nil, &spec.FieldError{
			Field: "steps", Example: setFileExample,
			Rule: "steps and documents must be the lists s3grant plan wrote",
		}
	}
	for i, d := range f.Documents {
		if err := documentShape(i, d); err != nil {
			return nil, err
		}
	}
	specs := make([]spec.Spec, len(f.Grants))
	states := make([]*State, len(f.Grants))
	var probs []*spec.FieldError
	for i, raw := range f.Grants {
		g, err := Parse(raw)
		if err != nil {
			probs = append(probs, Within(fmt.Sprintf("grants[%d]", i), err)...)
			continue
		}
		specs[i], states[i] = g.Spec, recordedState(g)
	}
	if len(probs) > 0 {
		return nil, &spec.ValidationError{Problems: probs}
	}
	derived, err := NewSet(specs, states)
	if err != nil {
		return nil, err
	}
	if err := compareSet(&f, derived); err != nil {
		return nil, err
	}
	return derived, nil
}

// compareSet refuses a file whose steps or documents are not what its
// grants derive, naming each difference.
func compareSet(f *setFileJSON, derived *Set) error {
	m := &mismatches{derives: "the grants derive", example: setFileExample}
	m.differ("set_id", f.SetID, derived.SetID, "")
	m.differ("steps", fmt.Sprint(len(f.Steps))+" steps", fmt.Sprint(len(derived.Steps))+" steps", "")
	for i := range min(len(f.Steps), len(derived.Steps)) {
		at := fmt.Sprintf("steps[%d]", i)
		got, want := f.Steps[i], derived.Steps[i]
		m.compareStep(at, got.Step, want.Step)
		if !slices.Equal(got.Grants, want.Grants) || got.GrantStep != want.GrantStep {
			m.differ(at+".grants", fmt.Sprint(got.Grants, got.GrantStep), fmt.Sprint(want.Grants, want.GrantStep), "")
		}
	}
	m.compareDocuments(f.Documents, derived.Documents)
	return m.err()
}
