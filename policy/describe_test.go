package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// describeCase is one statement of the explanation corpus.
type describeCase struct {
	Name      string          `json:"name"`
	Kind      Kind            `json:"kind"`
	Holder    string          `json:"holder"`
	Version   string          `json:"version"`
	Statement json.RawMessage `json:"statement"`
}

func loadDescribeCorpus(t *testing.T) ([]describeCase, []Statement) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "describe", "corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []describeCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	stmts := make([]Statement, len(cases))
	for i, c := range cases {
		if c.Version == "" {
			cases[i].Version = Version2012
		}
		doc := fmt.Sprintf(`{"Version":%q,"Statement":[%s]}`, cases[i].Version, c.Statement)
		p, err := Parse([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		stmts[i] = p.Statement[0]
	}
	return cases, stmts
}

// The corpus explains to the reviewed sentences in
// testdata/describe/golden.txt (go test ./policy -run Describe -update).
func TestDescribeGolden(t *testing.T) {
	cases, stmts := loadDescribeCorpus(t)
	if len(cases) < 60 {
		t.Fatalf("the corpus holds %d statements, want at least 60", len(cases))
	}
	var out bytes.Buffer
	seen := map[string]bool{}
	for i, c := range cases {
		if seen[c.Name] {
			t.Fatalf("duplicate case name %s", c.Name)
		}
		seen[c.Name] = true
		got := Describe(stmts[i], DescribeOptions{Kind: c.Kind, Holder: c.Holder, Version: c.Version})
		fmt.Fprintf(&out, "## %s (%s)\n%s\n%s\n\n", c.Name, c.Kind, stmts[i].Canonical(), got)
	}
	path := filepath.Join("testdata", "describe", "golden.txt")
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./policy -run Describe -update creates it)", err)
	}
	if !bytes.Equal(want, out.Bytes()) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(out.String(), "\n")
		for i := 0; i < len(wl) && i < len(gl); i++ {
			if wl[i] != gl[i] {
				t.Fatalf("golden.txt line %d:\n  want: %s\n  got:  %s", i+1, wl[i], gl[i])
			}
		}
		t.Fatalf("golden.txt has %d lines, got %d", len(wl), len(gl))
	}
}

// The corpus exercises every operator the parser accepts, with and without
// IfExists and the set prefixes, and every element of a statement.
func TestDescribeCorpusCoversTheLanguage(t *testing.T) {
	_, stmts := loadDescribeCorpus(t)
	ops := map[string]bool{}
	elems := map[string]bool{}
	for _, s := range stmts {
		for op := range s.Condition {
			set, base, ifExists := descSplitOp(op)
			ops[base] = true
			if ifExists {
				elems["IfExists"] = true
			}
			if set != "" {
				elems[set] = true
			}
		}
		if s.NotPrincipal != nil {
			elems["NotPrincipal"] = true
		}
		if !s.NotAction.Empty() {
			elems["NotAction"] = true
		}
		if !s.NotResource.Empty() {
			elems["NotResource"] = true
		}
		if s.Principal != nil {
			if s.Principal.Wildcard {
				elems["Principal*"] = true
			}
			for k := range s.Principal.Types {
				elems[k] = true
			}
		}
		if strings.Contains(string(s.Canonical()), "${") {
			elems["variable"] = true
		}
		elems[s.Effect] = true
	}
	for base := range operatorBases {
		if !ops[base] {
			t.Errorf("no corpus statement uses %s", base)
		}
	}
	for _, e := range []string{
		"IfExists", "ForAnyValue:", "ForAllValues:", "NotPrincipal", "NotAction", "NotResource",
		"Principal*", "AWS", "Service", "Federated", "CanonicalUser", "variable", Allow, Deny,
	} {
		if !elems[e] {
			t.Errorf("no corpus statement uses %s", e)
		}
	}
}

// Every sentence is one plain line: capitalised, ending with a period, with
// no placeholder left behind, and the same on every call.
func TestDescribeSentenceShape(t *testing.T) {
	cases, stmts := loadDescribeCorpus(t)
	for i, c := range cases {
		o := DescribeOptions{Kind: c.Kind, Holder: c.Holder, Version: c.Version}
		got := Describe(stmts[i], o)
		if again := Describe(stmts[i].Clone(), o); again != got {
			t.Errorf("%s: not deterministic:\n%s\n%s", c.Name, got, again)
		}
		r := []rune(got)
		switch {
		case !unicode.IsUpper(r[0]):
			t.Errorf("%s: does not start with a capital: %s", c.Name, got)
		case !strings.HasSuffix(got, "."):
			t.Errorf("%s: does not end with a period: %s", c.Name, got)
		case strings.ContainsAny(got, "\x00\n"):
			t.Errorf("%s: holds a placeholder or newline: %q", c.Name, got)
		}
	}
}

