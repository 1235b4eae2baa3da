// Package lesson is `s3grant learn`: a short course in cross-account access
// to S3 where every decision is the sandbox's answer to a real signed
// request. The package holds the course only (steps, the documents each
// stage applies, the requests, what the learner should see, the rule and
// its AWS page); a Runner (cmd fills it with the sandbox and the aws
// package) applies the documents and sends the requests.
package lesson

import (
	"context"
	"fmt"
	"strings"
)

// Kind says where a document goes.
type Kind string

// The documents a stage can apply.
const (
	BucketPolicy      Kind = "bucket policy"            // the owner's bucket policy
	ConsumerRolePol   Kind = "identity policy"          // an inline policy of the consumer's role
	OwnerRoleTrust    Kind = "trust policy"             // creates the owner's role with this trust policy
	OwnerRolePerms    Kind = "role permissions"         // an inline policy of the owner's role
	AccessPointPolicy Kind = "access point policy"      // an access point and its policy (Account says whose)
	KeyPolicy         Kind = "key policy"               // the owner's customer managed key
	OwnershipControls Kind = "object ownership setting" // the bucket's Object Ownership (Text is the value)
	ManagedKeyObject  Kind = "object under aws/s3"      // the owner writes Target encrypted with the AWS managed key
)

// Doc is one document a stage applies, as the learner sees it.
type Doc struct {
	Kind    Kind   `json:"kind"`
	Account string `json:"account"`          // who owns the document
	Target  string `json:"target"`           // the bucket, role, access point or key it is attached to
	Text    string `json:"text"`             // the JSON applied (or the setting's value)
	Marked  string `json:"marked,omitempty"` // the Sid of the statement this stage adds or changes
}

// Op is what a request does.
type Op string

// The requests the lesson sends.
const (
	GetObject     Op = "GetObject"
	ListObjects   Op = "ListObjectsV2"
	AssumeRole    Op = "AssumeRole"
	PutObjectACL  Op = "PutObject"  // a PutObject with an ACL header (Req.ACL)
	GetViaAPAlias Op = "GetObject@" // a GetObject through an access point (Req.AccessPoint)
)

// Decision is the sandbox's answer in one word.
type Decision string

// Allowed and Denied are the two decisions; Failed is any other error.
const (
	Allowed Decision = "allowed"
	Denied  Decision = "denied"
	// Refused is a request S3 rejects before any policy is read (400), as
	// an ACL on a bucket whose ACLs are disabled.
	Refused Decision = "refused"
	Failed  Decision = "failed"
)

// Req is one request the consumer sends.
type Req struct {
	Op          Op       `json:"op"`
	Key         string   `json:"key,omitempty"`
	Prefix      string   `json:"prefix,omitempty"`
	PlainHTTP   bool     `json:"plain_http,omitempty"`   // sent over http://, where aws:SecureTransport is false
	ExternalID  string   `json:"external_id,omitempty"`  // AssumeRole's ExternalId
	ViaRole     bool     `json:"via_role,omitempty"`     // signed with the owner's role, assumed first
	AccessPoint string   `json:"access_point,omitempty"` // the access point ARN the request goes through
	ACL         string   `json:"acl,omitempty"`          // the x-amz-acl header of a PutObject
	AsOwner     bool     `json:"as_owner,omitempty"`     // sent by the owner's administrator instead
	Expect      Decision `json:"expect"`
	// Because is a piece of the sandbox's reasons the learner is shown
	// (a statement's Sid, a document's name): the test checks it is there.
	Because string `json:"because,omitempty"`
}

// Stage is one change and the requests that show its effect.
type Stage struct {
	Title    string `json:"title"`
	Apply    []Doc  `json:"apply,omitempty"`
	Requests []Req  `json:"requests"`
	Note     string `json:"note"` // what the learner should notice
}

// Step is one lesson: stages run in order from a fresh sandbox.
type Step struct {
	Number int     `json:"number"`
	Title  string  `json:"title"`
	Stages []Stage `json:"stages"`
	Rule   string  `json:"rule"` // the one sentence the step teaches
	Link   string  `json:"link"` // the AWS page that says so
	// Limit says what the sandbox cannot show faithfully, when something.
	Limit string `json:"limit,omitempty"`
}

