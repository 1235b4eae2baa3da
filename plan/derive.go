package plan

import (
	"fmt"
	"maps"
	"strings"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// maxMismatches caps the differences one refusal lists.
const maxMismatches = 12

// Derive re-derives a plan read from a file from its spec and the existing
// documents it records, and returns the derived plan. A file whose grant
// ID, Sid prefix, steps (operation, account, target, parameters, document)
// or documents (where, what and their content) differ from the derivation
// is refused with a *spec.ValidationError naming each difference and the
// derived value: a plan file is user input, and a step pointed at another
// role or a document edited by hand must never reach AWS.
func Derive(file *Plan) (*Plan, error) {
	if file.FormatVersion != FormatVersion {
		return nil, &spec.FieldError{
			Field: "format_version", Example: fmt.Sprint(FormatVersion),
			Rule: fmt.Sprintf("%d is not supported (this s3grant reads version %d): re-run s3grant plan",
				file.FormatVersion, FormatVersion),
		}
	}
	if err := file.Spec.Validate(); err != nil {
		return nil, err
	}
	derived, err := New(file.Spec, recordedState(file))
	if err != nil {
		return nil, err
	}
	m := &mismatches{derives: "the spec derives", example: fileExample}
	m.differ("grant_id", file.GrantID, derived.GrantID, "")
	m.differ("sid_prefix", file.SidPrefix, derived.SidPrefix, "")
	m.differ("steps", fmt.Sprint(len(file.Steps))+" steps", fmt.Sprint(len(derived.Steps))+" steps", "")
	for i := range min(len(file.Steps), len(derived.Steps)) {
		m.compareStep(fmt.Sprintf("steps[%d]", i), file.Steps[i], derived.Steps[i])
	}
	m.compareDocuments(file.Documents, derived.Documents)
	if err := m.err(); err != nil {
		return nil, err
	}
	return derived, nil
}

// mismatches gathers, up to maxMismatches, how a plan file differs from
// what its answers derive (a single grant's spec, or a grants file's).
type mismatches struct {
	probs   []*spec.FieldError
	derives string // "the spec derives", "the grants derive"
	example string // how to make the file again
}

func (m *mismatches) add(p *spec.FieldError) {
	if len(m.probs) < maxMismatches {
		m.probs = append(m.probs, p)
	}
}

// differ records field when the file's value is not the derived one.
func (m *mismatches) differ(field, got, want, note string) {
	if got != want {
		m.add(&spec.FieldError{
			Field: field, Example: want,
			Rule: fmt.Sprintf("is %q but %s %q%s: the plan file was edited; re-create it with %s",
				got, m.derives, want, note, m.example),
		})
	}
}

func (m *mismatches) err() error {
	if len(m.probs) == 0 {
		return nil
	}
	return &spec.ValidationError{Problems: m.probs}
}

func (m *mismatches) compareDocuments(got, want []*Document) {
	m.differ("documents", fmt.Sprint(len(got))+" documents", fmt.Sprint(len(want))+" documents", "")
	for i := range min(len(got), len(want)) {
		m.compareDocument(fmt.Sprintf("documents[%d]", i), got[i], want[i])
	}
}

// recordedState is what the file says existed when it was made: the
// existing document of each of its documents. Existing documents cannot be
// derived; apply compares them with what is there now, and check and export
// prove the merged result with the access check.
func recordedState(file *Plan) *State {
	st := &State{Known: file.StateKnown}
	for _, d := range file.Documents {
		switch {
		case d == nil:
		case d.Kind == policy.KindBucketACL && d.ExistingACL != nil:
			st.BucketACL = d.ExistingACL.Clone()
		case d.Existing != nil:
			st.SetPolicy(d.Key(), d.Existing.Clone())
		}
	}
	return st
}

func (m *mismatches) compareStep(at string, got, want Step) {
	differ := m.differ
	differ(at+".id", fmt.Sprint(got.ID), fmt.Sprint(want.ID), "")
	differ(at+".account", string(got.Account), string(want.Account), "")
	differ(at+".account_id", got.AccountID, want.AccountID, "")
	differ(at+".operation", string(got.Operation), string(want.Operation), "")
	differ(at+".target", got.Target, want.Target, " (a step writes only where the spec says)")
	differ(at+".document", docIndex(got.Document), docIndex(want.Document), "")
	if !maps.Equal(got.Params, want.Params) {
		differ(at+".params", fmt.Sprint(got.Params), fmt.Sprint(want.Params), "")
	}
}

func docIndex(i *int) string {
	if i == nil {
		return "none"
	}
	return fmt.Sprint(*i)
}

func (m *mismatches) compareDocument(at string, got, want *Document) {
	differ := m.differ
	differ(at+".account", string(got.Account), string(want.Account), "")
	differ(at+".account_id", got.AccountID, want.AccountID, "")
	differ(at+".kind", string(got.Kind), string(want.Kind), "")
	differ(at+".target", got.Target, want.Target, "")
	differ(at+".name", got.Name, want.Name, "")
	differ(at+".managed", fmt.Sprint(got.Managed), fmt.Sprint(want.Managed), "")
	if got.Kind != want.Kind {
		return
	}
	if want.ACL != nil {
		differ(at+".document", canonicalACL(got.ACL), canonicalACL(want.ACL), "")
		return
	}
	diff := func(field string, g, w *policy.Policy) {
		if !policy.Equal(g, w) {
			m.add(&spec.FieldError{
				Field: at + "." + field, Example: m.example,
				Rule: fmt.Sprintf("the %s of %s is not what %s (- derived, + file):\n%s\n"+
					"the plan file was edited; re-create it",
					want.Kind, want.Target, m.derives, strings.TrimRight(policy.Diff(field, w, g), "\n")),
			})
		}
	}
	diff("document", got.Policy, want.Policy)
	diff("generated", got.Generated, want.Generated)
}

func canonicalACL(a *policy.ACL) string {
	if a == nil {
		return "null"
	}
	return string(a.Canonical())
}
