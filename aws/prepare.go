package aws

import (
	"context"
	"errors"
	"fmt"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// ErrStale means AWS changed since the plan file was made from what was
// there: the reviewed diff is no longer what would be written.
var ErrStale = errors.New("changed since the plan was made")

// ErrACLsDisabled means the ACL method met a bucket with ACLs disabled.
var ErrACLsDisabled = errors.New("ACLs are disabled on the bucket (Object Ownership BucketOwnerEnforced)")

// Prepared is a plan merged with what exists now, ready to apply.
type Prepared struct {
	Plan  *plan.Plan // re-merged against the live documents
	Live  *Live
	Steps []PreparedStep
	// Downgrade is set when the ACL method turns ACLs back on (a step that
	// sets Object Ownership to BucketOwnerPreferred comes first).
	Downgrade bool
	// Orphans are the unique-ID principals removed from the policies to
	// write (PrepareOptions.RemoveOrphanedPrincipals).
	Orphans []Orphan
}

// PreparedStep is one write: what it targets, what is there, what goes in.
type PreparedStep struct {
	Step    plan.Step
	Ref     journal.Ref
	Desc    string
	Before  Doc    // as read while preparing
	Body    string // what will be written
	Changes bool
	Diff    string
}

// Changes counts the steps that write something.
func (p *Prepared) Changes() int {
	n := 0
	for _, s := range p.Steps {
		if s.Changes {
			n++
		}
	}
	return n
}

// CheckAccounts makes sure the connected accounts are the plan's: the owner
// and every consumer account the plan writes to or names.
func CheckAccounts(p *plan.Plan, accts Accounts) error {
	if accts.Owner == nil {
		return errors.New("the owner account is not connected")
	}
	if accts.Owner.ID != p.Spec.OwnerAccount {
		return fmt.Errorf("the owner credentials%s act in account %s, but the plan's owner account is %s: "+
			"use --owner-profile with a profile for %s",
			profileNote(accts.Owner.Profile), accts.Owner.ID, p.Spec.OwnerAccount, p.Spec.OwnerAccount)
	}
	for _, st := range p.Steps {
		if accts.For(st.AccountID) == nil {
			return fmt.Errorf("the plan writes to consumer account %s but no consumer credentials act in it "+
				"(connected: %s): use --consumer-profile with a profile for %s",
				st.AccountID, connected(accts), st.AccountID)
		}
	}
	return nil
}

func connected(a Accounts) string {
	out := ""
	for id, c := range a.Consumers {
		if out != "" {
			out += ", "
		}
		out += id + profileNote(c.Profile)
	}
	if out == "" {
		return "none"
	}
	return out
}

// PrepareOptions say what Prepare may plan beyond the grant itself.
type PrepareOptions struct {
	// AllowACLDowngrade lets the acl method turn ACLs back on (Object
	// Ownership BucketOwnerEnforced -> BucketOwnerPreferred).
	AllowACLDowngrade bool
	// RemoveOrphanedPrincipals removes the unique-ID principals of deleted
	// roles and users from the policies to write, instead of stopping.
	RemoveOrphanedPrincipals bool
}

// Prepare checks the accounts, reads what exists, re-merges the plan with it
// and lists the writes. Nothing is written. A policy to write that names
// principals by unique ID stops it with an *OrphanError, unless
// RemoveOrphanedPrincipals, when those entries are removed (and listed in
// Prepared.Orphans and the step's diff).
func Prepare(ctx context.Context, file *plan.Plan, accts Accounts, o PrepareOptions) (*Prepared, error) {
	if err := file.Validate(); err != nil {
		return nil, err
	}
	if err := CheckAccounts(file, accts); err != nil {
		return nil, err
	}
	live, err := ReadLive(ctx, file, accts)
	if err != nil {
		return nil, err
	}
	p, err := plan.New(file.Spec, live.State)
	if err != nil {
		return nil, err
	}
	if file.StateKnown {
		if err := checkStale(file, p); err != nil {
			return nil, err
		}
	}
	prep := &Prepared{Plan: p, Live: live}
	var orphans []Orphan
	for i, st := range p.Steps {
		d := p.DocumentFor(st)
		ps := PreparedStep{Step: st, Ref: live.Refs[i], Desc: describe(live.Refs[i]), Before: live.Docs[i]}
		orphans = append(orphans, handleOrphans(d, ps, o.RemoveOrphanedPrincipals)...)
		ps.Body = body(d)
		if err := neverUnmerged(d, p.SidPrefix, o.RemoveOrphanedPrincipals); err != nil {
			return nil, err
		}
		want := Doc{Exists: true, Raw: ps.Body}
		ps.Changes = !Same(ps.Ref.Type, ps.Before, want)
		if d != nil && ps.Changes {
			ps.Diff = d.Diff()
		}
		if ps.Ref.Type == journal.BucketACL && ps.Changes {
			if err := prep.addDowngrade(ps, o.AllowACLDowngrade); err != nil {
				return nil, err
			}
		}
		prep.Steps = append(prep.Steps, ps)
	}
	if len(orphans) > 0 && (!o.RemoveOrphanedPrincipals || anyStuck(orphans)) {
		return nil, &OrphanError{Orphans: orphans}
	}
	prep.Orphans = orphans
	return prep, nil
}

// handleOrphans finds the unique-ID principals of a policy the step is
// about to write and, when remove is set, takes them out of it. A policy
// that would not be written is left alone: its IDs block nothing.
func handleOrphans(d *plan.Document, ps PreparedStep, remove bool) []Orphan {
	if d == nil || d.Policy == nil || Same(ps.Ref.Type, ps.Before, Doc{Exists: true, Raw: body(d)}) {
		return nil
	}
	cleaned, found := removeOrphans(d.Policy, ps.Step.ID, ps.Desc)
	if remove && len(found) > 0 && !anyStuck(found) {
		d.Policy = cleaned
	}
	return found
}

func anyStuck(os []Orphan) bool {
	for _, o := range os {
		if o.Stuck {
			return true
		}
	}
	return false
}

// addDowngrade inserts the Object Ownership change the ACL step needs, or
// refuses it.
func (p *Prepared) addDowngrade(acl PreparedStep, allowed bool) error {
	if p.Live.State.Facts.ObjectOwnership != "BucketOwnerEnforced" {
		return nil
	}
	if !allowed {
		return fmt.Errorf("%w: the acl method would have to turn ACLs back on, a security downgrade. "+
			"Prefer --method bucket-policy; to go ahead anyway, re-run with --allow-acl-downgrade "+
			"(undo restores BucketOwnerEnforced)", ErrACLsDisabled)
	}
	ref := acl.Ref
	ref.Type = journal.ObjectOwnership
	p.Downgrade = true
	p.Steps = append(p.Steps, PreparedStep{
		Step: plan.Step{
			ID: acl.Step.ID, Account: acl.Step.Account, AccountID: acl.Step.AccountID,
			Operation: "s3:PutBucketOwnershipControls", Target: acl.Step.Target,
			Why: "ACLs are disabled: turn them on (BucketOwnerPreferred) so the ACL can be written.",
		},
		Ref: ref, Desc: describe(ref), Changes: true,
		Before: Doc{Exists: true, Raw: "BucketOwnerEnforced"}, Body: "BucketOwnerPreferred",
		Diff: "Object Ownership: BucketOwnerEnforced -> BucketOwnerPreferred (ACLs enabled)\n",
	})
	return nil
}

// checkStale compares what the plan file saw with what is there now.
func checkStale(file, now *plan.Plan) error {
	for i, d := range file.Documents {
		if i >= len(now.Documents) {
			break
		}
		n := now.Documents[i]
		same := policy.Equal(d.Existing, n.Existing)
		if d.Kind == policy.KindBucketACL {
			same = aclEqual(d.ExistingACL, n.ExistingACL)
		}
		if !same {
			return fmt.Errorf("the %s %s %w: re-run s3grant plan and review the new diff", d.Kind, d.Target, ErrStale)
		}
	}
	return nil
}

func aclEqual(a, b *policy.ACL) bool {
	if a == nil || b == nil {
		return a == b
	}
	return string(a.Canonical()) == string(b.Canonical())
}

// neverUnmerged refuses to write a shared document that lost a statement or
// grant that exists now: the bucket policy, key policy and ACL hold other
// people's access, and the key policy the owner's own. With
// removingOrphans, a foreign statement may lose its unique-ID principals
// (and go when it names no one else), and nothing more.
func neverUnmerged(d *plan.Document, prefix string, removingOrphans bool) error {
	if d == nil {
		return nil
	}
	if d.ACL != nil {
		if d.ExistingACL != nil {
			for _, g := range d.ExistingACL.Grants {
				if !d.ACL.Has(g) {
					return fmt.Errorf("internal safety check: the ACL to write drops the existing grant %s %s%s: "+
						"refusing to write", g.Permission, g.ID, g.URI)
				}
			}
		}
		return nil
	}
	keep := map[string]bool{}
	for _, s := range policy.Foreign(d.Policy, prefix) {
		keep[string(s.Canonical())] = true
	}
	for _, s := range policy.Foreign(d.Existing, prefix) {
		if removingOrphans {
			cleaned, ids, kept, stuck := stripStatement(s)
			if len(ids) > 0 && !stuck {
				if !kept {
					continue
				}
				s = cleaned
			}
		}
		if !keep[string(s.Canonical())] {
			return fmt.Errorf("internal safety check: the %s to write for %s drops an existing statement (Sid %q): "+
				"refusing to write", d.Kind, d.Target, s.Sid)
		}
	}
	return nil
}
