package plan

import (
	"fmt"
	"io"

	"github.com/s3grant/s3grant/internal/textout"
	"github.com/s3grant/s3grant/policy"
)

// Sentence is one statement or ACL grant of a document in plain English.
type Sentence struct {
	// Label names what is described: the statement's Sid, "statement N"
	// (counting from 1) when it has none, or "grant N" for an ACL grant.
	Label string `json:"label"`
	Text  string `json:"text"`
}

// InWords explains every statement of the merged document (or every grant
// of an ACL), in document order: what the plan preview, check and audit show
// beside the JSON.
func (d *Document) InWords() []Sentence {
	if d.ACL != nil {
		var out []Sentence
		for i, s := range policy.DescribeACL(d.ACL) {
			out = append(out, Sentence{Label: fmt.Sprintf("grant %d", i+1), Text: s})
		}
		return out
	}
	return PolicyInWords(d.Policy, d.Kind, d.Target)
}

// PolicyInWords explains every statement of a policy document of kind k
// attached to holder (the role, user or managed policy ARN of an identity
// policy, the role of a trust policy; may be empty).
func PolicyInWords(p *policy.Policy, k policy.Kind, holder string) []Sentence {
	if p == nil {
		return nil
	}
	texts := policy.DescribePolicy(p, policy.DescribeOptions{Kind: k, Holder: holder})
	out := make([]Sentence, len(texts))
	for i, t := range texts {
		label := p.Statement[i].Sid
		if label == "" {
			label = fmt.Sprintf("statement %d", i+1)
		}
		out[i] = Sentence{Label: label, Text: t}
	}
	return out
}

// WriteInWords lists every document of the plan with its statements in
// words: what `s3grant check` prints under the access matrix, so each
// statement a reason names can be read in plain English.
func (p *Plan) WriteInWords(w io.Writer) error {
	tw := textout.New(w)
	tw.Printf("\nStatements in words\n")
	for _, d := range p.Documents {
		tw.Printf("  %s %s %s\n", d.Account, d.Kind, d.Target)
		for _, s := range d.InWords() {
			tw.Printf("    - %s: %s\n", s.Label, s.Text)
		}
	}
	return tw.Err()
}
