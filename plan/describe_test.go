package plan

import (
	"strings"
	"testing"

	"github.com/s3grant/s3grant/policy"
)

// Every document of every example plan has one sentence per statement (or
// ACL grant), labelled with its Sid, and the text plan shows them.
func TestDocumentInWords(t *testing.T) {
	for _, ex := range Examples() {
		p, err := New(ex.Spec, nil)
		if err != nil {
			t.Fatalf("%s: %v", ex.Name, err)
		}
		var text strings.Builder
		if err := p.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Documents {
			words := d.InWords()
			n := 0
			if d.ACL != nil {
				n = len(d.ACL.Grants)
			}
			if d.Policy != nil {
				n = len(d.Policy.Statement)
				for i, w := range words {
					if w.Label != d.Policy.Statement[i].Sid {
						t.Errorf("%s: sentence %d labelled %q, want the Sid %q", ex.Name, i, w.Label, d.Policy.Statement[i].Sid)
					}
				}
			}
			if len(words) != n {
				t.Errorf("%s %s %s: %d sentences for %d statements", ex.Name, d.Kind, d.Target, len(words), n)
			}
			for _, w := range words {
				if !strings.Contains(text.String(), "- "+w.Label+": "+w.Text+"\n") {
					t.Errorf("%s: the text plan lacks %q", ex.Name, w.Text)
				}
			}
		}
	}
}

func TestPolicyInWordsLabelsStatementsWithoutSid(t *testing.T) {
	p, err := policy.Parse([]byte(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := PolicyInWords(p, policy.KindBucketPolicy, "")
	if len(got) != 1 || got[0].Label != "statement 1" || !strings.HasPrefix(got[0].Text, "Anyone, including anonymous requests, may read objects") {
		t.Fatalf("got %+v", got)
	}
}

func TestPlanWriteInWords(t *testing.T) {
	p, err := New(Examples()[0].Spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := p.WriteInWords(&b); err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Documents {
		if !strings.Contains(b.String(), string(d.Kind)+" "+d.Target) {
			t.Errorf("no heading for %s %s", d.Kind, d.Target)
		}
		for _, w := range d.InWords() {
			if !strings.Contains(b.String(), "- "+w.Label+": "+w.Text) {
				t.Errorf("missing %s", w.Label)
			}
		}
	}
}
