package aws

import (
	"context"
	"fmt"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// Extra is a statement an earlier run of the grants file added and that
// no grant of the file owns any more (a grant, or a bucket's grants,
// removed from the file), wherever that run wrote it: the owner's bucket
// policies and the consumer accounts' documents alike.
type Extra struct {
	AccountID string `json:"account_id"`
	Document  string `json:"document"`
	Sid       string `json:"sid"`
	Statement string `json:"statement"`
	// RunID is the earlier run of the file that added it.
	RunID string `json:"run_id,omitempty"`
	// Edited: the statement is no longer what that run wrote (someone
	// changed it since), so apply --prune leaves it for a person to judge.
	Edited bool `json:"edited,omitempty"`
}

// GrantState is where one grant of a file stands in AWS.
type GrantState string

// Grant states.
const (
	GrantInPlace GrantState = "in-place" // every document holds exactly the grant's statements
	GrantMissing GrantState = "missing"  // none of them holds any
	GrantChanged GrantState = "changed"  // some are missing or differ: see the diffs
)

// GrantStatus is one grant's state, with a diff per document that differs
// (- what the grant writes, + what is there).
type GrantStatus struct {
	Index   int        `json:"index"`
	GrantID string     `json:"grant_id"`
	Scope   string     `json:"scope"`
	State   GrantState `json:"state"`
	Diffs   []string   `json:"diffs,omitempty"`
}

// SetStatus is the drift of a grants file: each grant's state and the
// extras.
type SetStatus struct {
	SetID   string        `json:"set_id"`
	Drifted bool          `json:"drifted"`
	Grants  []GrantStatus `json:"grants"`
	Extras  []Extra       `json:"extras"`
}

// Status reads every document the set's grants write, in every account
// (ReadSetLive: nothing is written), and compares each grant's own
// statements (its Sid prefix) with what it would write; foreign statements
// are not the file's to judge. Extras are what earlier runs of the same
// file (runs: the journal; see lineage) added and no grant of the file owns
// now, read again wherever they were written; s3grant statements that
// other runs (a single grant's apply, another file) or people added are
// not the file's, so never extra.
func Status(ctx context.Context, set *plan.Set, accts Accounts, parallel int, runs []*journal.Run) (*SetStatus, error) {
	if err := CheckSetAccounts(set, accts); err != nil {
		return nil, err
	}
	lives, err := ReadSetLive(ctx, set, accts, parallel)
	if err != nil {
		return nil, err
	}
	st := &SetStatus{SetID: set.SetID, Extras: []Extra{}}
	for i, g := range set.Grants {
		gs, err := grantStatus(i, g, lives[i])
		if err != nil {
			return nil, err
		}
		st.Grants = append(st.Grants, gs)
		st.Drifted = st.Drifted || gs.State != GrantInPlace
	}
	left, err := readLeft(ctx, leftBehind(runs, set), accts, parallel)
	if err != nil {
		return nil, err
	}
	for _, l := range left {
		st.Extras = append(st.Extras, l.extras...)
	}
	st.Drifted = st.Drifted || len(st.Extras) > 0
	return st, nil
}

// hasPolicy reports whether the document of a ref is a policy.
func hasPolicy(t journal.RefType) bool {
	switch t {
	case journal.AccessPoint, journal.BucketACL, journal.ObjectOwnership, journal.BucketLogging:
		return false
	default: // every other ref holds a JSON policy
		return true
	}
}

// grantStatus compares one grant's statements with what is there.
func grantStatus(i int, g *plan.Plan, live *Live) (GrantStatus, error) {
	gs := GrantStatus{Index: i, GrantID: g.GrantID, Scope: g.Spec.Scope()}
	present, absent := 0, 0
	for j, step := range g.Steps {
		ref, doc := live.Refs[j], live.Docs[j]
		d := g.DocumentFor(step)
		if d == nil || d.Policy == nil {
			if doc.Exists {
				present++
			} else {
				absent++
				gs.Diffs = append(gs.Diffs, describe(ref)+" in "+ref.AccountID+" does not exist\n")
			}
			continue
		}
		want := &policy.Policy{Version: policy.Version2012, Statement: d.Generated.Statement}
		got := &policy.Policy{Version: policy.Version2012}
		if doc.Exists {
			p, err := policy.Parse([]byte(doc.Raw))
			if err != nil {
				return gs, fmt.Errorf("the %s in %s cannot be read: %w", describe(ref), ref.AccountID, err)
			}
			for _, s := range p.Statement {
				if policy.Owned(s.Sid, g.SidPrefix) {
					got.Statement = append(got.Statement, s)
				}
			}
		}
		switch {
		case policy.Equal(want, got):
			present++
			continue
		case len(got.Statement) == 0:
			absent++
		}
		gs.Diffs = append(gs.Diffs, policy.Diff(describe(ref)+" in "+ref.AccountID, want, got))
	}
	switch {
	case len(gs.Diffs) == 0:
		gs.State = GrantInPlace
	case present == 0 && absent > 0:
		gs.State = GrantMissing
	default:
		gs.State = GrantChanged
	}
	return gs, nil
}
