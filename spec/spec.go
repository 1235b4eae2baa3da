// Package spec holds the user's answers (Spec) and their validation:
// the bottom of s3grant's domain, shared by the templates and the plan.
// It imports neither the AWS SDK nor any terminal library.
package spec

import (
	"strings"

	"github.com/s3grant/s3grant/arn"
)

// Method is how access is granted.
type Method string

// The four methods.
const (
	MethodBucketPolicy Method = "bucket-policy"
	MethodIAMRole      Method = "iam-role"
	MethodAccessPoint  Method = "access-point"
	MethodACL          Method = "acl"
)

// Methods lists the methods in the order the wizard shows them.
var Methods = []Method{MethodBucketPolicy, MethodIAMRole, MethodAccessPoint, MethodACL}

// Access is the access level granted.
type Access string

// Access levels.
const (
	AccessRead      Access = "read"
	AccessWrite     Access = "write"
	AccessReadWrite Access = "read-write"
	AccessList      Access = "list"
)

// AccessLevels lists the levels in the order the wizard shows them.
var AccessLevels = []Access{AccessRead, AccessWrite, AccessReadWrite, AccessList}

// AccessLevelsFor lists the levels a method can grant, in the order the
// wizard shows them: a bucket ACL cannot grant reading objects (READ on a
// bucket only lists keys), so ACL offers list and write only
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions).
func AccessLevelsFor(m Method) []Access {
	if m == MethodACL {
		return []Access{AccessList, AccessWrite}
	}
	return AccessLevels
}

// Reads reports whether the level lets the consumer read objects.
func (a Access) Reads() bool { return a == AccessRead || a == AccessReadWrite }

// Writes reports whether the level lets the consumer write objects.
func (a Access) Writes() bool { return a == AccessWrite || a == AccessReadWrite }

// Lists reports whether the level lets the consumer list keys.
func (a Access) Lists() bool { return a != AccessWrite }

// Access point owners.
const (
	APOwnerOwner    = "owner"
	APOwnerConsumer = "consumer"
)

// Spec is the user's answers. The JSON/YAML field names are the flag names of
// `s3grant plan`.
type Spec struct {
	Method             Method   `json:"method"`
	Bucket             string   `json:"bucket"`
	Region             string   `json:"region,omitempty"`
	OwnerAccount       string   `json:"owner-account"`
	ConsumerAccounts   []string `json:"consumer-account"`
	ConsumerPrincipals []string `json:"consumer-principal,omitempty"`
	Prefixes           []string `json:"prefix,omitempty"`
	Access             Access   `json:"access"`
	// NoRequireTLS is the opt-out of the TLS-only deny; the default (false)
	// keeps it, so a spec that says nothing gets the safe behaviour.
	NoRequireTLS     bool     `json:"no-require-tls,omitempty"`
	OrgID            string   `json:"org-id,omitempty"`
	ExternalID       string   `json:"external-id,omitempty"`
	RoleName         string   `json:"role-name,omitempty"`
	AccessPoint      string   `json:"access-point,omitempty"`
	AccessPointOwner string   `json:"access-point-owner,omitempty"`
	KMSKey           string   `json:"kms-key,omitempty"`
	CanonicalIDs     []string `json:"canonical-id,omitempty"`
}

// RequireTLS reports whether the plan denies plain-HTTP requests.
func (s Spec) RequireTLS() bool { return !s.NoRequireTLS }

// PrefixList returns the prefixes, with "" standing for the whole bucket.
func (s Spec) PrefixList() []string {
	if len(s.Prefixes) == 0 {
		return []string{""}
	}
	return s.Prefixes
}

// WholeBucket reports whether access covers every key.
func (s Spec) WholeBucket() bool {
	for _, p := range s.PrefixList() {
		if p == "" {
			return true
		}
	}
	return false
}

// PrincipalsIn returns the consumer principal ARNs that belong to account.
func (s Spec) PrincipalsIn(account string) []string {
	var out []string
	for _, p := range s.ConsumerPrincipals {
		if arn.AccountOf(p) == account {
			out = append(out, p)
		}
	}
	return out
}

// Scope names what the grant covers, e.g. s3://analytics-exports/reports/ or
// s3://analytics-exports/{reports/,exports/}; every header that names the
// grant uses it, so none of them can drop the prefixes.
func (s Spec) Scope() string {
	switch len(s.Prefixes) {
	case 0:
		return "s3://" + s.Bucket + "/*"
	case 1:
		return "s3://" + s.Bucket + "/" + s.Prefixes[0]
	}
	return "s3://" + s.Bucket + "/{" + strings.Join(s.Prefixes, ",") + "}"
}

// APOwnerIsConsumer reports whether the access point belongs to the consumer
// (a cross-account access point).
func (s Spec) APOwnerIsConsumer() bool {
	return s.Method == MethodAccessPoint && s.AccessPointOwner == APOwnerConsumer
}
