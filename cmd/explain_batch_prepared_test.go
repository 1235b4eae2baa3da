package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExplainBatchCompiledOncePerDocuments: without reasons, a batch
// compiles each distinct set of documents once and reuses it; lines that
// differ only in one document (a bucket policy, a key policy, a trust
// policy, an identity policy) are still decided on their own documents,
// as with reasons.
func TestExplainBatchCompiledOncePerDocuments(t *testing.T) {
	const (
		role  = "arn:aws:iam::222233334444:role/analytics"
		allow = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + role +
			`"},"Action":["s3:GetObject","sts:AssumeRole","kms:Decrypt"],"Resource":"*"}]}`
		none = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},` +
			`"Action":"s3:GetObject","Resource":"*"}]}`
		ident = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
		deny  = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`
	)
	line := func(resource, action, field, doc, identity string) string {
		return `{"principal":"` + role + `","action":"` + action + `","resource":"` + resource +
			`","resource_account":"111122223333","identity_policies":[` + identity + `],"` + field + `":` + doc + `}`
	}
	obj, trust := "arn:aws:s3:::exports/a.csv", "arn:aws:iam::111122223333:role/app"
	key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	lines := []string{
		line(obj, "s3:GetObject", "resource_policy", allow, ident),
		line(obj, "s3:GetObject", "resource_policy", none, ident),
		line(obj, "s3:GetObject", "resource_policy", allow, deny),
		line(obj, "s3:GetObject", "resource_policy", allow, ident),
		line(trust, "sts:AssumeRole", "resource_policy", allow, ident),
		line(trust, "sts:AssumeRole", "resource_policy", none, ident),
		line(key, "kms:Decrypt", "key_policy", allow, ident), line(key, "kms:Decrypt", "key_policy", none, ident),
		line(trust, "sts:AssumeRole", "resource_policy", allow, ident),
	}
	input := strings.Join(lines, "\n") + "\n"
	_, withReasons, errOut := runCLIIn(t, input, "explain", "--batch", "-")
	_, without, _ := runCLIIn(t, input, "explain", "--batch", "-", "--reasons=false")
	want, got := strings.Split(strings.TrimSpace(withReasons), "\n"), strings.Split(strings.TrimSpace(without), "\n")
	if len(want) != len(lines) || len(got) != len(lines) {
		t.Fatalf("%d lines, %d and %d answers: %s", len(lines), len(want), len(got), errOut)
	}
	seen := map[string]bool{}
	for i := range lines {
		var w, g batchAnswer
		if json.Unmarshal([]byte(want[i]), &w) != nil || json.Unmarshal([]byte(got[i]), &g) != nil || w.Error != "" {
			t.Fatalf("line %d: %s / %s", i+1, want[i], got[i])
		}
		if w.Decision != g.Decision {
			t.Errorf("line %d: %s with reasons, %s without", i+1, w.Decision, g.Decision)
		}
		seen[string(w.Decision)] = true
	}
	if !seen["Allowed"] || len(seen) < 2 {
		t.Errorf("the lines must decide differently to test anything: %v", seen)
	}
}
