package plan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/golden"
)

func goldenName(example string) string { return strings.ReplaceAll(example, "/", "_") }

// Every method x access level x option renders to the reviewed plan, as JSON
// and as text.
func TestGoldenPlans(t *testing.T) {
	seen := map[string]bool{}
	for _, ex := range Examples() {
		t.Run(ex.Name, func(t *testing.T) {
			if seen[ex.Name] {
				t.Fatalf("duplicate example name %s", ex.Name)
			}
			seen[ex.Name] = true
			p, err := New(ex.Spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			js, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, goldenName(ex.Name)+".json", append(js, '\n'))
			var text bytes.Buffer
			if err := p.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, goldenName(ex.Name)+".txt", text.Bytes())
		})
	}
}

// A plan written as JSON reads back to the same plan.
func TestPlanJSONRoundTrip(t *testing.T) {
	for _, ex := range Examples() {
		p, err := New(ex.Spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(p)
		var back Plan
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatalf("%s: %v", ex.Name, err)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("%s: read-back plan invalid: %v", ex.Name, err)
		}
		js2, _ := json.Marshal(&back)
		if !bytes.Equal(js, js2) {
			t.Errorf("%s: plan JSON does not round-trip", ex.Name)
		}
	}
}

// The plan JSON carries the fields scripts rely on.
func TestPlanJSONFields(t *testing.T) {
	p, err := New(Examples()[0].Spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(p)
	var raw map[string]any
	if err := json.Unmarshal(js, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"spec", "steps", "documents", "warnings"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("plan JSON has no %q", k)
		}
	}
	step := raw["steps"].([]any)[0].(map[string]any)
	for _, k := range []string{"account", "operation", "target"} {
		if _, ok := step[k]; !ok {
			t.Errorf("step has no %q", k)
		}
	}
	doc := raw["documents"].([]any)[0].(map[string]any)
	for _, k := range []string{"account", "kind", "target", "document"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("document has no %q", k)
		}
	}
	if _, ok := doc["document"].(map[string]any); !ok {
		t.Errorf("document.document is %T, want a JSON object", doc["document"])
	}
}
