package policy

import (
	"fmt"
	"regexp"
	"sync"
	"unicode/utf8"
)

// Kind names a kind of policy document; the names are the plan's JSON values.
type Kind string

// Document kinds.
const (
	KindBucketPolicy      Kind = "bucket-policy"
	KindIdentityPolicy    Kind = "identity-policy"
	KindManagedPolicy     Kind = "managed-policy"
	KindTrustPolicy       Kind = "trust-policy"
	KindAccessPointPolicy Kind = "access-point-policy"
	KindKeyPolicy         Kind = "key-policy"
	KindBucketACL         Kind = "bucket-acl"
)

// MaxSize is the largest document AWS accepts for a kind, in characters of
// the minified JSON (IAM and S3 do not count white space).
func MaxSize(k Kind) int {
	switch k {
	case KindBucketPolicy, KindAccessPointPolicy:
		return 20 * 1024
	case KindIdentityPolicy:
		return 10240 // all inline policies of a role or user together
	case KindManagedPolicy:
		return 6144
	case KindTrustPolicy:
		return 2048 // default quota; can be raised to 4096
	case KindKeyPolicy:
		return 32 * 1024
	default: // no special case
	}
	return 0
}

// Size is the document's size as AWS counts it.
func (p *Policy) Size() int { return utf8.RuneCount(p.Minified()) }

// CheckSize returns an error naming the kind and both sizes when the document
// is over its limit.
func (p *Policy) CheckSize(k Kind) error {
	limit := MaxSize(k)
	if n := p.Size(); limit > 0 && n > limit {
		return fmt.Errorf("%s is %d characters, over the %d limit for its kind: "+
			"fewer prefixes or principals per grant, or split the grant", k, n, limit)
	}
	return nil
}

var sidPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9A-Za-z]*$`) })

// ValidSid reports whether sid fits IAM's Sid rule ([0-9A-Za-z]*).
func ValidSid(sid string) bool { return sidPattern().MatchString(sid) }
