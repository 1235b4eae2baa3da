package wizard

import (
	"cmp"
	"errors"
	"strings"

	"github.com/s3grant/s3grant/spec"
)

// Answers are what the user said so far, kept across screens so going back
// never loses them. Lists are edited as comma-separated text.
type Answers struct {
	Connect         bool // true: AWS profiles; false: offline dry run with typed IDs
	OwnerProfile    string
	ConsumerProfile string

	Method      spec.Method
	OwnerAcct   string
	Consumers   string
	Bucket      string
	Region      string
	Access      string
	Prefixes    string
	Principals  string
	ExternalID  string
	RoleName    string
	APName      string
	APOwner     string
	KMSKey      string
	OrgID       string
	Canonical   string
	RequireTLS  bool
	ACLAccepted bool   // the user typed the ACL confirmation
	ACLConsent  string // ACLConsentWord: apply may turn ACLs back on
	// The yes/no questions that open the ExternalId and key fields; a "no"
	// leaves the typed value out of the spec without forgetting it.
	UseExternalID bool
	UseKMS        bool
	// Found is what connected mode read from the accounts: an empty
	// answer to a question it covers means the value found.
	Found Found
}

// NewAnswers starts from a spec (flags or a spec file) and the profiles
// given on the command line.
func NewAnswers(s spec.Spec, ownerProfile, consumerProfile string) *Answers {
	a := &Answers{
		Connect:      ownerProfile != "" || consumerProfile != "",
		OwnerProfile: ownerProfile, ConsumerProfile: consumerProfile,
		Method: s.Method, OwnerAcct: s.OwnerAccount, Consumers: Join(s.ConsumerAccounts), Bucket: s.Bucket,
		Region: s.Region, Access: string(s.Access), Prefixes: Join(s.Prefixes), Principals: Join(s.ConsumerPrincipals),
		ExternalID: s.ExternalID, RoleName: s.RoleName, APName: s.AccessPoint, APOwner: s.AccessPointOwner,
		KMSKey: s.KMSKey, OrgID: s.OrgID, Canonical: Join(s.CanonicalIDs), RequireTLS: s.RequireTLS(),
	}
	a.UseExternalID, a.UseKMS = a.ExternalID != "", a.KMSKey != ""
	a.Access = cmp.Or(a.Access, string(spec.AccessRead))
	a.APOwner = cmp.Or(a.APOwner, spec.APOwnerOwner)
	return a
}

// Spec returns the answers as a spec; fields of other methods are left out,
// so switching method never carries a stale answer into the plan.
func (a *Answers) Spec() spec.Spec {
	s := spec.Spec{
		Method: a.Method, Bucket: strings.TrimSpace(a.Bucket), Region: a.or(spec.FlagRegion, a.Region),
		OwnerAccount: strings.TrimSpace(a.OwnerAcct), ConsumerAccounts: Split(a.Consumers),
		ConsumerPrincipals: Split(a.Principals), Prefixes: Split(a.Prefixes), Access: spec.Access(a.Access),
		NoRequireTLS: !a.RequireTLS, OrgID: strings.TrimSpace(a.OrgID),
	}
	if a.UseKMS {
		s.KMSKey = a.or(spec.FlagKMSKey, a.KMSKey)
	}
	switch a.Method {
	case spec.MethodIAMRole:
		s.RoleName = strings.TrimSpace(a.RoleName)
		if a.UseExternalID {
			s.ExternalID = strings.TrimSpace(a.ExternalID)
		}
	case spec.MethodAccessPoint:
		s.AccessPoint, s.AccessPointOwner = strings.TrimSpace(a.APName), a.APOwner
		if !apOwnerAsked(a) {
			s.AccessPointOwner = spec.APOwnerOwner
		}
	case spec.MethodACL:
		s.CanonicalIDs = Split(a.or(spec.FlagCanonicalID, a.Canonical))
		s.Prefixes = nil
	default: // no special case
	}
	return s
}

// AllowACLDowngrade reports whether the user typed the consent to turn
// ACLs back on (the acl method only).
func (a *Answers) AllowACLDowngrade() bool {
	return a.Method == spec.MethodACL && strings.TrimSpace(a.ACLConsent) == ACLConsentWord
}

// Check validates one field as plan would: it puts v into a copy of the
// answers, runs the spec's validation, and keeps the problems of that field.
// Rules between fields (a principal outside the consumer accounts, a key in
// another region) are caught as soon as the field is entered.
func (a *Answers) Check(field string) func(string) error {
	return func(v string) error {
		var msgs []string
		for _, fe := range a.problems(field, v) {
			msgs = append(msgs, fe.Rule+ExampleSuffix(fe))
		}
		if len(msgs) == 0 {
			return nil
		}
		return errors.New(strings.Join(msgs, "; "))
	}
}

// problems are the spec's rules of field that v breaks among the other
// answers.
func (a *Answers) problems(field, v string) []*spec.FieldError {
	cp := *a
	if p := cp.Text(field); p != nil {
		*p = v
	}
	var out []*spec.FieldError
	for _, fe := range spec.AsFieldErrors(cp.Spec().WithDefaults().Validate()) {
		if fe.Field == field {
			out = append(out, fe)
		}
	}
	return out
}

// Text is where the answer to a field (named by its flag) is kept as text;
// nil for a field with no text answer (a yes/no, the method).
func (a *Answers) Text(field string) *string {
	fields := map[string]*string{
		spec.FlagOwnerAccount: &a.OwnerAcct, spec.FlagConsumerAccount: &a.Consumers, spec.FlagBucket: &a.Bucket,
		spec.FlagRegion: &a.Region, spec.FlagAccess: &a.Access, spec.FlagPrefix: &a.Prefixes,
		spec.FlagConsumerPrincipal: &a.Principals, spec.FlagExternalID: &a.ExternalID, spec.FlagRoleName: &a.RoleName,
		spec.FlagAccessPoint: &a.APName, spec.FlagAccessPointOwner: &a.APOwner, spec.FlagKMSKey: &a.KMSKey,
		spec.FlagOrgID: &a.OrgID, spec.FlagCanonicalID: &a.Canonical, KeyACLConsent: &a.ACLConsent,
	}
	return fields[field]
}

// Bool is where a yes/no answer is kept, nil for a field that is not one.
func (a *Answers) Bool(field string) *bool {
	fields := map[string]*bool{
		KeyUseExternalID: &a.UseExternalID, KeyUseKMS: &a.UseKMS, KeyRequireTLS: &a.RequireTLS,
	}
	return fields[field]
}

// ExampleSuffix is " (e.g. EXAMPLE)" for an error that has an example.
func ExampleSuffix(fe *spec.FieldError) string {
	if fe.Example == "" {
		return ""
	}
	return " (e.g. " + fe.Example + ")"
}

// Split reads a comma- or line-separated list, dropping empty entries.
func Split(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Join writes a list for editing as text.
func Join(vals []string) string { return strings.Join(vals, ", ") }
