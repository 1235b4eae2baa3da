package audit

import (
	"fmt"
	"io"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/internal/textout"
	"github.com/s3grant/s3grant/policy"
)

// monitoringFindings says whether access to the bucket is recorded: server
// access logs and CloudTrail S3 data events.
func (a *auditor) monitoringFindings() {
	bucket := "bucket " + a.bucketARN()
	switch l := a.st.Logging; {
	case l == nil:
		a.add(policy.Finding{
			Code: "access-logging-unknown", Severity: policy.SevInfo, Document: bucket,
			Message: "server access logging could not be read",
		})
	case !l.Enabled:
		a.add(policy.Finding{
			Code: "access-logging-off", Severity: policy.SevWarning, Document: bucket,
			Message: "server access logging is off: requests to the bucket are not logged; " +
				"`s3grant audit --fix-logging --log-bucket NAME` turns it on",
		})
	default:
		a.add(policy.Finding{
			Code: "access-logging-on", Severity: policy.SevInfo, Document: bucket,
			Message: fmt.Sprintf("server access logs go to s3://%s/%s", l.TargetBucket, l.TargetPrefix),
		})
	}
	if !a.st.TrailsRead {
		a.add(policy.Finding{
			Code: "data-events-unknown", Severity: policy.SevInfo, Document: bucket,
			Message: "CloudTrail trails could not be read",
		})
		return
	}
	var recording []string
	for _, t := range a.st.Trails {
		switch {
		case t.DataEvents && t.Logging:
			recording = append(recording, fmt.Sprintf("%s (%s)", t.Name, t.Scope))
		case t.DataEvents:
			a.add(policy.Finding{
				Code: "trail-not-logging", Severity: policy.SevWarning, Document: "trail " + t.ARN,
				Message: "the trail selects S3 data events for the bucket but is not logging",
			})
		}
	}
	if len(recording) == 0 {
		a.add(policy.Finding{
			Code: "no-data-events", Severity: policy.SevWarning, Document: bucket,
			Message: "no CloudTrail trail of the owner account records S3 data events for this bucket: " +
				"object-level requests (GetObject, PutObject) are not in CloudTrail",
		})
		return
	}
	a.add(policy.Finding{
		Code: "data-events-on", Severity: policy.SevInfo, Document: bucket,
		Message: "CloudTrail records S3 data events for the bucket in " + strings.Join(recording, ", "),
	})
}

// WriteText renders the audit for people: who outside the account can reach
// the bucket and how, the findings, then every document in words.
func (r *Report) WriteText(w io.Writer) error {
	tw := textout.New(w)
	tw.Printf("Audit of s3://%s (owner account %s, region %s)\n", r.Bucket, r.OwnerAccount, r.Region)
	tw.Printf("\nWho outside account %s can reach the bucket\n", r.OwnerAccount)
	if len(r.Grants) == 0 {
		tw.Printf("  No document grants anything to a principal outside the account.\n")
	}
	for i, g := range r.Grants {
		tw.Printf("\n  %d. %s (%s)\n", i+1, g.Who, g.Kind)
		tw.Printf("     through %s, %s\n", g.Document, g.Statement)
		tw.Printf("     In words: %s\n", g.InWords)
		if n := roleNote(g); n != "" {
			tw.Printf("     %s\n", n)
		}
		writeAccess(tw, g, r.OwnerAccount)
	}
	tw.Printf("\nFindings\n")
	if len(r.Findings) == 0 {
		tw.Printf("  none\n")
	}
	for _, f := range r.Findings {
		where := f.Document
		if f.Statement != "" {
			where += ", " + f.Statement
		}
		tw.Printf("  [%s] %s (%s): %s\n", f.Severity, f.Code, where, f.Message)
	}
	r.writeMonitoring(tw)
	tw.Printf("\nDocuments in words\n")
	for _, d := range r.Documents {
		tw.Printf("  %s\n", d.Name)
		for _, s := range d.Words {
			tw.Printf("    - %s: %s\n", s.Label, s.Text)
		}
	}
	return tw.Err()
}

func writeAccess(tw *textout.Writer, g ExternalGrant, owner string) {
	if g.NotEvaluated != "" {
		tw.Printf("     Evaluator: not evaluated (%s)\n", g.NotEvaluated)
		return
	}
	if len(g.Access) == 0 {
		tw.Printf("     Evaluator: no audited action applies to this bucket\n")
		return
	}
	if g.AsRole != "" {
		tw.Printf("     Evaluator (what a session of the role can do, " +
			"under every class of condition values the documents compare):\n")
	} else {
		tw.Printf("     Evaluator (under every class of condition values the documents compare; " +
			"the principal's own IAM assumed to allow):\n")
	}
	if as := g.Access[0].As; as != "" {
		tw.Printf("       as %s\n", as)
	}
	for _, c := range g.Access {
		via := ""
		if c.Via != "" {
			via = " only through access point " + c.Via
			if acct := arn.AccountOf(c.Via); acct != owner {
				via += " (account " + acct + "'s: its policy, which that account writes, assumed to let the caller in)"
			}
		}
		if c.Decision != policy.Allowed {
			tw.Printf("       denied (%s) %s on %s%s, whatever the condition values\n",
				c.Decision, c.Action, c.Resource, via)
			if c.Why != "" {
				tw.Printf("         why: %s\n", c.Why)
			}
			continue
		}
		tw.Printf("       allowed %s on %s%s%s\n", c.Action, c.Resource, via, whenText(c))
	}
}

// whenText is " when ..." for a check allowed only under some condition
// values, "" when any values will do.
func whenText(c AccessCheck) string {
	switch {
	case len(c.When) == 0:
		return ""
	case c.WhenAnyOf:
		return " when one of: (" + strings.Join(c.When, "); (") + ")"
	}
	return " when " + strings.Join(c.When, " and ")
}

func (r *Report) writeMonitoring(tw *textout.Writer) {
	tw.Printf("\nMonitoring\n")
	switch l := r.Monitoring.AccessLogging; {
	case l == nil:
		tw.Printf("  Server access logging: unknown (could not be read)\n")
	case l.Enabled:
		tw.Printf("  Server access logging: on, to s3://%s/%s\n", l.TargetBucket, l.TargetPrefix)
	default:
		tw.Printf("  Server access logging: off\n")
	}
	switch {
	case !r.Monitoring.TrailsRead:
		tw.Printf("  CloudTrail S3 data events: unknown (trails could not be read)\n")
	case len(r.Monitoring.Trails) == 0:
		tw.Printf("  CloudTrail S3 data events: no trail of the owner account records them for this bucket\n")
	}
	for _, t := range r.Monitoring.Trails {
		state := "logging"
		if !t.Logging {
			state = "NOT logging"
		}
		tw.Printf("  CloudTrail S3 data events: trail %s (%s; %s)\n", t.Name, t.Scope, state)
	}
}
