package plan

import (
	"slices"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/spec"
)

// Example is a named spec: the gallery of grants that golden tests, the
// access matrix tests, exports, benchmarks and the docs all use.
type Example struct {
	Name string
	Spec spec.Spec
}

// Example accounts and values.
const (
	ExOwner     = "111122223333"
	ExConsumer  = "222233334444"
	ExConsumer2 = "444455556666"
	ExRegion    = "eu-west-1"
	ExBucket    = "analytics-exports"
	ExCanonical = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
)

// Example ARNs, in the commercial partition (Example.InRegion moves them).
var (
	ExKMSKey = arn.Key(arn.AWS, ExRegion, ExOwner, "1234abcd-12ab-34cd-56ef-1234567890ab")
	ExRole   = arn.Role(arn.AWS, ExConsumer, "analytics")
	ExUser   = arn.User(arn.AWS, ExConsumer, "etl")
	ExRole2  = arn.Role(arn.AWS, ExConsumer2, "reporting")
)

// BaseSpec is the example spec for one method and access level.
func BaseSpec(m spec.Method, a spec.Access) spec.Spec {
	s := spec.Spec{
		Method: m, Access: a, Bucket: ExBucket, Region: ExRegion, OwnerAccount: ExOwner,
		ConsumerAccounts: []string{ExConsumer}, ConsumerPrincipals: []string{ExRole}, Prefixes: []string{"reports/"},
	}
	switch m {
	case spec.MethodAccessPoint:
		s.AccessPoint = "analytics-ap"
	case spec.MethodACL:
		s.Prefixes = nil
		s.CanonicalIDs = []string{ExCanonical}
	default: // no special case
	}
	return s
}

// Examples returns the gallery: every method at every access level it
// supports, then each option on every method.
func Examples() []Example {
	var out []Example
	for _, m := range spec.Methods {
		for _, a := range spec.AccessLevelsFor(m) {
			out = append(out, Example{Name: string(m) + "/" + string(a), Spec: BaseSpec(m, a)})
		}
		a := spec.AccessLevelsFor(m)[0]
		variant := func(name string, edit func(*spec.Spec)) {
			s := BaseSpec(m, a)
			edit(&s)
			out = append(out, Example{Name: string(m) + "/" + name, Spec: s})
		}
		variant("whole-account", func(s *spec.Spec) { s.ConsumerPrincipals = nil })
		variant("several-consumers", func(s *spec.Spec) {
			s.ConsumerAccounts = []string{ExConsumer, ExConsumer2}
			s.ConsumerPrincipals = []string{ExRole, ExUser, ExRole2}
			if m == spec.MethodACL {
				s.CanonicalIDs = append(s.CanonicalIDs,
					"0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")
			}
		})
		variant("org-kms-no-tls", func(s *spec.Spec) {
			s.OrgID = "o-a1b2c3d4e5"
			s.KMSKey = ExKMSKey
			s.NoRequireTLS = true
			if m == spec.MethodACL {
				s.Access = spec.AccessWrite
			}
		})
		if m != spec.MethodACL {
			variant("prefixes", func(s *spec.Spec) { s.Prefixes = []string{"reports/", "exports/daily/"} })
			variant("whole-bucket", func(s *spec.Spec) { s.Prefixes = nil })
			variant("kms-read-write", func(s *spec.Spec) { s.KMSKey = ExKMSKey; s.Access = spec.AccessReadWrite })
		}
	}
	roleRead := BaseSpec(spec.MethodIAMRole, spec.AccessRead)
	apRead := BaseSpec(spec.MethodAccessPoint, spec.AccessRead)
	apReadWrite := BaseSpec(spec.MethodAccessPoint, spec.AccessReadWrite)
	out = append(out,
		Example{Name: "iam-role/external-id", Spec: withEdit(roleRead, func(s *spec.Spec) {
			s.ExternalID = "partner-7f3c9a"
			s.RoleName = "partner-reader"
		})},
		Example{Name: "access-point/cross-account", Spec: withEdit(apRead, func(s *spec.Spec) {
			s.AccessPointOwner = spec.APOwnerConsumer
		})},
		Example{Name: "access-point/cross-account-kms-write", Spec: withEdit(apReadWrite, func(s *spec.Spec) {
			s.AccessPointOwner = spec.APOwnerConsumer
			s.KMSKey = ExKMSKey
			s.Prefixes = []string{"reports/", "exports/"}
		})},
	)
	return out
}

func withEdit(s spec.Spec, edit func(*spec.Spec)) spec.Spec {
	edit(&s)
	return s
}

// InRegion returns the example moved to region, its principal and key ARNs
// rewritten into the region's partition, named REGION/NAME: the China and
// GovCloud variants of the gallery.
func (e Example) InRegion(region string) Example {
	s, p := e.Spec, arn.Partition(region)
	s.Region = region
	s.ConsumerPrincipals = slices.Clone(s.ConsumerPrincipals)
	for i, v := range s.ConsumerPrincipals {
		a, _ := arn.Parse(v)
		a.Partition = p
		s.ConsumerPrincipals[i] = a.String()
	}
	if a, ok := arn.Parse(s.KMSKey); ok {
		a.Partition, a.Region = p, region
		s.KMSKey = a.String()
	}
	return Example{Name: region + "/" + e.Name, Spec: s}
}
