package aws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/policy"
)

// Doc is a document (or resource) as AWS holds it now.
type Doc struct {
	Exists bool
	Raw    string // as AWS returned it (URL-decoded for IAM)
}

// errNoDelete is returned for documents that always exist (key policy,
// bucket ACL): they are restored, never deleted.
var errNoDelete = errors.New("this document cannot be deleted, only restored")

// target reads, writes and deletes one thing a step changes.
type target interface {
	Read(ctx context.Context) (Doc, error)
	// Write creates or replaces it with body; cur is what Read returned.
	Write(ctx context.Context, cur Doc, body string) error
	Delete(ctx context.Context) error
}

// newTarget builds the target a journal Ref names, in the account acct.
func newTarget(ref journal.Ref, acct *Account) (target, error) {
	if acct == nil {
		return nil, fmt.Errorf("no connected account %s for %s %s", ref.AccountID, ref.Type, ref.Resource)
	}
	switch ref.Type {
	case journal.BucketPolicy:
		return bucketPolicy{s3: acct.S3(ref.Region), bucket: ref.Bucket, owner: ref.AccountID}, nil
	case journal.BucketACL:
		return bucketACL{s3: acct.S3(ref.Region), bucket: ref.Bucket, owner: ref.AccountID}, nil
	case journal.ObjectOwnership:
		return ownership{s3: acct.S3(ref.Region), bucket: ref.Bucket, owner: ref.AccountID}, nil
	case journal.Role:
		return role{iam: acct.IAM(), name: ref.Resource}, nil
	case journal.RolePolicy:
		return rolePolicy{iam: acct.IAM(), role: ref.Resource, name: ref.PolicyName}, nil
	case journal.UserPolicy:
		return userPolicy{iam: acct.IAM(), user: ref.Resource, name: ref.PolicyName}, nil
	case journal.ManagedPolicy:
		return managedPolicy{iam: acct.IAM(), arn: ref.Resource, name: ref.PolicyName}, nil
	case journal.AccessPoint:
		return accessPoint{
			ctl: acct.S3Control(ref.Region), account: ref.AccountID, name: ref.Resource,
			bucket: ref.Bucket, bucketAccount: ref.BucketAccount,
		}, nil
	case journal.AccessPointPolicy:
		return accessPointPolicy{ctl: acct.S3Control(ref.Region), account: ref.AccountID, name: ref.Resource}, nil
	case journal.KeyPolicy:
		return keyPolicy{kms: acct.KMS(ref.Region), key: ref.Resource}, nil
	case journal.BucketLogging:
		return bucketLogging{s3: acct.S3(ref.Region), bucket: ref.Bucket, owner: ref.AccountID}, nil
	}
	return nil, fmt.Errorf("unknown journal entry type %q", ref.Type)
}

// readDoc wraps a read: "not set" errors are an absent document.
func readDoc(raw *string, err error) (Doc, error) {
	if err != nil {
		if IsNotSet(err) {
			return Doc{}, nil
		}
		return Doc{}, err
	}
	if raw == nil {
		return Doc{Exists: true}, nil
	}
	return Doc{Exists: true, Raw: *raw}, nil
}

// urlDecoded decodes IAM's URL-encoded policy documents.
func urlDecoded(s *string) *string {
	if s == nil {
		return nil
	}
	d, err := url.QueryUnescape(*s)
	if err != nil {
		return s
	}
	return &d
}

// Same reports whether two readings of a document of type t hold the same
// document: policies compare canonically, ACLs by their grants, the rest
// as text.
func Same(t journal.RefType, a, b Doc) bool {
	if a.Exists != b.Exists {
		return false
	}
	if !a.Exists {
		return true
	}
	switch t {
	case journal.AccessPoint:
		return true
	case journal.ObjectOwnership:
		return a.Raw == b.Raw
	case journal.BucketACL:
		x, errX := parseACL(a.Raw)
		y, errY := parseACL(b.Raw)
		return errX == nil && errY == nil && string(x.Canonical()) == string(y.Canonical())
	default: // no special case
	}
	x, errX := policy.Parse([]byte(a.Raw))
	y, errY := policy.Parse([]byte(b.Raw))
	if errX != nil || errY != nil {
		return a.Raw == b.Raw
	}
	return policy.Equal(x, y)
}

func parseACL(raw string) (*policy.ACL, error) {
	var a policy.ACL
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		return nil, fmt.Errorf("bucket ACL: %w", err)
	}
	return &a, nil
}
