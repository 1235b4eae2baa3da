package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadShapes(t *testing.T) map[string]*Policy {
	t.Helper()
	files, err := filepath.Glob("testdata/shapes/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shape fixtures: %v", err)
	}
	out := map[string]*Policy{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = p
	}
	return out
}

func TestParseToleratedShapes(t *testing.T) {
	shapes := loadShapes(t)
	obj := shapes["object-statement.json"]
	if !obj.SingleStatement || len(obj.Statement) != 1 || !obj.Statement[0].Action.Single {
		t.Errorf("object statement shape not kept: %+v", obj)
	}
	old := shapes["version-2008.json"]
	if old.Version != Version2008 || old.ID != "LegacyPolicy" || !old.Statement[0].Principal.Wildcard {
		t.Errorf("2008 shape not kept: %s", old.Canonical())
	}
	dup := shapes["no-sids-duplicates.json"]
	if dup.Version != "" || dup.Statement[0].Sid != "" || dup.Statement[1].Sid != dup.Statement[2].Sid {
		t.Errorf("missing/duplicate Sids not kept: %s", dup.Canonical())
	}
	cond := dup.Statement[2].Condition
	if got := cond["StringEquals"]["aws:SourceAccount"].Strings(); got[0] != "111122223333" {
		t.Errorf("numeric condition value = %v", got)
	}
	if got := cond["Bool"]["aws:SecureTransport"].Strings(); got[0] != "true" {
		t.Errorf("bool condition value = %v", got)
	}
}

// A canonical document parses back to the same canonical bytes, keeping the
// author's string-or-list shapes.
func TestCanonicalRoundTrip(t *testing.T) {
	for name, p := range loadShapes(t) {
		c1 := p.Canonical()
		q, err := Parse(c1)
		if err != nil {
			t.Fatalf("%s: reparse: %v", name, err)
		}
		if c2 := q.Canonical(); !bytes.Equal(c1, c2) {
			t.Errorf("%s: canonical form not stable:\n%s\n---\n%s", name, c1, c2)
		}
		if bytes.ContainsAny(p.Minified(), "\n ") && !strings.Contains(string(p.Minified()), " ") {
			t.Errorf("%s: minified form has white space", name)
		}
		if !strings.HasPrefix(string(c1), "{\n  \"") {
			t.Errorf("%s: not 2-space indented: %.20q", name, c1)
		}
	}
}

func ours(prefix string) []Statement {
	return []Statement{
		{
			Sid: prefix + "Objects", Effect: Allow, Principal: AWSPrincipals("arn:aws:iam::222233334444:role/analytics"),
			Action: One("s3:GetObject"), Resource: One("arn:aws:s3:::analytics-exports/reports/*"),
		},
		{
			Sid: prefix + "DenyInsecureTransport", Effect: Deny, Principal: &Principal{Wildcard: true}, Action: One("s3:*"),
			Resource:  List("arn:aws:s3:::analytics-exports", "arn:aws:s3:::analytics-exports/*"),
			Condition: Conditions{}.Add("Bool", "aws:SecureTransport", CondStrings("false")),
		},
	}
}

func TestMergeKeepsForeignStatements(t *testing.T) {
	const prefix = "S3GrantB7C80A24"
	for name, existing := range loadShapes(t) {
		before := existing.Canonical()
		merged := Merge(existing, prefix, ours(prefix))
		if !bytes.Equal(existing.Canonical(), before) {
			t.Fatalf("%s: Merge modified its input", name)
		}
		foreign := Foreign(existing, prefix)
		got := Foreign(merged, prefix)
		if len(got) != len(foreign) {
			t.Fatalf("%s: %d foreign statements after merge, want %d", name, len(got), len(foreign))
		}
		for i := range foreign {
			if !bytes.Equal(got[i].Canonical(), foreign[i].Canonical()) {
				t.Errorf("%s: foreign statement %d changed:\n%s\n---\n%s", name, i, foreign[i].Canonical(), got[i].Canonical())
			}
		}
		if n := countOwned(merged, prefix); n != 2 {
			t.Errorf("%s: %d owned statements after merge, want 2", name, n)
		}
		again := Merge(merged, prefix, ours(prefix))
		if !bytes.Equal(again.Canonical(), merged.Canonical()) {
			t.Errorf("%s: merging twice changed the document:\n%s", name, Diff(name, merged, again))
		}
		back := Unmerge(merged, prefix)
		if !SemanticEqual(&Policy{Statement: back.Statement}, &Policy{Statement: Foreign(existing, prefix)}) {
			t.Errorf("%s: removing our statements did not give back the original:\n%s", name, Diff(name, existing, back))
		}
		if merged.Version == "" && existing.Version != "" {
			t.Errorf("%s: version dropped", name)
		}
	}
}

func TestMergeReplacesOnlyThisGrant(t *testing.T) {
	const prefix = "S3GrantB7C80A24"
	existing := loadShapes(t)["previous-grant.json"]
	merged := Merge(existing, prefix, ours(prefix))
	var sids []string
	for _, s := range merged.Statement {
		sids = append(sids, s.Sid)
	}
	want := "KeepMe,S3GrantB7C80A24Objects,S3GrantB7C80A24DenyInsecureTransport,S3GrantFFFFFFFFObjects,AfterMine"
	if got := strings.Join(sids, ","); got != want {
		t.Errorf("statement order = %s\nwant %s", got, want)
	}
	if strings.Contains(string(merged.Canonical()), "analytics-exports/old/*") {
		t.Error("the grant's previous statement was kept")
	}
}

