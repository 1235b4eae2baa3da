package spec

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"sync"

	awsarn "github.com/s3grant/s3grant/arn"
)

// FieldError is a rejected answer: the field (its flag name), the rule it
// breaks and an example of a valid value.
type FieldError struct {
	Field   string
	Rule    string
	Example string
}

func (e *FieldError) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Field, e.Rule)
	if e.Example != "" {
		msg += fmt.Sprintf(" (e.g. %s)", e.Example)
	}
	return msg
}

func fieldErr(field, example, format string, a ...any) *FieldError {
	return &FieldError{Field: field, Rule: fmt.Sprintf(format, a...), Example: example}
}

// Examples of valid values, shown in errors and used as placeholders.
const (
	ExampleBucket     = "analytics-exports"
	ExampleAccount    = "111122223333"
	ExampleRegion     = "eu-west-1"
	ExamplePrefix     = "reports/"
	ExampleOrgID      = "o-a1b2c3d4e5"
	ExampleExternalID = "partner-7f3c9a"
	ExampleRoleName   = "s3grant-analytics-exports"
	ExampleAPName     = "analytics-ap"
	ExampleCanonical  = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
)

// Example ARNs, in the partition of ExampleRegion (aws).
var (
	ExamplePrincipal = awsarn.Role(awsarn.Partition(ExampleRegion), "222233334444", "analytics")
	ExampleKMSKey    = awsarn.Key(awsarn.Partition(ExampleRegion), ExampleRegion, ExampleAccount,
		"1234abcd-12ab-34cd-56ef-1234567890ab")
)

