package plan

import (
	"strings"
	"testing"

	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// whyClaims pairs a statement (by its Sid after the grant's prefix) with
// the words its step's "why" uses for it.
var whyClaims = map[spec.Method][]struct{ sid, words string }{
	spec.MethodACL: {
		{"ListKeysOnly", "listing object versions and multipart uploads"},
		{"RequireOwnerFullControl", "bucket-owner-full-control"},
		{"DenyDelete", "deleting objects"},
		{"DenyInsecureTransport", "plain-HTTP"},
	},
}

// TestBucketPolicyWhyMatchesStatements (issue 13): the bucket policy's
// "why" names a rule exactly when the document holds its statement (the
// ACL list plan once described an upload rule it did not contain), and an
// access point delegation says the access point's policy decides who.
func TestBucketPolicyWhyMatchesStatements(t *testing.T) {
	for _, ex := range Examples() {
		p, err := New(ex.Spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range p.Steps {
			if st.Operation != templates.OpPutBucketPolicy {
				continue
			}
			sids := map[string]bool{}
			for _, s := range p.Documents[*st.Document].Generated.Statement {
				sids[strings.TrimPrefix(s.Sid, p.SidPrefix)] = true
			}
			for _, c := range whyClaims[ex.Spec.Method] {
				if says := strings.Contains(st.Why, c.words); says != sids[c.sid] {
					t.Errorf("%s: the why mentions %q: %v, the document holds %s: %v\nwhy: %s", ex.Name, c.words, says, c.sid, sids[c.sid], st.Why)
				}
			}
			if ex.Spec.Method != spec.MethodAccessPoint {
				continue
			}
			want := "the access point's policy decides who"
			if ex.Spec.APOwnerIsConsumer() {
				want = "only from the consumer's principals"
			}
			if !strings.Contains(st.Why, want) || !strings.Contains(st.Why, ex.Spec.WithDefaults().AccessPoint) {
				t.Errorf("%s: the delegation's why should name the access point and say %q:\n%s", ex.Name, want, st.Why)
			}
		}
	}
}
