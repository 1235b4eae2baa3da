package aws

import (
	"context"
	"fmt"
	"sync"

	"github.com/s3grant/s3grant/plan"
)

// GrantProbes is the verification of one grant of a grants plan, from each
// of its consumer accounts.
type GrantProbes struct {
	Index   int     `json:"index"`
	GrantID string  `json:"grant_id"`
	Scope   string  `json:"scope"`
	OK      bool    `json:"ok"`
	Probes  []Probe `json:"probes"`
	// Unverified names the grant's consumer accounts that are not
	// connected: a grant is proven only from every one of them.
	Unverified []string `json:"unverified,omitempty"`
}

// VerifySet verifies every grant of a grants plan as Verify does one
// grant's plan (its probes from each of its consumer accounts), at most
// parallel grants at a time. With the owner connected (o.Owner), each
// bucket's settings are read once, for better advice. A grant whose
// consumer account is not connected is not OK: it was not proven.
func VerifySet(ctx context.Context, set *plan.Set, accts Accounts, o VerifyOptions,
	parallel int,
) ([]GrantProbes, error) {
	var facts map[string]plan.Facts
	if o.Owner != nil {
		var err error
		if facts, err = readSetFacts(ctx, set.Buckets(), o.Owner, parallel); err != nil {
			return nil, err
		}
	}
	if o.Progress != nil {
		var mu sync.Mutex
		progress := o.Progress
		o.Progress = func(ev Event) {
			mu.Lock()
			defer mu.Unlock()
			progress(ev)
		}
	}
	out := make([]GrantProbes, len(set.Grants))
	_ = bounded(len(set.Grants), parallel, func(i int) error {
		g, vo := set.Grants[i], o
		vo.Facts = facts[g.Spec.Bucket]
		out[i] = verifyGrant(ctx, i, g, accts, vo)
		return nil // a failed probe is in the grant's result
	})
	return out, nil
}

func verifyGrant(ctx context.Context, i int, g *plan.Plan, accts Accounts, o VerifyOptions) GrantProbes {
	gp := GrantProbes{Index: i, GrantID: g.GrantID, Scope: g.Spec.Scope(), OK: true, Probes: []Probe{}}
	for _, id := range g.Spec.ConsumerAccounts {
		consumer := accts.Consumers[id]
		if consumer == nil {
			gp.OK = false
			gp.Unverified = append(gp.Unverified, id)
			continue
		}
		for _, pr := range Verify(ctx, g, consumer, o) {
			gp.OK = gp.OK && pr.OK
			gp.Probes = append(gp.Probes, pr)
		}
	}
	return gp
}

// String summarises a grant's verification in one line.
func (gp GrantProbes) String() string {
	failed := 0
	for _, pr := range gp.Probes {
		if !pr.OK {
			failed++
		}
	}
	mark := "ok"
	if !gp.OK {
		mark = "FAIL"
	}
	s := fmt.Sprintf("grants[%d] %s %-4s %d probes, %d failed: %s", gp.Index, gp.GrantID, mark, len(gp.Probes), failed,
		gp.Scope)
	if len(gp.Unverified) > 0 {
		s += fmt.Sprintf(" (not verified from %v: connect it with --consumer-profile)", gp.Unverified)
	}
	return s
}
