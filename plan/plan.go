// Package plan is s3grant's domain above the answers: the Plan of ordered
// steps and merged documents for both accounts, its warnings, and its text
// rendering. It imports neither the AWS SDK nor any terminal library.
package plan

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// FormatVersion is the version of the plan file format.
const FormatVersion = 1

// Plan is everything s3grant would change, in order, for both accounts.
type Plan struct {
	FormatVersion int              `json:"format_version"`
	GrantID       string           `json:"grant_id"`
	SidPrefix     string           `json:"sid_prefix"`
	Spec          spec.Spec        `json:"spec"`
	StateKnown    bool             `json:"state_known"` // documents merged with what exists in AWS (or a given file)
	Steps         []Step           `json:"steps"`
	Documents     []*Document      `json:"documents"`
	Warnings      []policy.Finding `json:"warnings"`
}

// Step is one AWS write.
type Step struct {
	ID        int                 `json:"id"`
	Account   templates.Side      `json:"account"`
	AccountID string              `json:"account_id"`
	Operation templates.Operation `json:"operation"`
	Target    string              `json:"target"`
	Document  *int                `json:"document,omitempty"` // index into Documents
	Params    map[string]string   `json:"params,omitempty"`
	Why       string              `json:"why"`
}

// New builds the plan for a spec, merging s3grant's statements into what
// state says exists. It validates the spec (after applying defaults) and
// returns a *spec.ValidationError for bad answers.
func New(s spec.Spec, state *State) (*Plan, error) {
	s = s.WithDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if state == nil {
		state = &State{}
	}
	if err := checkOwnership(s, state.Facts); err != nil {
		return nil, err
	}
	g, err := templates.Build(s)
	if err != nil {
		return nil, err
	}
	p := &Plan{FormatVersion: FormatVersion, GrantID: g.ID, SidPrefix: g.SidPrefix, Spec: s, StateKnown: state.Known}
	for i, ts := range g.Steps {
		st := Step{
			ID: i + 1, Account: ts.Side, AccountID: ts.Account,
			Operation: ts.Operation, Target: ts.Target, Params: ts.Params, Why: ts.Why,
		}
		if ts.Doc != nil {
			d, err := newDocument(ts.Doc, g.SidPrefix, state)
			if err != nil {
				return nil, err
			}
			if err := sizeCheck(s, d); err != nil {
				return nil, err
			}
			idx := len(p.Documents)
			p.Documents = append(p.Documents, d)
			st.Document = &idx
		}
		p.Steps = append(p.Steps, st)
	}
	p.Warnings = warnings(s, state, p)
	return p, nil
}

// DocumentFor returns the step's document, or nil.
func (p *Plan) DocumentFor(st Step) *Document {
	if st.Document == nil || *st.Document < 0 || *st.Document >= len(p.Documents) {
		return nil
	}
	return p.Documents[*st.Document]
}

// Side returns the documents of one account, in step order.
func (p *Plan) Side(side templates.Side) []*Document {
	var out []*Document
	for _, d := range p.Documents {
		if d.Account == side {
			out = append(out, d)
		}
	}
	return out
}

// Validate checks a plan read from a file: its format version, its spec, and
// that its documents are what the spec produces.
func (p *Plan) Validate() error {
	if p.FormatVersion != FormatVersion {
		return fmt.Errorf("plan format_version %d is not supported (this s3grant reads version %d): "+
			"re-run s3grant plan", p.FormatVersion, FormatVersion)
	}
	if err := p.Spec.Validate(); err != nil {
		return err
	}
	for i, d := range p.Documents {
		if d.Policy == nil && d.ACL == nil {
			return fmt.Errorf("plan document %d (%s %s) has no document", i, d.Kind, d.Target)
		}
	}
	return nil
}

// sizeCheck returns a *spec.FieldError when a merged document is over its
// limit, naming the spec's longest list: the answers made it too big, so it
// is bad input (exit 2), like any other answer AWS would refuse.
func sizeCheck(s spec.Spec, d *Document) error {
	if d.Policy == nil {
		return nil
	}
	err := d.Policy.CheckSize(d.SizeKind())
	if err == nil {
		return nil
	}
	type list struct {
		field, example string
		n              int
	}
	longest := slices.MaxFunc([]list{
		{"prefix", spec.ExamplePrefix, len(s.Prefixes)},
		{"consumer-principal", spec.ExamplePrincipal, len(s.ConsumerPrincipals)},
		{"consumer-account", spec.ExampleAccount, len(s.ConsumerAccounts)},
	}, func(a, b list) int { return cmp.Compare(a.n, b.n) })
	field, example := longest.field, longest.example
	return &spec.FieldError{
		Field: field, Example: example,
		Rule: fmt.Sprintf("too many for one grant: the %s %s: %v", d.Kind, d.Target, err),
	}
}
