package spec

import (
	"fmt"
	"strconv"
)

// The spec's fields by name: the flags of `s3grant plan`, the keys of a spec
// file, the fields an error names and the wizard's question keys.
const (
	FlagMethod            = "method"
	FlagBucket            = "bucket"
	FlagRegion            = "region"
	FlagOwnerAccount      = "owner-account"
	FlagConsumerAccount   = "consumer-account"
	FlagConsumerPrincipal = "consumer-principal"
	FlagPrefix            = "prefix"
	FlagAccess            = "access"
	FlagNoRequireTLS      = "no-require-tls"
	FlagOrgID             = "org-id"
	FlagExternalID        = "external-id"
	FlagRoleName          = "role-name"
	FlagAccessPoint       = "access-point"
	FlagAccessPointOwner  = "access-point-owner"
	FlagKMSKey            = "kms-key"
	FlagCanonicalID       = "canonical-id"
)

// Field is one field of a spec as a flag: `plan` and the wizard register
// their spec flags from Fields, so a field added here is a flag there.
type Field struct {
	Name string
	// Usage is the flag's help text.
	Usage string
	// List fields take the flag once per value.
	List bool
	// Commas: a list flag that also takes comma-separated values
	// (--consumer-account 1,2); IDs and ARNs never contain commas, prefixes
	// may.
	Commas bool
	// Bool fields are a flag without a value.
	Bool bool
	// Values reads the field's values from a spec: none when unset.
	Values func(Spec) []string
	// Set stores the flag's values in a spec: the one value of a text
	// field, every value of a list, "true" or "false" for a bool.
	Set func(*Spec, []string) error
}

// Fields lists every field of a spec in the order `plan --help` lists
// them; a test holds it to the Spec's JSON names.
var Fields = []Field{
	text(FlagMethod, "bucket-policy, iam-role, access-point or acl", func(s *Spec) *Method { return &s.Method }),
	text(FlagBucket, "the bucket name, e.g. analytics-exports", func(s *Spec) *string { return &s.Bucket }),
	text(FlagRegion, "the bucket's region, e.g. eu-west-1 (required for access points)",
		func(s *Spec) *string { return &s.Region }),
	text(FlagOwnerAccount, "the 12-digit ID of the account that owns the bucket",
		func(s *Spec) *string { return &s.OwnerAccount }),
	list(FlagConsumerAccount, "a consumer account ID (repeatable)", true,
		func(s *Spec) *[]string { return &s.ConsumerAccounts }),
	list(FlagConsumerPrincipal,
		"a role or user ARN in a consumer account (repeatable); default: the whole account", true,
		func(s *Spec) *[]string { return &s.ConsumerPrincipals }),
	list(FlagPrefix, "a key prefix ending in / (repeatable); default: the whole bucket", false,
		func(s *Spec) *[]string { return &s.Prefixes }),
	text(FlagAccess, "read, write, read-write or list (default read)", func(s *Spec) *Access { return &s.Access }),
	boolean(FlagNoRequireTLS, "do not add the statement that denies plain-HTTP requests",
		func(s *Spec) *bool { return &s.NoRequireTLS }),
	text(FlagOrgID, "require the consumer to be in this AWS Organization, e.g. o-a1b2c3d4e5",
		func(s *Spec) *string { return &s.OrgID }),
	text(FlagExternalID, "iam-role: the sts:ExternalId the consumer must pass",
		func(s *Spec) *string { return &s.ExternalID }),
	text(FlagRoleName, "iam-role: the role to create in the owner account (default s3grant-BUCKET)",
		func(s *Spec) *string { return &s.RoleName }),
	text(FlagAccessPoint, "access-point: the access point name (default s3grant-CONSUMER)",
		func(s *Spec) *string { return &s.AccessPoint }),
	text(FlagAccessPointOwner, "access-point: owner (in the bucket's account) or consumer (cross-account)",
		func(s *Spec) *string { return &s.AccessPointOwner }),
	text(FlagKMSKey, "the ARN of the customer managed key the bucket's objects are encrypted with",
		func(s *Spec) *string { return &s.KMSKey }),
	list(FlagCanonicalID, "acl: a consumer's canonical user ID (repeatable)", true,
		func(s *Spec) *[]string { return &s.CanonicalIDs }),
}

// text is a field holding one string; ref points at it in a spec.
func text[T ~string](name, usage string, ref func(*Spec) *T) Field {
	return Field{
		Name: name, Usage: usage,
		Values: func(s Spec) []string {
			if v := *ref(&s); v != "" {
				return []string{string(v)}
			}
			return nil
		},
		Set: func(s *Spec, vals []string) error {
			if len(vals) != 1 {
				return fmt.Errorf("--%s takes one value, got %d", name, len(vals))
			}
			*ref(s) = T(vals[0])
			return nil
		},
	}
}

// list is a field holding a list; ref points at it in a spec.
func list(name, usage string, commas bool, ref func(*Spec) *[]string) Field {
	return Field{
		Name: name, Usage: usage, List: true, Commas: commas,
		Values: func(s Spec) []string { return *ref(&s) },
		Set:    func(s *Spec, vals []string) error { *ref(s) = vals; return nil },
	}
}

// boolean is a field that is a flag without a value; ref points at it.
func boolean(name, usage string, ref func(*Spec) *bool) Field {
	return Field{
		Name: name, Usage: usage, Bool: true,
		Values: func(s Spec) []string {
			if *ref(&s) {
				return []string{strconv.FormatBool(true)}
			}
			return nil
		},
		Set: func(s *Spec, vals []string) error {
			if len(vals) != 1 {
				return fmt.Errorf("--%s takes one value, got %d", name, len(vals))
			}
			b, err := strconv.ParseBool(vals[0])
			if err != nil {
				return fmt.Errorf("--%s: %w", name, err)
			}
			*ref(s) = b
			return nil
		},
	}
}