func TestMergeVersion(t *testing.T) {
	noVersion := &Policy{Statement: []Statement{{Effect: Allow, Principal: AWSPrincipals("111122223333"), Action: One("s3:GetObject"), Resource: One("arn:aws:s3:::b/*")}}}
	if got := Merge(noVersion, "S3GrantX", nil).Version; got != Version2012 {
		t.Errorf("no version, no variables: got %q, want 2012-10-17", got)
	}
	withVar := noVersion.Clone()
	withVar.Statement[0].Resource = One("arn:aws:s3:::b/${aws:username}/*")
	if got := Merge(withVar, "S3GrantX", nil).Version; got != "" {
		t.Errorf("no version with a literal ${...}: got %q, want it kept empty (2008 semantics)", got)
	}
	if got := Merge(nil, "S3GrantX", ours("S3GrantX")).Version; got != Version2012 {
		t.Errorf("new document version = %q", got)
	}
}

func countOwned(p *Policy, prefix string) int {
	n := 0
	for _, s := range p.Statement {
		if Owned(s.Sid, prefix) {
			n++
		}
	}
	return n
}

func TestParseRejects(t *testing.T) {
	cases := map[string]string{
		"not json":           `{`,
		"array":              `[]`,
		"bad version":        `{"Version":"2012-10-18","Statement":[]}`,
		"unknown element":    `{"Version":"2012-10-17","Statements":[]}`,
		"bad effect":         `{"Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}`,
		"no action":          `{"Statement":[{"Effect":"Allow","Resource":"*"}]}`,
		"action and not":     `{"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}]}`,
		"principal string":   `{"Statement":[{"Effect":"Allow","Principal":"111122223333","Action":"s3:*","Resource":"*"}]}`,
		"principal type":     `{"Statement":[{"Effect":"Allow","Principal":{"Account":"1"},"Action":"s3:*","Resource":"*"}]}`,
		"unknown operator":   `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"a":"b"}}}]}`,
		"nested value":       `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a":{"b":"c"}}}}]}`,
		"empty action list":  `{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}`,
		"number in action":   `{"Statement":[{"Effect":"Allow","Action":[1],"Resource":"*"}]}`,
		"trailing data":      `{"Statement":[]} {}`,
		"resource and not":   `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"x"}]}`,
		"statement a string": `{"Statement":"x"}`,
	}
	for name, doc := range cases {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: accepted %s", name, doc)
		} else if !strings.HasPrefix(err.Error(), "policy: ") {
			t.Errorf("%s: error %q does not say where", name, err)
		}
	}
}

func TestKnownOperator(t *testing.T) {
	for _, op := range []string{"StringEquals", "ForAnyValue:StringLike", "ForAllValues:StringEqualsIfExists", "Null", "BoolIfExists", "ArnLike", "IpAddress", "DateGreaterThanEquals"} {
		if !KnownOperator(op) {
			t.Errorf("%s: not known", op)
		}
	}
	for _, op := range []string{"NullIfExists", "StringEqual", "ForAnyValue:", "Foo"} {
		if KnownOperator(op) {
			t.Errorf("%s: known", op)
		}
	}
}

func TestSizeLimits(t *testing.T) {
	p := &Policy{Version: Version2012, Statement: ours("S3GrantX")}
	if err := p.CheckSize(KindTrustPolicy); err != nil {
		t.Errorf("small document rejected: %v", err)
	}
	for len(p.Minified()) <= MaxSize(KindTrustPolicy) {
		p.Statement = append(p.Statement, ours("S3GrantX")...)
	}
	if err := p.CheckSize(KindTrustPolicy); err == nil || !strings.Contains(err.Error(), "trust-policy") {
		t.Errorf("oversized trust policy: err = %v", err)
	}
	if err := p.CheckSize(KindBucketPolicy); err != nil {
		t.Errorf("same document as a bucket policy: %v", err)
	}
}

func TestACLMergeKeepsOwner(t *testing.T) {
	owner := strings.Repeat("a", 64)
	existing := &ACL{Owner: owner, Grants: []Grant{{Type: GranteeGroup, URI: GroupLogDelivery, Permission: PermWrite}}}
	ours := []Grant{{Type: GranteeCanonicalUser, ID: strings.Repeat("b", 64), Permission: PermRead}}
	got, err := MergeACL(existing, ours)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Has(Grant{Type: GranteeCanonicalUser, ID: owner, Permission: PermFullControl}) || !got.Has(existing.Grants[0]) || !got.Has(ours[0]) {
		t.Errorf("merged ACL lost a grant: %s", got.Canonical())
	}
	again, _ := MergeACL(got, ours)
	if len(again.Grants) != len(got.Grants) {
		t.Error("merging twice added a grant")
	}
	back := UnmergeACL(got, ours)
	if back.Has(ours[0]) || !back.Has(existing.Grants[0]) {
		t.Errorf("unmerge: %s", back.Canonical())
	}
	many := &ACL{Owner: owner}
	for i := 0; i < MaxACLGrants; i++ {
		many.Grants = append(many.Grants, Grant{Type: GranteeCanonicalUser, ID: strings.Repeat("c", 63) + string(rune('0'+i%10)), Permission: []string{PermRead, PermWrite, PermReadACP, PermWriteACP, PermFullControl, "X", "Y", "Z", "W", "V"}[i/10]})
	}
	if _, err := MergeACL(many, ours); err == nil {
		t.Error("an ACL over 100 grants was accepted")
	}
}
