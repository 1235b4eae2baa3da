package aws_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/golden"
	"github.com/s3grant/s3grant/plan"
)

// TestAuditExamplesInSandbox: every example plan of the gallery, applied
// in the sandbox on the world's starting point (a foreign bucket policy
// and key statement), then audited as the owner sees it. The reports read
// as reviewed in testdata/golden/audit/ (go test ./aws -run
// AuditExamplesInSandbox -update): every grant with the requests it
// allows and the condition values they need, and no grant the plan wrote
// reads "denied" or is flagged as never allowing anything.
func TestAuditExamplesInSandbox(t *testing.T) {
	env := sandboxEnv(t)
	for _, ex := range plan.Examples() {
		t.Run(ex.Name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, env, "", 0)
			s := w.example(t, ex.Name)
			if s.KMSKey != "" {
				encryptWithKey(t, w)
			}
			prep := must(aws.Prepare(ctx, offlinePlan(t, s), w.accts, aws.PrepareOptions{AllowACLDowngrade: true}))(t)
			res := must(aws.Apply(ctx, prep, w.accts, fastApply(w)))(t)
			st := must(aws.ReadAudit(ctx, w.owner(), s.Bucket, aws.AuditOptions{OrgID: s.OrgID, Store: &w.store}))(t)
			r := audit.Audit(st)
			var text bytes.Buffer
			if err := r.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			keyID := w.keyARN[strings.LastIndex(w.keyARN, "/")+1:] // random per world
			out := strings.NewReplacer(res.RunID, "RUN-ID", w.keyARN, "KEY-ARN", keyID, "KEY-ID").Replace(text.String())
			out = regexp.MustCompile(`at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`).ReplaceAllString(out, "at TIME")
			golden.Check(t, "audit/"+strings.ReplaceAll(ex.Name, "/", "_")+".txt", []byte(out))
			for _, g := range r.Grants {
				if !strings.Contains(g.Statement, prep.Plan.SidPrefix) {
					continue // the world's foreign statements
				}
				for _, c := range g.Access {
					if c.Decision != "Allowed" {
						t.Errorf("%s: the plan's grant %s to %s reads denied: %s %s: %s", ex.Name, g.Statement, g.Who, c.Action, c.Resource, c.Why)
					}
				}
			}
			for _, f := range r.Findings {
				if f.Code == "grant-never-allows" && strings.Contains(f.Statement, prep.Plan.SidPrefix) {
					t.Errorf("%s: the plan's statement is flagged: %s", ex.Name, f.Message)
				}
			}
		})
	}
}
