package export

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/templates"
)

// FormatStackSet is the owner's template and one consumer template for a
// service-managed StackSet (Many; Export for one grant).
const FormatStackSet Format = "cloudformation-stackset"

// ManyFormats are the formats Many writes.
var ManyFormats = []Format{FormatStackSet, FormatTerraform}

// Many renders several grants, one valid single-grant plan each, in
// a format made for many accounts: FormatStackSet (the owner's template
// and a consumer template for a StackSet) or FormatTerraform (a root
// module with a provider per account and one module per grant). Every
// plan must be for the same owner account. A document several grants
// write (a bucket's policy, a key's policy, a bucket's ACL) becomes one
// resource holding every grant's statements, merged as apply merges them:
// CloudFormation and Terraform both own a bucket policy as one whole
// document, so one resource per grant would overwrite each other.
func Many(plans []*plan.Plan, f Format, o Options) (*Bundle, error) {
	if len(plans) == 0 {
		return nil, fmt.Errorf("export: no grant to export")
	}
	for _, p := range plans {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("grant %s: %w", p.GrantID, err)
		}
	}
	owner, err := mergeOwner(plans)
	if err != nil {
		return nil, err
	}
	o = o.withDefaults()
	switch f {
	case FormatStackSet:
		return stackSetBundle(plans, owner, o)
	case FormatTerraform:
		return terraformModules(plans, owner, o)
	case FormatCLI, FormatCloudFormation:
	}
	names := make([]string, len(ManyFormats))
	for i, m := range ManyFormats {
		names[i] = string(m)
	}
	return nil, fmt.Errorf("format: several grants export as %s, got %q (e.g. --format %s)",
		strings.Join(names, " or "), f, FormatStackSet)
}

// ownerSide is the owner account's part of every grant: the steps in
// order, each shared document once with every grant's statements.
type ownerSide struct {
	// plan holds the owner's steps and documents of every grant, shared
	// documents merged; its Spec is the first grant's (for the owner
	// account and partition).
	plan *plan.Plan
	// shared are the keys of the documents more than one grant writes.
	shared map[plan.DocKey]bool
	// grantIDs of every plan, in order.
	grantIDs []string
}

// mergeOwner builds the owner's side. A document written by several grants
// must have been read in the same state by each (its statements that are
// no grant's are equal), or merging them could drop or resurrect a
// statement: such plans are refused.
func mergeOwner(plans []*plan.Plan) (*ownerSide, error) {
	first := plans[0]
	out := &ownerSide{shared: map[plan.DocKey]bool{}}
	merged := &plan.Plan{FormatVersion: first.FormatVersion, Spec: first.Spec, StateKnown: true}
	index := map[plan.DocKey]int{}
	owners := map[plan.DocKey]string{}
	var prefixes []string
	seen := map[string]bool{}
	for _, p := range plans {
		if seen[p.GrantID] {
			return nil, fmt.Errorf("grant %s is given twice", p.GrantID)
		}
		seen[p.GrantID] = true
		if p.Spec.OwnerAccount != first.Spec.OwnerAccount {
			return nil, fmt.Errorf("grant %s: owner account %s, but grant %s's is %s: "+
				"export one owner account at a time",
				p.GrantID, p.Spec.OwnerAccount, first.GrantID, first.Spec.OwnerAccount)
		}
		out.grantIDs = append(out.grantIDs, p.GrantID)
		prefixes = append(prefixes, p.SidPrefix)
		merged.StateKnown = merged.StateKnown && p.StateKnown
	}
	merged.GrantID = strings.Join(out.grantIDs, ", ")
	merged.SidPrefix = policy.SidPrefix
	for _, p := range plans {
		for _, st := range p.Steps {
			if st.Account != templates.Owner {
				continue
			}
			d := p.DocumentFor(st)
			st.ID = len(merged.Steps) + 1
			if d == nil {
				sameStep := func(x plan.Step) bool { return x.Operation == st.Operation && x.Target == st.Target }
				if st.Operation == templates.OpCreateAccessPoint && slices.ContainsFunc(merged.Steps, sameStep) {
					return nil, fmt.Errorf("grants %s and %s both create access point %s: "+
						"give each grant its own access point",
						owners[plan.DocKey{Target: st.Target}], p.GrantID, st.Target)
				}
				owners[plan.DocKey{Target: st.Target}] = p.GrantID
				st.Document = nil
				merged.Steps = append(merged.Steps, st)
				continue
			}
			k := d.Key()
			if i, ok := index[k]; ok {
				if err := mergeInto(merged.Documents[i], d, p, owners[k], prefixes); err != nil {
					return nil, err
				}
				out.shared[k] = true
				continue
			}
			c := *d
			if c.Policy != nil {
				c.Policy = c.Policy.Clone()
			}
			if c.ACL != nil {
				acl := *c.ACL
				acl.Grants = slices.Clone(acl.Grants)
				c.ACL = &acl
			}
			idx := len(merged.Documents)
			merged.Documents = append(merged.Documents, &c)
			index[k], owners[k] = idx, p.GrantID
			st.Document = &idx
			merged.Steps = append(merged.Steps, st)
		}
	}
	out.plan = merged
	return out, nil
}

// mergeInto adds grant p's part of document d to the merged document m.
func mergeInto(m, d *plan.Document, p *plan.Plan, firstGrant string, prefixes []string) error {
	if d.ACL != nil {
		if m.ACL == nil {
			return fmt.Errorf("grants %s and %s write %s %s differently", firstGrant, p.GrantID, d.Kind, d.Target)
		}
		for _, g := range d.ACLGrants {
			if !slices.Contains(m.ACL.Grants, g) {
				m.ACL.Grants = append(m.ACL.Grants, g)
			}
		}
		return nil
	}
	if m.Policy == nil || d.Generated == nil {
		return fmt.Errorf("grants %s and %s write %s %s differently", firstGrant, p.GrantID, d.Kind, d.Target)
	}
	if !bytes.Equal(noGrants(m.Policy, prefixes), noGrants(d.Policy, prefixes)) {
		return fmt.Errorf("grants %s and %s were planned from different versions of the %s of %s "+
			"(its statements that are no grant's differ): plan them again against the same state",
			firstGrant, p.GrantID, d.Kind, d.Target)
	}
	m.Policy = policy.Merge(m.Policy, p.SidPrefix, d.Generated.Statement)
	if m.Generated != nil {
		gen := m.Generated.Clone()
		gen.Statement = append(gen.Statement, d.Generated.Clone().Statement...)
		m.Generated = gen
	}
	return nil
}

// noGrants is a policy without any of the grants' statements, canonical.
func noGrants(p *policy.Policy, prefixes []string) []byte {
	for _, pre := range prefixes {
		p = policy.Unmerge(p, pre)
	}
	return p.Canonical()
}