// Outcome is the sandbox's answer to one request.
type Outcome struct {
	Decision Decision `json:"decision"`
	Status   string   `json:"status"`            // "200 OK", "403 AccessDenied", ...
	Reasons  []string `json:"reasons,omitempty"` // the sandbox's evaluator, one line each
}

// Runner is a sandbox the lesson drives.
type Runner interface {
	// Reset puts the sandbox back to the demo (and reports/q1.csv).
	Reset(ctx context.Context) error
	// Apply writes one document as its account's administrator.
	Apply(ctx context.Context, d Doc) error
	// Send sends one signed request as the consumer and says what came back.
	Send(ctx context.Context, r Req) Outcome
}

// Result is a stage's requests with the sandbox's answers.
type Result struct {
	Req     Req     `json:"request"`
	Command string  `json:"command"`
	Outcome Outcome `json:"outcome"`
}

// Matches says whether the answer is what the lesson teaches.
func (r Result) Matches() bool {
	if r.Outcome.Decision != r.Req.Expect {
		return false
	}
	return r.Req.Because == "" || strings.Contains(strings.Join(r.Outcome.Reasons, "\n"), r.Req.Because)
}

// RunStage applies the stage's documents and sends its requests. Stages of
// a step must run in order after Reset (Play does it).
func RunStage(ctx context.Context, rn Runner, st Stage) ([]Result, error) {
	for _, d := range st.Apply {
		if err := rn.Apply(ctx, d); err != nil {
			return nil, fmt.Errorf("apply the %s of %s: %w", d.Kind, d.Target, err)
		}
	}
	out := make([]Result, 0, len(st.Requests))
	for _, r := range st.Requests {
		out = append(out, Result{Req: r, Command: Command(r), Outcome: rn.Send(ctx, r)})
	}
	return out, nil
}

// Played is a step as the sandbox answered it.
type Played struct {
	Number int           `json:"number"`
	Title  string        `json:"title"`
	Stages []PlayedStage `json:"stages"`
	Rule   string        `json:"rule"`
	Link   string        `json:"link"`
	Limit  string        `json:"limit,omitempty"`
}

// PlayedStage is a stage's documents and the answers to its requests.
type PlayedStage struct {
	Title   string   `json:"title"`
	Apply   []Doc    `json:"apply,omitempty"`
	Results []Result `json:"results"`
	Note    string   `json:"note"`
}

// Mismatches lists the requests whose answer is not what the lesson
// teaches (empty when the lesson and the evaluator agree).
func (p Played) Mismatches() []string {
	var out []string
	for _, st := range p.Stages {
		for _, r := range st.Results {
			if !r.Matches() {
				out = append(out, fmt.Sprintf("step %d, %s: %s: sandbox %s (%s) %v, lesson expects %s because %q",
					p.Number, st.Title, r.Command,
					r.Outcome.Decision, r.Outcome.Status, r.Outcome.Reasons,
					r.Req.Expect, r.Req.Because))
			}
		}
	}
	return out
}

// Play resets the sandbox and runs every stage of step in order, so steps
// run in any order and replay the same way.
func Play(ctx context.Context, rn Runner, step Step) (Played, error) {
	p := Played{Number: step.Number, Title: step.Title, Rule: step.Rule, Link: step.Link, Limit: step.Limit}
	if err := rn.Reset(ctx); err != nil {
		return p, fmt.Errorf("reset the sandbox: %w", err)
	}
	for _, st := range step.Stages {
		res, err := RunStage(ctx, rn, st)
		if err != nil {
			return p, fmt.Errorf("step %d, %s: %w", step.Number, st.Title, err)
		}
		p.Stages = append(p.Stages, PlayedStage{Title: st.Title, Apply: st.Apply, Results: res, Note: st.Note})
	}
	return p, nil
}

// Find returns step n (1-based).
func Find(n int) (Step, error) {
	steps := Steps()
	if n < 1 || n > len(steps) {
		return Step{}, fmt.Errorf("step: must be from 1 to %d, e.g. --step 2, got %d", len(steps), n)
	}
	return steps[n-1], nil
}
