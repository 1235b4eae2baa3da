package spec

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestFieldsMatchSpec holds the list of fields to the Spec's JSON names, in
// order, so a new field cannot be left out of the flags or the command line.
func TestFieldsMatchSpec(t *testing.T) {
	var tags []string
	st := reflect.TypeOf(Spec{})
	for i := range st.NumField() {
		tags = append(tags, strings.Split(st.Field(i).Tag.Get("json"), ",")[0])
	}
	var names []string
	for _, f := range Fields {
		names = append(names, f.Name)
	}
	if !slices.Equal(tags, names) {
		t.Errorf("spec.Fields %v, Spec's JSON names %v", names, tags)
	}
}

// TestFieldValues reads every field back from a spec that sets them all.
func TestFieldValues(t *testing.T) {
	s := Spec{
		Method: MethodIAMRole, Bucket: "b", Region: "r", OwnerAccount: "o", ConsumerAccounts: []string{"c1", "c2"},
		ConsumerPrincipals: []string{"p"}, Prefixes: []string{"x/"}, Access: AccessRead, NoRequireTLS: true, OrgID: "org",
		ExternalID: "e", RoleName: "rn", AccessPoint: "ap", AccessPointOwner: "apo", KMSKey: "k", CanonicalIDs: []string{"id"},
	}
	for _, f := range Fields {
		vals := f.Values(s)
		if len(vals) == 0 {
			t.Errorf("%s: no value from a spec that sets it", f.Name)
		}
		if len(vals) > 1 && !f.List {
			t.Errorf("%s: %d values from a single field", f.Name, len(vals))
		}
		if got := f.Values(Spec{}); len(got) != 0 {
			t.Errorf("%s: the empty spec gives %v", f.Name, got)
		}
	}
}

// TestErrorsNameFields: every field a validation error names is a flag,
// so the wizard can put the error under its question.
func TestErrorsNameFields(t *testing.T) {
	bad := []Spec{
		{},
		{
			Method: "x", Bucket: "B", Region: "x", OwnerAccount: "1", ConsumerAccounts: []string{"1", "1"}, Access: "x",
			ConsumerPrincipals: []string{"x"}, Prefixes: []string{"x", "x"}, OrgID: "x", ExternalID: " ", RoleName: "!",
			AccessPoint: "A", AccessPointOwner: "x", KMSKey: "x", CanonicalIDs: []string{"x"},
		},
		{Method: MethodACL, Access: AccessRead, Prefixes: []string{"a/"}},
		{Method: MethodAccessPoint, AccessPointOwner: APOwnerConsumer, ConsumerAccounts: []string{"222233334444", "444455556666"}},
	}
	seen := map[string]bool{}
	for _, s := range bad {
		for _, fe := range AsFieldErrors(s.Validate()) {
			seen[fe.Field] = true
			if !slices.ContainsFunc(Fields, func(f Field) bool { return f.Name == fe.Field }) {
				t.Errorf("an error names %q, not a spec field: %v", fe.Field, fe)
			}
		}
	}
	if len(seen) < 12 {
		t.Errorf("only %d fields named: %v", len(seen), seen)
	}
}
