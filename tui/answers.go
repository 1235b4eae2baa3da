package tui

import (
	"errors"
	"strings"

	"github.com/s3grant/s3grant/spec"
)

// answers are what the user said so far, kept across screens so going back
// never loses them. Lists are edited as comma-separated text.
type answers struct {
	connect         bool // true: AWS profiles; false: offline dry run with typed IDs
	ownerProfile    string
	consumerProfile string

	method      spec.Method
	ownerAcct   string
	consumers   string
	bucket      string
	region      string
	access      spec.Access
	prefixes    string
	principals  string
	externalID  string
	roleName    string
	apName      string
	apOwner     string
	kmsKey      string
	orgID       string
	canonical   string
	requireTLS  bool
	aclAccepted bool // the user typed the ACL confirmation
	// The yes/no questions that open the ExternalId and key fields; a "no"
	// leaves the typed value out of the spec without forgetting it.
	useExternalID bool
	useKMS        bool
}

func newAnswers(s spec.Spec, ownerProfile, consumerProfile string) *answers {
	a := &answers{
		connect: ownerProfile != "" || consumerProfile != "", ownerProfile: ownerProfile, consumerProfile: consumerProfile,
		method: s.Method, ownerAcct: s.OwnerAccount, consumers: join(s.ConsumerAccounts), bucket: s.Bucket,
		region: s.Region, access: s.Access, prefixes: join(s.Prefixes), principals: join(s.ConsumerPrincipals),
		externalID: s.ExternalID, roleName: s.RoleName, apName: s.AccessPoint, apOwner: s.AccessPointOwner,
		kmsKey: s.KMSKey, orgID: s.OrgID, canonical: join(s.CanonicalIDs), requireTLS: s.RequireTLS(),
	}
	a.useExternalID, a.useKMS = a.externalID != "", a.kmsKey != ""
	if a.access == "" {
		a.access = spec.AccessRead
	}
	if a.apOwner == "" {
		a.apOwner = spec.APOwnerOwner
	}
	return a
}

// spec returns the answers as a spec; fields of other methods are left out,
// so switching method never carries a stale answer into the plan.
func (a *answers) spec() spec.Spec {
	s := spec.Spec{
		Method: a.method, Bucket: strings.TrimSpace(a.bucket), Region: strings.TrimSpace(a.region),
		OwnerAccount: strings.TrimSpace(a.ownerAcct), ConsumerAccounts: split(a.consumers),
		ConsumerPrincipals: split(a.principals), Prefixes: split(a.prefixes), Access: a.access,
		NoRequireTLS: !a.requireTLS, OrgID: strings.TrimSpace(a.orgID),
	}
	if a.useKMS {
		s.KMSKey = strings.TrimSpace(a.kmsKey)
	}
	switch a.method {
	case spec.MethodIAMRole:
		s.RoleName = strings.TrimSpace(a.roleName)
		if a.useExternalID {
			s.ExternalID = strings.TrimSpace(a.externalID)
		}
	case spec.MethodAccessPoint:
		s.AccessPoint, s.AccessPointOwner = strings.TrimSpace(a.apName), a.apOwner
	case spec.MethodACL:
		s.CanonicalIDs = split(a.canonical)
		s.Prefixes = nil
	}
	return s
}

// check validates one field as plan would: it puts v into a copy of the
// answers, runs the spec's validation, and keeps the problems of that field.
// Rules between fields (a principal outside the consumer accounts, a key in
// another region) are caught as soon as the field is entered.
func (a *answers) check(field string) func(string) error {
	return func(v string) error {
		cp := *a
		if p := cp.text(field); p != nil {
			*p = v
		} else if field == "access" {
			cp.access = spec.Access(v)
		}
		var msgs []string
		for _, fe := range spec.AsFieldErrors(cp.spec().WithDefaults().Validate()) {
			if fe.Field == field {
				msgs = append(msgs, fe.Rule+exampleSuffix(fe))
			}
		}
		if len(msgs) == 0 {
			return nil
		}
		return errors.New(strings.Join(msgs, "; "))
	}
}

// text is where the answer to a field (named by its flag) is kept as text.
func (a *answers) text(field string) *string {
	fields := map[string]*string{
		"owner-account": &a.ownerAcct, "consumer-account": &a.consumers, "bucket": &a.bucket, "region": &a.region,
		"prefix": &a.prefixes, "consumer-principal": &a.principals, "external-id": &a.externalID,
		"role-name": &a.roleName, "access-point": &a.apName, "kms-key": &a.kmsKey, "org-id": &a.orgID,
		"canonical-id": &a.canonical,
	}
	return fields[field] // nil for a field with no text answer (access, method)
}

func exampleSuffix(fe *spec.FieldError) string {
	if fe.Example == "" {
		return ""
	}
	return " (e.g. " + fe.Example + ")"
}

func split(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func join(vals []string) string { return strings.Join(vals, ", ") }
