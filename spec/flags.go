package spec

import "strconv"

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

// Field is one field of a spec as a flag.
type Field struct {
	Name string
	// List fields take the flag once per value.
	List bool
	// Bool fields are a flag without a value.
	Bool bool
	// Values reads the field's values from a spec: none when unset.
	Values func(Spec) []string
}

// Fields lists every field of a spec in the order `plan --help` lists
// them; a test holds it to the Spec's JSON names.
var Fields = []Field{
	{Name: FlagMethod, Values: one(func(s Spec) string { return string(s.Method) })},
	{Name: FlagBucket, Values: one(func(s Spec) string { return s.Bucket })},
	{Name: FlagRegion, Values: one(func(s Spec) string { return s.Region })},
	{Name: FlagOwnerAccount, Values: one(func(s Spec) string { return s.OwnerAccount })},
	{Name: FlagConsumerAccount, List: true, Values: func(s Spec) []string { return s.ConsumerAccounts }},
	{Name: FlagConsumerPrincipal, List: true, Values: func(s Spec) []string { return s.ConsumerPrincipals }},
	{Name: FlagPrefix, List: true, Values: func(s Spec) []string { return s.Prefixes }},
	{Name: FlagAccess, Values: one(func(s Spec) string { return string(s.Access) })},
	{Name: FlagNoRequireTLS, Bool: true, Values: one(func(s Spec) string { return flagBool(s.NoRequireTLS) })},
	{Name: FlagOrgID, Values: one(func(s Spec) string { return s.OrgID })},
	{Name: FlagExternalID, Values: one(func(s Spec) string { return s.ExternalID })},
	{Name: FlagRoleName, Values: one(func(s Spec) string { return s.RoleName })},
	{Name: FlagAccessPoint, Values: one(func(s Spec) string { return s.AccessPoint })},
	{Name: FlagAccessPointOwner, Values: one(func(s Spec) string { return s.AccessPointOwner })},
	{Name: FlagKMSKey, Values: one(func(s Spec) string { return s.KMSKey })},
	{Name: FlagCanonicalID, List: true, Values: func(s Spec) []string { return s.CanonicalIDs }},
}

func one(get func(Spec) string) func(Spec) []string {
	return func(s Spec) []string {
		if v := get(s); v != "" {
			return []string{v}
		}
		return nil
	}
}

func flagBool(b bool) string {
	if !b {
		return ""
	}
	return strconv.FormatBool(b)
}
