package check

import (
	"fmt"

	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
)

// LintPlan lints every document the plan writes, as merged with what
// exists. Rules about what a document lacks (a TLS deny, the owner's access
// to its key) only run when the document is complete: when what exists was
// read (or the document is new in a known state); otherwise apply merges
// s3grant's statements into a document not seen yet.
func LintPlan(p *plan.Plan) []policy.Finding {
	var out []policy.Finding
	for _, d := range p.Documents {
		name := fmt.Sprintf("%s %s", d.Kind, d.Target)
		if d.Kind == policy.KindBucketACL {
			out = append(out, policy.LintACL(d.ACL, name)...)
			continue
		}
		kind := d.Kind
		if d.Managed {
			kind = policy.KindManagedPolicy
		}
		out = append(out, policy.Lint(d.Policy, policy.LintTarget{
			Kind: kind, Name: name, OwnerAccount: d.AccountID,
			Complete: p.StateKnown || d.Existing != nil,
		})...)
	}
	return out
}
