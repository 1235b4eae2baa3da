package audit

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/s3grant/s3grant/internal/textout"
	"github.com/s3grant/s3grant/policy"
)

// CodeUnreadable is the finding of a bucket the audit could not read: who
// can reach it is unknown, so it counts as high (an account audit that
// skipped a bucket proves nothing about it).
const CodeUnreadable = "bucket-unreadable"

// AccountSummary is the audit of every bucket of an account: one row per
// bucket, most severe first, and the totals.
type AccountSummary struct {
	OwnerAccount string          `json:"owner_account"`
	Buckets      []BucketSummary `json:"buckets"`
	Totals       SeverityCounts  `json:"totals"`
	Unreadable   int             `json:"unreadable_buckets"`
}

// BucketSummary is one bucket's row: its findings by severity and who
// outside the account can reach what; Error says why it could not be read.
type BucketSummary struct {
	Bucket   string         `json:"bucket"`
	Region   string         `json:"region,omitempty"`
	Findings SeverityCounts `json:"findings"`
	Reach    []Reach        `json:"outside_reach"`
	Error    string         `json:"error,omitempty"`
	Report   *Report        `json:"report,omitempty"`
}

// SeverityCounts counts findings by severity.
type SeverityCounts struct {
	High    int `json:"high"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

func (c *SeverityCounts) add(s policy.Severity, n int) {
	switch s {
	case policy.SevHigh:
		c.High += n
	case policy.SevWarning:
		c.Warning += n
	case policy.SevInfo:
		c.Info += n
	}
}

// AtOrAbove counts the findings whose severity is at least floor.
func (c SeverityCounts) AtOrAbove(floor policy.Severity) int {
	n := 0
	counts := map[policy.Severity]int{policy.SevHigh: c.High, policy.SevWarning: c.Warning, policy.SevInfo: c.Info}
	for s, k := range counts {
		if s.Rank() >= floor.Rank() {
			n += k
		}
	}
	return n
}

// Reach is one principal outside the account and what the evaluator allows
// it on the bucket, across every document that grants it something.
type Reach struct {
	Who     string   `json:"who"`
	Kind    string   `json:"kind"`
	Account string   `json:"account,omitempty"`
	Allowed []string `json:"allowed"` // "ACTION on RESOURCE [via ACCESS POINT]", sorted
	// NotEvaluated says why some grant of the principal was not evaluated.
	NotEvaluated string `json:"not_evaluated,omitempty"`
}

// NewAccountSummary starts the summary of an account's buckets.
func NewAccountSummary(account string) *AccountSummary {
	return &AccountSummary{OwnerAccount: account, Buckets: []BucketSummary{}}
}

// Add records a bucket's report.
func (s *AccountSummary) Add(r *Report) {
	row := BucketSummary{Bucket: r.Bucket, Region: r.Region, Report: r, Reach: reach(r)}
	for _, f := range r.Findings {
		row.Findings.add(f.Severity, 1)
	}
	s.Totals.add(policy.SevHigh, row.Findings.High)
	s.Totals.add(policy.SevWarning, row.Findings.Warning)
	s.Totals.add(policy.SevInfo, row.Findings.Info)
	s.Buckets = append(s.Buckets, row)
}

// AddUnreadable records a bucket that could not be read, with why.
func (s *AccountSummary) AddUnreadable(bucket, region, why string) {
	row := BucketSummary{Bucket: bucket, Region: region, Error: why, Reach: []Reach{}}
	row.Findings.High = 1 // CodeUnreadable
	s.Totals.High++
	s.Unreadable++
	s.Buckets = append(s.Buckets, row)
}

// Sort puts the most severe buckets first (high, then warning counts),
// then by name.
func (s *AccountSummary) Sort() {
	slices.SortStableFunc(s.Buckets, func(a, b BucketSummary) int {
		return cmp.Or(
			cmp.Compare(b.Findings.High, a.Findings.High),
			cmp.Compare(b.Findings.Warning, a.Findings.Warning),
			cmp.Compare(a.Bucket, b.Bucket))
	})
}

// reach groups a report's grants by principal.
func reach(r *Report) []Reach {
	byWho := map[string]*Reach{}
	var order []string
	for _, g := range r.Grants {
		x := byWho[g.Who]
		if x == nil {
			x = &Reach{Who: g.Who, Kind: g.Kind, Account: g.Account, Allowed: []string{}}
			byWho[g.Who] = x
			order = append(order, g.Who)
		}
		if g.NotEvaluated != "" && x.NotEvaluated == "" {
			x.NotEvaluated = g.NotEvaluated
		}
		for _, c := range g.Access {
			if c.Decision != policy.Allowed {
				continue
			}
			a := c.Action + " on " + c.Resource
			if c.Via != "" {
				a += " via " + c.Via
			}
			if !slices.Contains(x.Allowed, a) {
				x.Allowed = append(x.Allowed, a)
			}
		}
	}
	out := make([]Reach, 0, len(order))
	for _, w := range order {
		slices.Sort(byWho[w].Allowed)
		out = append(out, *byWho[w])
	}
	return out
}

// WriteText renders the summary table, then who outside the account can
// reach what in each bucket, then the unreadable buckets with why.
func (s *AccountSummary) WriteText(w io.Writer) error {
	out := textout.New(w)
	out.Printf("Audit of every bucket of account %s: %d buckets, %d could not be read\n",
		s.OwnerAccount, len(s.Buckets), s.Unreadable)
	out.Printf("Findings: %d high, %d warning, %d info\n\n", s.Totals.High, s.Totals.Warning, s.Totals.Info)
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BUCKET\tREGION\tHIGH\tWARNING\tINFO\tREACHABLE FROM OUTSIDE BY")
	for _, b := range s.Buckets {
		who := fmt.Sprintf("%d principals", len(b.Reach))
		if b.Error != "" {
			who = "unknown: could not be read"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", b.Bucket, cmp.Or(b.Region, "-"),
			b.Findings.High, b.Findings.Warning, b.Findings.Info, who)
	}
	_ = tw.Flush() // writes to a strings.Builder, which cannot fail
	out.Printf("%s", table.String())
	out.Printf("\nWho outside account %s can reach what\n", s.OwnerAccount)
	none := true
	for _, b := range s.Buckets {
		if len(b.Reach) == 0 {
			continue
		}
		none = false
		out.Printf("  s3://%s\n", b.Bucket)
		for _, r := range b.Reach {
			writeReach(out, r)
		}
	}
	if none {
		out.Printf("  nobody: no document of a readable bucket grants a principal outside the account\n")
	}
	if s.Unreadable > 0 {
		out.Printf("\nBuckets that could not be read (%s: who can reach them is unknown)\n", CodeUnreadable)
		for _, b := range s.Buckets {
			if b.Error != "" {
				out.Printf("  s3://%s: %s\n", b.Bucket, b.Error)
			}
		}
	}
	out.Printf("\n`s3grant audit --bucket NAME` shows one bucket's findings and documents in full.\n")
	return out.Err()
}

func writeReach(out *textout.Writer, r Reach) {
	out.Printf("    %s (%s)\n", r.Who, r.Kind)
	if len(r.Allowed) == 0 {
		why := "the evaluator allows none of the audited requests"
		if r.NotEvaluated != "" {
			why = "not evaluated: " + r.NotEvaluated
		}
		out.Printf("      %s\n", why)
	}
	for _, a := range r.Allowed {
		out.Printf("      allowed %s\n", a)
	}
}
