package lesson

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/policy"
)

// TestStepsAreComplete: every step teaches one rule with an AWS page, and
// every request says what the learner should see.
func TestStepsAreComplete(t *testing.T) {
	for i, s := range Steps() {
		if s.Number != i+1 {
			t.Errorf("step %d numbered %d", i+1, s.Number)
		}
		if s.Rule == "" || !strings.HasPrefix(s.Link, "https://docs.aws.amazon.com/") {
			t.Errorf("step %d: rule %q, link %q", s.Number, s.Rule, s.Link)
		}
		for _, st := range s.Stages {
			if len(st.Requests) == 0 || st.Note == "" {
				t.Errorf("step %d, %s: no request or no note", s.Number, st.Title)
			}
			for _, r := range st.Requests {
				if r.Expect != Allowed && r.Expect != Denied && r.Expect != Refused {
					t.Errorf("step %d, %s: request %s expects %q", s.Number, st.Title, Command(r), r.Expect)
				}
			}
			for _, d := range st.Apply {
				if _, err := policy.Parse([]byte(d.Text)); d.Kind != OwnershipControls && d.Kind != ManagedKeyObject && err != nil {
					t.Errorf("step %d: the %s of %s does not parse: %v", s.Number, d.Kind, d.Target, err)
				}
			}
		}
	}
}

// TestMarkLines marks exactly the statement named, braces included.
func TestMarkLines(t *testing.T) {
	d := ownerHalf(consumerRoleARN)
	var marked []string
	for _, l := range MarkLines(d) {
		if l.Marked {
			marked = append(marked, strings.TrimSpace(l.Text))
		}
	}
	got := strings.Join(marked, "")
	if !strings.HasPrefix(got, `{"Sid": "ReadReports"`) || !strings.HasSuffix(got, "},") || strings.Contains(got, "ListReports") {
		t.Errorf("marked %q", got)
	}
	d.Marked = ""
	for _, l := range MarkLines(d) {
		if l.Marked {
			t.Fatalf("line %q marked with no Sid named", l.Text)
		}
	}
}

func TestFind(t *testing.T) {
	if s, err := Find(2); err != nil || s.Number != 2 {
		t.Errorf("Find(2) = %d, %v", s.Number, err)
	}
	for _, n := range []int{0, -1, len(Steps()) + 1} {
		if _, err := Find(n); err == nil || !strings.Contains(err.Error(), "step: must be from 1 to") {
			t.Errorf("Find(%d) error %v", n, err)
		}
	}
}

// fake answers every request with one decision: Matches and Mismatches
// must notice an answer that differs from the lesson.
type fake struct {
	d       Decision
	reasons []string
	resets  int
	applied []Doc
	failOn  Kind
}

func (f *fake) Reset(context.Context) error { f.resets++; return nil }
func (f *fake) Apply(_ context.Context, d Doc) error {
	if d.Kind == f.failOn {
		return errors.New("boom")
	}
	f.applied = append(f.applied, d)
	return nil
}

func (f *fake) Send(context.Context, Req) Outcome { return Outcome{Decision: f.d, Reasons: f.reasons} }

func TestPlayFlagsDrift(t *testing.T) {
	step, _ := Find(3)
	f := &fake{d: Allowed}
	p, err := Play(context.Background(), f, step)
	if err != nil || f.resets != 1 || len(f.applied) != 2 {
		t.Fatalf("Play: %v, %d resets, %d applied", err, f.resets, len(f.applied))
	}
	if n := len(p.Mismatches()); n != 3 {
		t.Errorf("%d mismatches with everything allowed, want the 3 denials: %v", n, p.Mismatches())
	}
	// Right decision, wrong reason: still a mismatch.
	f = &fake{d: Denied, reasons: []string{"something else"}}
	p, _ = Play(context.Background(), f, Steps()[0])
	if len(p.Mismatches()) != 1 {
		t.Errorf("a denial for another reason was not flagged")
	}
	f = &fake{failOn: BucketPolicy}
	if _, err := Play(context.Background(), f, step); err == nil || !strings.Contains(err.Error(), "bucket policy") {
		t.Errorf("a failed apply: %v", err)
	}
}
