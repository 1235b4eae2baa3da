package plan

import (
	"errors"
	"fmt"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// ErrObjectOwnership is returned for a write grant on a bucket whose Object
// Ownership lets the writer keep the objects it uploads.
var ErrObjectOwnership = errors.New("object ownership")

// checkOwnership refuses a write grant (every method but acl, which makes
// each upload hand the owner full control) on a bucket read to have ACLs
// enabled: with ObjectWriter, or BucketOwnerPreferred and an upload without
// the bucket-owner-full-control ACL, the consumer owns what it writes, the
// bucket policy cannot grant the owner those objects, and the owner cannot
// read them. Only BucketOwnerEnforced makes the bucket owner own every object.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func checkOwnership(s spec.Spec, f Facts) error {
	if !f.Read || !s.Access.Writes() || s.Method == spec.MethodACL ||
		f.ObjectOwnership == policy.OwnershipBucketOwnerEnforced {
		return nil
	}
	own := f.ObjectOwnership
	if own == "" {
		own = "not set (ACLs enabled, the writer owns each object)"
	}
	return fmt.Errorf("%w: bucket %s has Object Ownership %s, "+
		"so objects the consumer writes would belong to the consumer and the owner could not read them. "+
		"Disable ACLs first (they must not be in use), then re-run: "+
		"aws s3api put-bucket-ownership-controls --bucket %s "+
		"--ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
		ErrObjectOwnership, s.Bucket, own, s.Bucket)
}
