package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// SetKind marks a plan file made from a grants file.
const SetKind = "grants"

// Set is the plan of a grants file: each grant's own single-grant plan
// (Grants, merged alone with what exists: what export and the per-grant
// check take) and what the set writes. Documents that several grants share
// (a bucket policy, a key policy) are merged into one document, each grant
// keeping its own Sids, so one grant can later be changed or removed alone
// and each bucket is written once; every other document stays per grant.
// Steps are ordered per account: the owner's first, then each consumer
// account's, each account's steps in the grants' order, so apply can run
// the accounts in parallel and each account's steps in order.
type Set struct {
	FormatVersion int         `json:"format_version"`
	Kind          string      `json:"kind"`
	SetID         string      `json:"set_id"`
	StateKnown    bool        `json:"state_known"`
	Grants        []*Plan     `json:"grants"`
	Steps         []SetStep   `json:"steps"`
	Documents     []*Document `json:"documents"`
}

// SetStep is one write of a set: a grant's step, or the one write of a
// shared document, with the grants whose statements it carries.
type SetStep struct {
	Step
	Grants []int `json:"grants"` // indexes into Set.Grants, in file order
	// GrantStep is the step's index in the plan of Grants[0].
	GrantStep int `json:"grant_step"`
}

// shared reports whether documents of this kind may hold several grants:
// resource policies written for many principals. Any other document (a
// role's trust policy, an inline policy, an ACL) belongs to one grant.
func shared(k policy.Kind) bool { return k == policy.KindBucketPolicy || k == policy.KindKeyPolicy }

type setKey struct {
	account string
	key     DocKey
	op      templates.Operation // steps without a document: what they create
}

// NewSet plans the grants together. states[i] is what exists for grant i
// (nil: unknown); a shared document's existing version is taken from the
// first grant that writes it. Bad or clashing grants give a
// *spec.ValidationError naming grants[i] and the field.
func NewSet(specs []spec.Spec, states []*State) (*Set, error) {
	if len(specs) == 0 || len(specs) > MaxGrants {
		return nil, &spec.FieldError{
			Field: "grants", Example: GrantsExample,
			Rule: fmt.Sprintf("%d grants: give 1 to %d", len(specs), MaxGrants),
		}
	}
	set := &Set{FormatVersion: FormatVersion, Kind: SetKind, StateKnown: true}
	var probs []*spec.FieldError
	for i, s := range specs {
		var st *State
		if i < len(states) {
			st = states[i]
		}
		p, err := New(s, st)
		if err != nil {
			probs = append(probs, Within(fmt.Sprintf("grants[%d]", i), err)...)
			continue
		}
		set.StateKnown = set.StateKnown && p.StateKnown
		set.Grants = append(set.Grants, p)
	}
	if len(probs) == 0 {
		probs = checkTogether(set.Grants)
	}
	if len(probs) == 0 {
		probs = set.build()
	}
	if len(probs) > 0 {
		return nil, &spec.ValidationError{Problems: probs}
	}
	ids := make([]string, len(set.Grants))
	for i, g := range set.Grants {
		ids[i] = g.GrantID
	}
	sum := sha256.Sum256([]byte(strings.Join(ids, ",")))
	set.SetID = "SET" + strings.ToUpper(hex.EncodeToString(sum[:4]))
	return set, nil
}

