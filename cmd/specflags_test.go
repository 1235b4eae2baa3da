package cmd

import (
	"reflect"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/s3grant/s3grant/spec"
)

// TestSpecFlagsAreSpecFields holds the plan flags to spec.Fields: every
// field is a flag, every flag but --spec a field, and a command line built
// from spec.Fields reads back as the same spec.
func TestSpecFlagsAreSpecFields(t *testing.T) {
	var f specFlags
	cmd := &cobra.Command{}
	f.register(cmd.Flags())
	for _, field := range spec.Fields {
		fl := cmd.Flags().Lookup(field.Name)
		if fl == nil {
			t.Errorf("spec field %s is not a flag", field.Name)
			continue
		}
		kind, def := "string", "" // no default: an unset flag leaves the spec file's value
		switch {
		case field.Bool:
			kind, def = "bool", "false"
		case field.List:
			kind, def = "stringArray", "[]"
		}
		if fl.Usage != field.Usage || fl.Value.Type() != kind || fl.DefValue != def {
			t.Errorf("--%s: %s %q (default %q), want %s %q (default %q)", field.Name, fl.Value.Type(), fl.Usage, fl.DefValue, kind, field.Usage, def)
		}
	}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		known := fl.Name == "spec"
		for _, field := range spec.Fields {
			known = known || field.Name == fl.Name
		}
		if !known {
			t.Errorf("flag --%s is not in spec.Fields", fl.Name)
		}
	})
	want := spec.Spec{
		Method: spec.MethodAccessPoint, Bucket: "b", Region: "eu-west-1", OwnerAccount: "111122223333",
		ConsumerAccounts: []string{"222233334444", "444455556666"}, ConsumerPrincipals: []string{spec.ExamplePrincipal},
		Prefixes: []string{"a/", "b/"}, Access: spec.AccessWrite, NoRequireTLS: true, OrgID: spec.ExampleOrgID,
		ExternalID: "x", RoleName: "r", AccessPoint: "ap", AccessPointOwner: spec.APOwnerOwner, KMSKey: spec.ExampleKMSKey,
		CanonicalIDs: []string{spec.ExampleCanonical},
	}
	var args []string
	for _, field := range spec.Fields {
		for _, v := range field.Values(want) {
			if field.Bool {
				args = append(args, "--"+field.Name)
			} else {
				args = append(args, "--"+field.Name, v)
			}
		}
	}
	if err := cmd.Flags().Parse(args); err != nil {
		t.Fatal(err)
	}
	got, err := f.resolve(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flags %v read back as\n%+v\nwant\n%+v", args, got, want)
	}
}
