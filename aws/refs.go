package aws

import (
	"fmt"
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// Accounts are the connected accounts of a plan: the owner and each
// consumer account, by account ID.
type Accounts struct {
	Owner     *Account
	Consumers map[string]*Account
}

// For returns the account with the given ID, or nil.
func (a Accounts) For(id string) *Account {
	if a.Owner != nil && a.Owner.ID == id {
		return a.Owner
	}
	return a.Consumers[id]
}

// lastSegment is the name at the end of an IAM ARN (after any path).
func lastSegment(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// keyRegion is the region inside a KMS key ARN.
func keyRegion(arn string) string {
	a, _ := awsarn.Parse(arn)
	return a.Region
}

// StepRef names what a plan step writes. bucketRegion is the bucket's real
// region (from HeadBucket).
func StepRef(p *plan.Plan, st plan.Step, bucketRegion string) (journal.Ref, error) {
	s := p.Spec
	ref := journal.Ref{AccountID: st.AccountID, Region: bucketRegion, Bucket: s.Bucket, Resource: st.Target}
	doc := p.DocumentFor(st)
	name := ""
	if doc != nil {
		name = doc.Name
	}
	apRegion := s.Region
	if apRegion == "" {
		apRegion = bucketRegion
	}
	switch st.Operation {
	case templates.OpPutBucketPolicy:
		ref.Type = journal.BucketPolicy
	case templates.OpPutBucketACL:
		ref.Type = journal.BucketACL
	case templates.OpCreateRole:
		ref.Type, ref.Resource = journal.Role, lastSegment(st.Target)
	case templates.OpPutRolePolicy:
		ref.Type, ref.Resource, ref.PolicyName = journal.RolePolicy, lastSegment(st.Target), name
	case templates.OpPutUserPolicy:
		ref.Type, ref.Resource, ref.PolicyName = journal.UserPolicy, lastSegment(st.Target), name
	case templates.OpCreatePolicy:
		ref.Type, ref.PolicyName = journal.ManagedPolicy, name
	case templates.OpCreateAccessPoint:
		ref.Type, ref.Region = journal.AccessPoint, apRegion
		ref.Resource, ref.BucketAccount = s.AccessPoint, s.OwnerAccount
	case templates.OpPutAccessPointPolicy:
		ref.Type, ref.Region, ref.Resource = journal.AccessPointPolicy, apRegion, s.AccessPoint
	case templates.OpPutKeyPolicy:
		ref.Type, ref.Region = journal.KeyPolicy, keyRegion(st.Target)
	default:
		return ref, fmt.Errorf("step %d: unknown operation %s", st.ID, st.Operation)
	}
	return ref, nil
}

// body is what a step writes: the merged document (minified: AWS counts
// no white space against the limits), the ACL as JSON, or nothing.
func body(d *plan.Document) string {
	switch {
	case d == nil:
		return ""
	case d.ACL != nil:
		return aclJSON(d.ACL)
	}
	return string(d.Policy.Minified())
}

// describe names a step for people.
func describe(ref journal.Ref) string {
	switch ref.Type {
	case journal.BucketPolicy:
		return "bucket policy of " + ref.Bucket
	case journal.BucketACL:
		return "ACL of bucket " + ref.Bucket
	case journal.ObjectOwnership:
		return "Object Ownership of bucket " + ref.Bucket
	case journal.Role:
		return "role " + ref.Resource + " (trust policy)"
	case journal.RolePolicy:
		return fmt.Sprintf("inline policy %s of role %s", ref.PolicyName, ref.Resource)
	case journal.UserPolicy:
		return fmt.Sprintf("inline policy %s of user %s", ref.PolicyName, ref.Resource)
	case journal.ManagedPolicy:
		return "managed policy " + ref.Resource
	case journal.AccessPoint:
		return "access point " + ref.Resource
	case journal.AccessPointPolicy:
		return "policy of access point " + ref.Resource
	case journal.KeyPolicy:
		return "key policy of " + ref.Resource
	default: // no special case
	}
	return string(ref.Type) + " " + ref.Resource
}