// build lays out the set's steps and documents, per account.
func (set *Set) build() []*spec.FieldError {
	owner := set.Grants[0].Spec.OwnerAccount
	accounts := []string{owner}
	byAccount := map[string][]SetStep{}
	index := map[setKey]int{} // -> position in byAccount[account]
	var probs []*spec.FieldError
	for gi, g := range set.Grants {
		for si, st := range g.Steps {
			k := setKey{account: st.AccountID, op: st.Operation}
			d := g.DocumentFor(st)
			if d != nil {
				k = setKey{account: st.AccountID, key: d.Key()}
			} else {
				k.key.Target = st.Target
			}
			if !slices.Contains(accounts, st.AccountID) {
				accounts = append(accounts, st.AccountID)
			}
			at, seen := index[k]
			if !seen {
				index[k] = len(byAccount[st.AccountID])
				first := SetStep{Step: st, Grants: []int{gi}, GrantStep: si}
				byAccount[st.AccountID] = append(byAccount[st.AccountID], first)
				continue
			}
			prev := &byAccount[st.AccountID][at]
			if d == nil || !shared(d.Kind) {
				probs = append(probs, &spec.FieldError{
					Field: fmt.Sprintf("grants[%d]", gi), Example: "a role-name or access-point of its own",
					Rule: fmt.Sprintf("writes %s %s in account %s, which grants[%d] writes too: "+
						"only bucket and key policies are shared between grants",
						st.Operation, st.Target, st.AccountID, prev.Grants[0]),
				})
				continue
			}
			prev.Grants = append(prev.Grants, gi)
		}
	}
	if len(probs) > 0 {
		return probs
	}
	for _, acct := range accounts {
		for _, st := range byAccount[acct] {
			st.ID = len(set.Steps) + 1
			st.Document = nil
			if d := set.Grants[st.Grants[0]].DocumentFor(set.Grants[st.Grants[0]].Steps[st.GrantStep]); d != nil {
				merged, fe := set.merge(d, st.Grants)
				if fe != nil {
					probs = append(probs, fe)
					continue
				}
				idx := len(set.Documents)
				set.Documents = append(set.Documents, merged)
				st.Document = &idx
			}
			set.Steps = append(set.Steps, st)
		}
	}
	return probs
}

// merge is the document grants write together: what exists (as the first
// grant saw it) with each grant's statements merged in under its own Sid
// prefix, in file order.
func (set *Set) merge(first *Document, grants []int) (*Document, *spec.FieldError) {
	if len(grants) == 1 {
		c := *first
		return &c, nil
	}
	d := *first
	d.Generated = &policy.Policy{Version: policy.Version2012}
	d.Policy = first.Existing.Clone()
	for _, gi := range grants {
		g := set.Grants[gi]
		own := g.documentAt(first.Key())
		d.Generated.Statement = append(d.Generated.Statement, own.Generated.Statement...)
		d.Policy = policy.Merge(d.Policy, g.SidPrefix, own.Generated.Statement)
	}
	if err := d.Policy.CheckSize(d.SizeKind()); err != nil {
		names := make([]string, len(grants))
		for i, gi := range grants {
			names[i] = fmt.Sprintf("grants[%d]", gi)
		}
		return nil, &spec.FieldError{
			Field: names[len(names)-1], Example: "fewer grants (or prefixes) per bucket",
			Rule: fmt.Sprintf("the %s %s holding %s is too big: %v", d.Kind, d.Target, strings.Join(names, ", "), err),
		}
	}
	return &d, nil
}

// documentAt returns the plan's document with key k, or nil.
func (p *Plan) documentAt(k DocKey) *Document {
	for _, d := range p.Documents {
		if d.Key() == k {
			return d
		}
	}
	return nil
}

// DocumentFor returns the set step's document, or nil.
func (set *Set) DocumentFor(st SetStep) *Document {
	if st.Document == nil || *st.Document < 0 || *st.Document >= len(set.Documents) {
		return nil
	}
	return set.Documents[*st.Document]
}

// Combined returns grant i's plan with the documents it shares replaced by
// the set's merged ones: what the check proves for the combination.
func (set *Set) Combined(i int) *Plan {
	g := set.Grants[i]
	c := *g
	c.Documents = make([]*Document, len(g.Documents))
	copy(c.Documents, g.Documents)
	for _, st := range set.Steps {
		d := set.DocumentFor(st)
		if d == nil || len(st.Grants) < 2 || !slices.Contains(st.Grants, i) {
			continue
		}
		for j, own := range c.Documents {
			if own.Key() == d.Key() && own.AccountID == d.AccountID {
				c.Documents[j] = d
			}
		}
	}
	return &c
}

// Accounts lists the accounts the set writes to, the owner first.
func (set *Set) Accounts() []string {
	var out []string
	for _, st := range set.Steps {
		if !slices.Contains(out, st.AccountID) {
			out = append(out, st.AccountID)
		}
	}
	return out
}

// Buckets lists the buckets of the set's grants, in file order.
func (set *Set) Buckets() []string {
	var out []string
	for _, g := range set.Grants {
		if !slices.Contains(out, g.Spec.Bucket) {
			out = append(out, g.Spec.Bucket)
		}
	}
	return out
}

// Specs returns the grants' specs, in file order.
func (set *Set) Specs() []spec.Spec {
	out := make([]spec.Spec, len(set.Grants))
	for i, g := range set.Grants {
		out[i] = g.Spec
	}
	return out
}
