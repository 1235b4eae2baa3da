package templates

import (
	"strings"

	"github.com/s3grant/s3grant/policy"
)

// Actions the ACL path denies to the consumer: bucket ACL WRITE lets the
// grantee delete (and overwrite) every object in the bucket, which no access
// level of s3grant asks for.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
const (
	ActDeleteObject        = "s3:DeleteObject"
	ActDeleteObjectVersion = "s3:DeleteObjectVersion"
	// Bucket ACL READ also grants listing versions and multipart uploads,
	// beyond what the list access level asks for.
	ActListBucketVersions         = "s3:ListBucketVersions"
	ActListBucketMultipartUploads = "s3:ListBucketMultipartUploads"
)

// acl: the legacy path. Bucket ACL grants to canonical user IDs (READ lists,
// WRITE uploads); uploads must hand the owner full control. The consumer
// still needs an identity policy.
func (b *builder) acl() {
	var grants []policy.Grant
	for _, id := range b.s.CanonicalIDs {
		grant := policy.Grant{Type: policy.GranteeCanonicalUser, ID: id}
		if b.s.Access.Lists() {
			grant.Permission = policy.PermRead
			grants = append(grants, grant)
		}
		if b.s.Access.Writes() {
			grant.Permission = policy.PermWrite
			grants = append(grants, grant)
		}
	}
	b.add(Step{
		Side: Owner, Account: b.s.OwnerAccount, Operation: OpPutBucketACL, Target: b.bucketARN(),
		Why: b.aclGrantWhy(),
		Doc: &Doc{
			Side: Owner, Account: b.s.OwnerAccount, Kind: policy.KindBucketACL, Target: b.bucketARN(),
			ACLGrants: grants,
		},
	})

	b.bucketPolicyStep(b.aclPolicyWhy(), append(b.aclReadLimits(), b.aclWriteLimits()...)...)
	b.keyPolicyStep(b.consumerPrincipals(), "The key policy must allow the consumer to use the bucket's key.")
	b.consumerIdentitySteps(
		"The consumer's identity policy must allow what the ACL grants.",
		func(string) []policy.Statement {
			// No GetBucketLocation: a bucket ACL cannot grant it, so
			// allowing it here would promise what fails.
			t := b.bucketTarget()
			t.location = false
			return append(b.s3Allows(nil, t, b.resourceAccount()), b.kmsIdentity()...)
		},
	)
}

// aclGrantWhy says what the bucket ACL grants, to whom.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
func (b *builder) aclGrantWhy() string {
	var perms []string
	if b.s.Access.Lists() {
		perms = append(perms, "READ (list the bucket's keys)")
	}
	if b.s.Access.Writes() {
		perms = append(perms, "WRITE (upload objects)")
	}
	who := "the consumer's canonical user ID"
	if len(b.s.CanonicalIDs) > 1 {
		who = "each consumer's canonical user ID"
	}
	return "The bucket ACL grants " + strings.Join(perms, " and ") + " to " + who +
		"; the owner's FULL_CONTROL is kept."
}

// aclPolicyWhy names each limit the bucket policy puts on the ACL's
// grants, in the order of its statements (aclReadLimits, aclWriteLimits,
// then the TLS deny): each sentence matches a statement the document holds.
func (b *builder) aclPolicyWhy() string {
	var parts []string
	if b.s.Access.Lists() {
		parts = append(parts,
			"denies listing object versions and multipart uploads, which the ACL's READ would also allow")
	}
	if b.s.Access.Writes() {
		parts = append(parts,
			"refuses uploads without the bucket-owner-full-control ACL, or the owner could not read them",
			"denies deleting objects, which the ACL's WRITE would also allow")
	}
	if b.s.RequireTLS() {
		parts = append(parts, "denies plain-HTTP requests")
	}
	return "The bucket policy holds the ACL to the grant: it " + strings.Join(parts, "; it ") + "."
}

// consumerAccounts names every consumer account as a whole: an ACL grants
// to the account's canonical ID, so every principal the consumer's
// administrator allows can use it, and the owner's denies must reach them all.
func (b *builder) consumerAccounts() *policy.Principal {
	var roots []string
	for _, acct := range b.s.ConsumerAccounts {
		roots = append(roots, b.s.RootARN(acct))
	}
	return policy.AWSPrincipals(roots...)
}

// aclWriteLimits are the bucket policy denies that hold bucket ACL WRITE to
// the grant, whatever the consumer's own IAM allows:
//   - uploads without the bucket-owner-full-control canned ACL are refused,
//     except the multipart steps that carry no ACL header (CreateMultipartUpload
//     sets the ACL; UploadPart and UploadPartCopy never do), which AWS exempts
//     with s3:ObjectCreationOperation;
//     https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
//     https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
//   - deletes are refused: WRITE on a bucket lets the grantee delete every
//     object in it;
//     https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
//
// (The acl method takes no prefixes: its grants cover the whole bucket.)
func (b *builder) aclWriteLimits() []policy.Statement {
	if !b.s.Access.Writes() {
		return nil
	}
	objects := policy.One(b.bucketARN() + "/*")
	return []policy.Statement{
		{
			Sid: b.sid("RequireOwnerFullControl"), Effect: policy.Deny, Principal: b.consumerAccounts(),
			Action: policy.One(ActPutObject), Resource: objects,
			Condition: policy.Conditions{}.
				Add("StringNotEquals", "s3:x-amz-acl", policy.CondStrings("bucket-owner-full-control")).
				// IfExists: a request without the key is held to the rule too.
				Add("BoolIfExists", "s3:ObjectCreationOperation", policy.CondStrings("true")),
		},
		// CreateMultipartUpload carries the ACL the object will get, with
		// s3:ObjectCreationOperation false: any ACL header other than
		// bucket-owner-full-control is refused there too.
		{
			Sid: b.sid("RequireOwnerFullControlHeader"), Effect: policy.Deny, Principal: b.consumerAccounts(),
			Action: policy.One(ActPutObject), Resource: objects,
			Condition: policy.Conditions{}.
				Add("StringNotEquals", "s3:x-amz-acl", policy.CondStrings("bucket-owner-full-control")).
				Add("Null", "s3:x-amz-acl", policy.CondStrings("false")),
		},
		{
			Sid: b.sid("DenyDelete"), Effect: policy.Deny, Principal: b.consumerAccounts(),
			Action: policy.List(ActDeleteObject, ActDeleteObjectVersion), Resource: objects,
		},
	}
}

// aclReadLimits hold bucket ACL READ to listing keys: READ on a bucket also
// allows s3:ListBucketVersions and s3:ListBucketMultipartUploads, which no
// access level of s3grant asks for, so the bucket policy denies them to the
// consumer accounts.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
func (b *builder) aclReadLimits() []policy.Statement {
	if !b.s.Access.Lists() {
		return nil
	}
	return []policy.Statement{
		{
			Sid: b.sid("ListKeysOnly"), Effect: policy.Deny, Principal: b.consumerAccounts(),
			Action:   policy.List(ActListBucketVersions, ActListBucketMultipartUploads),
			Resource: policy.One(b.bucketARN()),
		},
	}
}
