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
	s := Spec{Method: MethodIAMRole, Bucket: "b", Region: "r", OwnerAccount: "o", ConsumerAccounts: []string{"c1", "c2"},
		ConsumerPrincipals: []string{"p"}, Prefixes: []string{"x/"}, Access: AccessRead, NoRequireTLS: true, OrgID: "org",
		ExternalID: "e", RoleName: "rn", AccessPoint: "ap", AccessPointOwner: "apo", KMSKey: "k", CanonicalIDs: []string{"id"}}
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
