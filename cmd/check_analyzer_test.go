package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// editPlan rewrites one statement (by Sid suffix) of the plan's bucket
// policy, as a reviewer's hand edit would.
func editPlan(t *testing.T, planFile, sidSuffix string, edit func(st map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	done := false
	for _, d := range p["documents"].([]any) {
		doc := d.(map[string]any)
		if doc["kind"] != "bucket-policy" {
			continue
		}
		for _, s := range doc["document"].(map[string]any)["Statement"].([]any) {
			st := s.(map[string]any)
			if sid, _ := st["Sid"].(string); strings.HasSuffix(sid, sidSuffix) {
				edit(st)
				done = true
			}
		}
	}
	if !done {
		t.Fatalf("test setup: no bucket policy statement *%s", sidSuffix)
	}
	out, _ := json.Marshal(p)
	return writeFile(t, filepath.Dir(planFile), "edited.json", string(out))
}

// TestCheckProofNamesOverGrant: a plan whose bucket policy was edited by hand
// is refused before any check (exit 2, the plan is re-derived from its spec);
// the same edited documents, checked as what they are with
// --access-not-granted, fail (exit 3) naming the action and the statement
// that grants it.
func TestCheckProofNamesOverGrant(t *testing.T) {
	dir := t.TempDir()
	planFile := filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, with(validArgs, "--prefix", "reports/", "--out", planFile)...); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, errOut)
	}
	if code, out, _ := runCLI(t, "check", planFile); code != ExitOK || !strings.Contains(out, "Proof over every request: no access beyond the spec") {
		t.Fatalf("unmodified plan: exit %d:\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "check", "--access-not-granted", "s3:GetObjectVersion", planFile); code != ExitOK {
		t.Fatalf("unmodified plan, access-not-granted s3:GetObjectVersion: exit %d:\n%s", code, out)
	}
	edited := editPlan(t, planFile, "Objects", func(st map[string]any) {
		st["Action"] = []any{"s3:GetObject", "s3:GetObjectVersion"}
	})
	if code, _, errOut := runCLI(t, "check", edited); code != ExitBadInput || !strings.Contains(errOut, "documents[0].document") ||
		!strings.Contains(errOut, "s3:GetObjectVersion") {
		t.Fatalf("edited plan: exit %d, want 2 naming the edited document:\n%s", code, errOut)
	}
	code, out, _ := runCLI(t, "check", "--access-not-granted", "s3:GetObjectVersion", edited)
	if code != ExitCheckFail || !strings.Contains(out, "s3:GetObjectVersion") || !strings.Contains(out, "Objects") {
		t.Fatalf("edited documents, access-not-granted: exit %d, want 3 naming s3:GetObjectVersion and the statement:\n%s", code, out)
	}
	edited = editPlan(t, planFile, "List", func(st map[string]any) { delete(st, "Condition") })
	if code, _, errOut := runCLI(t, "check", edited); code != ExitBadInput || !strings.Contains(errOut, "s3:prefix") {
		t.Fatalf("s3:prefix dropped: exit %d, want 2 naming the dropped condition:\n%s", code, errOut)
	}
}

func TestCheckAnalyzerFlags(t *testing.T) {
	dir := t.TempDir()
	current := writeFile(t, dir, "current.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`)
	wider := writeFile(t, dir, "wider.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":["s3:GetObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::analytics-exports/reports/*"}]}`)
	public := writeFile(t, dir, "public.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/*"}]}`)

	if code, out, errOut := runCLI(t, "check", "--no-new-access", current, current); code != ExitOK || !strings.Contains(out, "PASS") {
		t.Fatalf("same policy: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "check", "--no-new-access", current, wider); code != ExitCheckFail || !strings.Contains(out, "s3:DeleteObject") {
		t.Fatalf("wider policy: exit %d\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "check", "--access-not-granted", "s3:DeleteObject", wider); code != ExitCheckFail || !strings.Contains(out, "s3:DeleteObject") {
		t.Fatalf("access-not-granted: exit %d\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "check", "--access-not-granted", "s3:DeleteObject", "--no-public-access", current); code != ExitOK {
		t.Fatalf("current policy: exit %d\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "check", "--no-public-access", public, "-o", "json"); code != ExitCheckFail || !strings.Contains(out, `"pass": false`) {
		t.Fatalf("public policy: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a wildcard action", []string{"check", "--access-not-granted", "s3:Delete*", current}, "access-not-granted"},
		{"not an S3 action", []string{"check", "--access-not-granted", "kms:Decrypt", current}, "example"},
		{"one file for no-new-access", []string{"check", "--no-new-access", current}, "EXISTING.json NEW.json"},
		{"a directory", []string{"check", "--no-public-access", dir}, "is a directory"},
		{"not a policy", []string{"check", "--no-new-access", current, writeFile(t, dir, "x.json", `[1]`)}, "NEW.json"},
		{"two plans without the flag", []string{"check", current, current}, "one PLAN.json"},
	} {
		code, _, errOut := runCLI(t, c.args...)
		if code != ExitBadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming %q", c.name, code, errOut, c.want)
		}
	}
}