// Facts the sentences must state, checked apart from the golden file so a
// careless -update cannot make a wrong explanation pass.
func TestDescribeStatesTheFacts(t *testing.T) {
	cases, stmts := loadDescribeCorpus(t)
	byName := map[string]string{}
	for i, c := range cases {
		byName[c.Name] = Describe(stmts[i], DescribeOptions{Kind: c.Kind, Holder: c.Holder, Version: c.Version})
	}
	tests := []struct {
		name    string
		want    []string
		mustNot []string
	}{
		{"public-read", []string{"Anyone, including anonymous requests, may read objects anywhere in bucket site-assets"}, nil},
		{"account-id", []string{"Account 222233334444 (any principal there", "may read objects under analytics-exports/reports/"}, nil},
		{"role", []string{"Role analytics in account 222233334444 may read objects, write objects and abort multipart uploads", "under analytics-exports/reports/ and under analytics-exports/exports/daily/"}, nil},
		{"tls-deny", []string{"may not do anything in S3", "when the request is not over HTTPS"}, []string{"only when"}},
		{"tls-allow-bool-literal", []string{"only when the request is over HTTPS"}, nil},
		{"orphaned-role-id", []string{"A deleted role (unique ID AROAJQABLZS4A3QDU576Q"}, nil},
		{"notprincipal-deny", []string{"Anyone not listed in NotPrincipal", "may not do anything in S3"}, nil},
		{"notaction-deny", []string{"Account 222233334444 (every principal in it) may not perform any action except read objects and list keys"}, []string{"IAM policies allow"}},
		{"notaction-allow", []string{"may perform any action except delete objects and delete object versions"}, nil},
		{"key-prefix-without-slash", []string{`for keys starting with "reports"`}, []string{"under"}},
		{"key-inner-wildcard", []string{`resources matching "arn:aws:s3:::analytics-exports/*/summary.csv"`}, nil},
		{"bucket-name-wildcard", []string{`resources matching "arn:aws:s3:::analytics*"`}, []string{"bucket analytics"}},
		{"string-not-equals-acl", []string{`the canned ACL of the request (s3:x-amz-acl) is not "bucket-owner-full-control" (or is absent)`}, nil},
		{"for-all-values-string-equals", []string{"every value of aws:TagKeys is one of", "also true when it has no values"}, nil},
		{"string-equals-if-exists", []string{"(or aws:SourceVpc is absent)"}, nil},
		{"null-absent", []string{"s3:x-amz-server-side-encryption-aws-kms-key-id is absent"}, nil},
		{"variable-in-2008-policy", []string{"literal text here"}, nil},
		{"variable-username-home", []string{"under home-dirs/home/${aws:username}/", "${aws:username} is the caller's IAM user name"}, nil},
		{"identity-assume-role", []string{"may assume role s3grant-reader in account 111122223333"}, nil},
		{"trust-external-id", []string{"may assume this role", `the external ID (sts:ExternalId) is "partner-7f3c9a"`}, nil},
		{"kms-key-policy-root", []string{"may do anything in KMS on this key"}, nil},
		{"star-resource-identity", []string{"Whoever managed policy s3grant-analytics-exports-1a2b3c4d is attached to", "on any resource"}, nil},
	}
	for _, tc := range tests {
		got, ok := byName[tc.name]
		if !ok {
			t.Fatalf("no corpus case %s", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: want %q in\n%s", tc.name, w, got)
			}
		}
		for _, w := range tc.mustNot {
			if strings.Contains(got, w) {
				t.Errorf("%s: must not say %q:\n%s", tc.name, w, got)
			}
		}
	}
}

func TestDescribeGrant(t *testing.T) {
	owner := strings.Repeat("a", 64)
	acl := &ACL{Owner: owner, Grants: []Grant{
		{Type: GranteeCanonicalUser, ID: owner, Permission: PermFullControl},
		{Type: GranteeCanonicalUser, ID: strings.Repeat("b", 64), Permission: PermRead},
		{Type: GranteeGroup, URI: GroupAllUsers, Permission: PermRead},
		{Type: GranteeGroup, URI: GroupLogDelivery, Permission: PermWrite},
	}}
	want := []string{
		"The bucket owner (canonical user " + owner + ") may list and write objects and read and change the bucket ACL (READ, WRITE, READ_ACP and WRITE_ACP) (bucket ACL FULL_CONTROL).",
		"Canonical user " + strings.Repeat("b", 64) + " may list the bucket's objects, object versions and multipart uploads (bucket ACL READ).",
		"Anyone, including anonymous requests (group AllUsers), may list the bucket's objects, object versions and multipart uploads (bucket ACL READ).",
		"The S3 log delivery group may write objects to the bucket (create new ones; overwriting and deleting existing ones depends on who owns them) (bucket ACL WRITE).",
	}
	got := DescribeACL(acl)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("grant %d:\n  want %s\n  got  %s", i, want[i], got[i])
		}
	}
}

// Any document the parser accepts explains without panicking, to one
// line per statement, in every kind of document.
func FuzzDescribe(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "describe", "corpus.json"))
	if err != nil {
		f.Fatal(err)
	}
	var cases []describeCase
	if err := json.Unmarshal(data, &cases); err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		f.Add(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[%s]}`, c.Statement))
	}
	f.Add(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"${x}"},"Action":"${a}:*","Resource":"arn:aws:s3:::${b}/${c, 'd'}"}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse([]byte(doc))
		if err != nil {
			return
		}
		for _, k := range []Kind{KindBucketPolicy, KindIdentityPolicy, KindTrustPolicy, KindKeyPolicy, KindAccessPointPolicy} {
			got := DescribePolicy(p, DescribeOptions{Kind: k, Holder: "arn:aws:iam::111122223333:role/r"})
			if len(got) != len(p.Statement) {
				t.Fatalf("%d sentences for %d statements", len(got), len(p.Statement))
			}
			for _, s := range got {
				if strings.ContainsAny(s, "\x00\n") && !strings.Contains(doc, "\\n") && !strings.Contains(doc, "\\u0000") {
					t.Fatalf("placeholder or newline left in %q", s)
				}
			}
		}
	})
}