var (
	accountRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{12}$`) })
	bucketRe  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	})
	regionRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([a-z]{2}(-gov|-iso[a-z]*)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$`)
	})
	principalRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)(/[\x21-\x7e]*/|/)([\w+=,.@-]{1,64})$`)
	})
	orgRe        = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^o-[a-z0-9]{10,32}$`) })
	externalIDRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w+=,.@:/-]+$`) })
	roleNameRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w+=,.@-]{1,64}$`) })
	apNameRe     = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$`)
	})
	kmsKeyRe = sync.OnceValue(func() *regexp.Regexp {
		// The key ID: mrk- and 32 hex digits (a multi-Region key) or a UUID.
		return regexp.MustCompile(`^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key/` +
			`((mrk-)?[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	})
	canonicalRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{64}$`) })
)

// ValidateMethod checks the method name.
func ValidateMethod(m string) error {
	for _, v := range Methods {
		if string(v) == m {
			return nil
		}
	}
	return fieldErr("method", "bucket-policy", "must be one of bucket-policy, iam-role, access-point, acl")
}

// ValidateAccess checks the access level.
func ValidateAccess(a string) error {
	if slices.Contains(AccessLevels, Access(a)) {
		return nil
	}
	return fieldErr("access", "read", "must be one of read, write, read-write, list")
}

// ValidateAccountID checks a 12-digit account ID for the named field.
func ValidateAccountID(field, id string) error {
	if !accountRe().MatchString(id) {
		return fieldErr(field, ExampleAccount, "must be a 12-digit AWS account ID (keep leading zeros), got %q", id)
	}
	return nil
}

// ValidateBucket checks a bucket name against S3's general purpose bucket
// naming rules.
func ValidateBucket(name string) error {
	bad := func(rule string) error { return fieldErr("bucket", ExampleBucket, "%s, got %q", rule, name) }
	switch {
	case !bucketRe().MatchString(name):
		return bad("must be 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit")
	case strings.Contains(name, ".."):
		return bad("must not contain two adjacent periods")
	case net.ParseIP(name) != nil:
		return bad("must not be formatted as an IP address")
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return bad("must not start with " + p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return bad("must not end with " + s + " (reserved)")
		}
	}
	return nil
}

// ValidateRegion checks an AWS region code.
func ValidateRegion(r string) error {
	if !regionRe().MatchString(r) {
		return fieldErr("region", ExampleRegion, "must be an AWS region code, got %q", r)
	}
	return nil
}

// ValidatePrincipal checks a consumer principal ARN (an IAM role or user).
func ValidatePrincipal(arn string) error {
	if strings.Contains(arn, ":assumed-role/") || strings.Contains(arn, ":sts::") {
		return fieldErr("consumer-principal", ExamplePrincipal,
			"must be the role's ARN, not a session ARN, got %q", arn)
	}
	if m := principalRe().FindStringSubmatch(arn); m == nil || !awsarn.Known(m[1]) {
		return fieldErr("consumer-principal", ExamplePrincipal, "must be an IAM role or user ARN "+
			"(arn:PARTITION:iam::ACCOUNT:role/NAME or :user/NAME, PARTITION aws, aws-cn or aws-us-gov), got %q", arn)
	}
	return nil
}

// ValidatePrefix checks a key prefix.
func ValidatePrefix(p string) error {
	bad := func(rule string) error { return fieldErr("prefix", ExamplePrefix, "%s, got %q", rule, p) }
	switch {
	case p == "":
		return bad("must not be empty (leave out --prefix for the whole bucket)")
	case strings.HasPrefix(p, "/"):
		return bad("must not start with '/' (S3 keys have no leading slash)")
	case !strings.HasSuffix(p, "/"):
		return bad("must end with '/' so it cannot match sibling keys (reports-old/ for reports)")
	case strings.ContainsAny(p, "*?"):
		return bad("must not contain * or ? (they are wildcards in policies)")
	case strings.Contains(p, "${"):
		return bad("must not contain ${ (a policy variable)")
	case strings.Contains(p, "//"):
		return bad("must not contain an empty path segment (//)")
	case len(p) > 1024:
		return bad("must be at most 1024 bytes")
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return bad("must not contain control characters")
		}
	}
	return nil
}

// ValidateOrgID checks an AWS Organizations ID.
func ValidateOrgID(id string) error {
	if !orgRe().MatchString(id) {
		return fieldErr("org-id", ExampleOrgID, "must match o-[a-z0-9]{10,32}, got %q", id)
	}
	return nil
}

// ValidateExternalID checks an sts:ExternalId value.
func ValidateExternalID(id string) error {
	if len(id) < 2 || len(id) > 1224 || !externalIDRe().MatchString(id) {
		return fieldErr("external-id", ExampleExternalID, "must be 2-1224 characters of letters, digits and +=,.@:/-_")
	}
	return nil
}

// ValidateRoleName checks an IAM role name.
func ValidateRoleName(n string) error {
	if !roleNameRe().MatchString(n) {
		return fieldErr("role-name", ExampleRoleName,
			"must be 1-64 characters of letters, digits and +=,.@-_, got %q", n)
	}
	return nil
}

// ValidateAccessPointName checks an S3 access point name.
func ValidateAccessPointName(n string) error {
	if !apNameRe().MatchString(n) {
		return fieldErr("access-point", ExampleAPName,
			"must be 3-50 characters of a-z, 0-9 and '-', not starting or ending with '-', got %q", n)
	}
	return nil
}

// ValidateKMSKey checks a customer managed KMS key ARN.
func ValidateKMSKey(arn string) error {
	if strings.Contains(arn, ":alias/") || strings.HasPrefix(arn, "alias/") {
		return fieldErr("kms-key", ExampleKMSKey, "must be a key ARN, not an alias: "+
			"aliases resolve in the caller's account, so the consumer would name its own key")
	}
	if m := kmsKeyRe().FindStringSubmatch(arn); m == nil || !awsarn.Known(m[1]) {
		return fieldErr("kms-key", ExampleKMSKey,
			"must be a KMS key ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID), got %q", arn)
	}
	return nil
}

// ValidateCanonicalID checks an S3 canonical user ID.
func ValidateCanonicalID(id string) error {
	if !canonicalRe().MatchString(id) {
		return fieldErr("canonical-id", ExampleCanonical, "must be 64 lowercase hex characters "+
			"(the consumer finds it with aws s3api list-buckets --query Owner.ID), got %q", id)
	}
	return nil
}

// ValidationError holds every problem found in a spec.
type ValidationError struct{ Problems []*FieldError }

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// AsFieldErrors returns the field errors inside err, if any.
func AsFieldErrors(err error) []*FieldError {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return []*FieldError{fe}
	}
	return nil
}
