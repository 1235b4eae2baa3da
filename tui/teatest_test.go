package tui

import (
	"bytes"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// TestFlowPerMethod runs the wizard in a real tea.Program (teatest) from
// the method screen to the preview, once per method, and checks the plan it
// shows is the one `s3grant plan` builds from the same answers.
func TestFlowPerMethod(t *testing.T) {
	wantDoc := map[spec.Method]string{
		spec.MethodBucketPolicy: "bucket-policy analytics-exports",
		spec.MethodIAMRole:      "trust-policy s3grant-analytics-exports",
		spec.MethodAccessPoint:  "bucket-policy analytics-exports",
		spec.MethodACL:          "bucket-acl analytics-exports",
	}
	for i, m := range spec.Methods {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			s := spec.Spec{OwnerAccount: owner, ConsumerAccounts: []string{consumer}}
			model := New(t.Context(), Options{Spec: s, Renderer: lipgloss.NewRenderer(io.Discard)})
			tm := teatest.NewTestModel(t, model, teatest.WithInitialTermSize(120, 40))
			waitFor(t, tm, "Owner account ID")
			press(tm, tea.KeyEnter, tea.KeyEnter) // accounts pre-filled from flags
			waitFor(t, tm, "How should the consumer get in?")
			for range i {
				press(tm, tea.KeyDown)
			}
			press(tm, tea.KeyEnter)
			if m == spec.MethodACL {
				waitFor(t, tm, "ACLs: read this before you continue")
				typeLine(tm, "acl")
			}
			waitFor(t, tm, "The bucket")
			answerProgram(t, tm, m)
			waitFor(t, tm, wantDoc[m])
			tm.Type("qy")
			final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
			p := final.preview.plan
			if final.page != pagePreview || p == nil || p.Spec.Method != m {
				t.Fatalf("ended on page %d with plan %+v", final.page, p)
			}
			want, err := plan.New(final.ans.Spec(), &plan.State{})
			if err != nil || want.GrantID != p.GrantID || len(want.Steps) != len(p.Steps) {
				t.Fatalf("the wizard's plan differs from plan.New on the same answers (%v)", err)
			}
			if len(p.Side(templates.Owner)) == 0 {
				t.Fatal("no owner document")
			}
		})
	}
}

// answerProgram answers the questions like answerAll, waiting for each
// field's focus before typing: huh moves between fields through commands,
// so keys typed too soon would land in the previous field.
func answerProgram(t *testing.T, tm *teatest.TestModel, m spec.Method) {
	at := func(title string) { waitFor(t, tm, "┃ "+title) }
	// The bucket has the focus already: the caller waited for its screen.
	typeLine(tm, "analytics-exports")
	at("Region")
	typeLine(tm, "eu-west-1")
	at("Access")
	press(tm, tea.KeyEnter)
	if m != spec.MethodACL {
		at("Prefixes")
		typeLine(tm, "reports/")
	}
	at("Consumer principals")
	press(tm, tea.KeyEnter)
	switch m {
	case spec.MethodIAMRole:
		at("Role name")
		press(tm, tea.KeyEnter)
		at("Is the consumer a third party")
		press(tm, tea.KeyEnter)
	case spec.MethodAccessPoint:
		at("Access point name")
		press(tm, tea.KeyEnter)
		at("Which account owns the access point?")
		press(tm, tea.KeyEnter)
	case spec.MethodACL:
		at("Canonical user IDs")
		typeLine(tm, plan.ExCanonical)
		at("Object Ownership")
		press(tm, tea.KeyEnter) // no consent: apply would stop
	default: // no special case
	}
	at("Are the objects encrypted")
	press(tm, tea.KeyEnter)
	at("Organization ID")
	press(tm, tea.KeyEnter)
	at("Deny plain-HTTP requests?")
	press(tm, tea.KeyEnter)
}

func typeLine(tm *teatest.TestModel, s string) {
	tm.Type(s)
	press(tm, tea.KeyEnter)
}

func press(tm *teatest.TestModel, keys ...tea.KeyType) {
	for _, k := range keys {
		tm.Send(tea.KeyMsg{Type: k})
		time.Sleep(60 * time.Millisecond)
	}
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}
