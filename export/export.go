// Package export turns a plan into the artefacts teams land changes with: a
// reviewed bash script of AWS CLI calls, Terraform, or CloudFormation. Every
// artefact carries the plan's merged documents exactly as the plan produced
// them; nothing is re-derived. It imports neither the AWS SDK nor the TUI.
package export

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// Format is an export format.
type Format string

// The formats.
const (
	FormatCLI            Format = "cli"
	FormatTerraform      Format = "terraform"
	FormatCloudFormation Format = "cloudformation"
)

// Formats lists every format, for help and validation.
var Formats = []Format{FormatCLI, FormatTerraform, FormatCloudFormation}

// Options are the choices an export takes besides the plan.
type Options struct {
	// OwnerProfile is the AWS CLI / Terraform profile of the bucket owner's
	// account (default "owner").
	OwnerProfile string
	// ConsumerProfiles maps a consumer account ID to its profile. An account
	// missing here uses DefaultConsumerProfile.
	ConsumerProfiles map[string]string
	// DefaultConsumerProfile is the profile of consumer accounts not in
	// ConsumerProfiles (default "consumer").
	DefaultConsumerProfile string
	// Version is the s3grant version named in the generated headers.
	Version string
}

// File is one generated file, its path relative to the output directory.
type File struct {
	Path string
	Data []byte
	// Mode is the file mode: 0600 for anything holding a policy, 0700 for
	// the script (it is run, and it names the documents).
	Mode uint32
}

// Bundle is what one export produces.
type Bundle struct {
	Format Format
	Files  []File
}

// Export renders the plan in format f.
func Export(p *plan.Plan, f Format, o Options) (*Bundle, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	switch f {
	case FormatCLI:
		return cliBundle(p, o)
	case FormatTerraform:
		return terraformBundle(p, o)
	case FormatCloudFormation:
		return cloudFormationBundle(p, o)
	case FormatStackSet:
		return Many([]*plan.Plan{p}, f, o) // one grant is a list of one
	}
	return nil, fmt.Errorf("format: must be one of %s, got %q (e.g. --format terraform)", formatList(), f)
}

func formatList() string {
	names := make([]string, 0, len(Formats)+1)
	for _, f := range append(slices.Clone(Formats), FormatStackSet) {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// ParseFormat checks a format name: one of Formats or FormatStackSet.
func ParseFormat(s string) (Format, error) {
	for _, f := range append(slices.Clone(Formats), FormatStackSet) {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("format: must be one of %s, got %q (e.g. --format terraform)", formatList(), s)
}

func (o Options) withDefaults() Options {
	if o.OwnerProfile == "" {
		o.OwnerProfile = "owner"
	}
	if o.DefaultConsumerProfile == "" {
		o.DefaultConsumerProfile = "consumer"
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	return o
}

// Profile is the profile for an account of the plan.
func (o Options) Profile(side templates.Side, account string) string {
	if side == templates.Owner {
		return o.OwnerProfile
	}
	if p, ok := o.ConsumerProfiles[account]; ok && p != "" {
		return p
	}
	return o.DefaultConsumerProfile
}

// accounts lists the plan's accounts: the owner first, then each consumer
// account in the spec's order.
func accounts(p *plan.Plan) []account {
	out := []account{{side: templates.Owner, id: p.Spec.OwnerAccount}}
	for _, c := range p.Spec.ConsumerAccounts {
		out = append(out, account{side: templates.Consumer, id: c})
	}
	return out
}

type account struct {
	side templates.Side
	id   string
}

// lastSegment is the name at the end of an ARN's resource part
// (arn:aws:iam::1:role/path/name -> name).
func lastSegment(arn string) string {
	if i := strings.LastIndexAny(arn, "/:"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// bucketName is the bucket of an S3 bucket ARN.
func bucketName(arn string) string {
	if _, name, ok := strings.Cut(arn, ":::"); ok {
		return name
	}
	return arn
}

// mergeNote explains, for one document, how what existed was merged, so a
// reviewer knows what replacing the whole document means.
func mergeNote(p *plan.Plan, d *plan.Document) string {
	ours := 0
	if d.Generated != nil {
		ours = len(d.Generated.Statement)
	}
	switch {
	case d.ACL != nil && d.ExistingACL == nil:
		return "The bucket's current ACL was not read when the plan was made: " +
			"the owner's FULL_CONTROL grant is added with the owner's canonical ID, then s3grant's grants."
	case d.ACL != nil:
		return fmt.Sprintf("The bucket's ACL as read when the plan was made (%d grants) with s3grant's grants added; "+
			"every existing grant is kept.", len(d.ExistingACL.Grants))
	case !p.StateKnown:
		return fmt.Sprintf("The plan was made WITHOUT reading the current document: "+
			"this holds s3grant's %s (Sids starting %s) alone, and writing it REPLACES any document that exists. "+
			"Re-run s3grant plan --live and export again before applying.", statements(ours), p.SidPrefix)
	case d.Existing == nil:
		return fmt.Sprintf("No document existed when the plan was made: this is s3grant's %s (Sids starting %s).",
			statements(ours), p.SidPrefix)
	}
	return fmt.Sprintf("The document as read when the plan was made, "+
		"with s3grant's %s (Sids starting %s) added or replaced; its other %s are kept exactly. "+
		"AWS replaces the whole document on write, so apply this before anything else changes it.",
		statements(ours), p.SidPrefix, statements(len(d.Policy.Statement)-ours))
}

func statements(n int) string {
	if n == 1 {
		return "1 statement"
	}
	return fmt.Sprintf("%d statements", n)
}

// docFileName names a document's file after its step: 03-owner-bucket-policy.json.
func docFileName(st plan.Step, d *plan.Document) string {
	return fmt.Sprintf("%02d-%s-%s.json", st.ID, st.Account, d.Kind)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
