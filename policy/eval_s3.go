package policy

import (
	"fmt"

	"github.com/s3grant/s3grant/arn"
)

// Object Ownership settings.
const (
	OwnershipBucketOwnerEnforced  = "BucketOwnerEnforced"
	OwnershipBucketOwnerPreferred = "BucketOwnerPreferred"
	OwnershipObjectWriter         = "ObjectWriter"
)

// S3Request is one request to S3.
type S3Request struct {
	Principal string // the caller's ARN; "" for an anonymous request
	// CanonicalID is the canonical user ID of the caller's account, which
	// ACL grants name.
	CanonicalID   string
	Action        string
	Bucket        string
	Key           string // "" for a bucket-level action
	BucketAccount string
	// AccessPoint is the ARN of the access point the request goes through
	// (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME); "" for a direct request.
	AccessPoint string
	// Partition is the bucket's partition (arn.Partition of its region),
	// which the bucket and object ARNs are in; "" takes the access point's
	// partition, then the caller's, then aws.
	Partition string
	Context   Context
}

// BlockPublicAccess holds the Block Public Access settings that change how
// requests are evaluated (the other two only refuse writes of public
// policies and ACLs).
type BlockPublicAccess struct {
	RestrictPublicBuckets bool
	IgnorePublicAcls      bool
}

// KeySetup is the SSE-KMS key of the object a request reads or writes.
type KeySetup struct {
	ARN string
	// AWSManaged is the aws/s3 key: its key policy admits only principals of
	// its own account, through S3, and cannot be changed.
	AWSManaged bool
	Policy     *Policy // the key policy (customer managed keys)
}

// S3Setup is everything that decides an S3 request besides the request.
type S3Setup struct {
	Identity          []Doc   // the caller's identity-based policies
	BucketPolicy      *Policy // nil: none
	AccessPointPolicy *Policy // for requests through an access point
	BucketACL         *ACL
	ObjectACL         *ACL
	// ObjectOwnership is the bucket's setting; "" means
	// BucketOwnerEnforced, the default for new buckets (ACLs disabled).
	ObjectOwnership string
	// ObjectWriter is the account that uploaded the object ("" = the bucket
	// owner); ObjectWrittenWithOwnerFullControl records the
	// bucket-owner-full-control canned ACL on that upload.
	ObjectWriter                      string
	ObjectWrittenWithOwnerFullControl bool
	BPA                               BlockPublicAccess
	Key                               *KeySetup // nil: no SSE-KMS
}

// ACLsEnabled reports whether ACLs take part in authorization.
func (s S3Setup) ACLsEnabled() bool {
	return s.ObjectOwnership != "" && s.ObjectOwnership != OwnershipBucketOwnerEnforced
}

// ObjectOwner returns the account that owns the object under the bucket's
// Object Ownership setting.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func (s S3Setup) ObjectOwner(bucketAccount string) string {
	switch {
	case s.ObjectWriter == "" || !s.ACLsEnabled():
		return bucketAccount
	case s.ObjectOwnership == OwnershipBucketOwnerPreferred && s.ObjectWrittenWithOwnerFullControl:
		return bucketAccount
	}
	return s.ObjectWriter
}

// S3ResourceARN returns the bucket or object ARN a request names.
func (r S3Request) S3ResourceARN() string {
	if r.Key != "" {
		return arn.Object(r.partition(), r.Bucket, r.Key)
	}
	return r.BucketARN()
}

// BucketARN returns the ARN of the request's bucket.
func (r S3Request) BucketARN() string { return arn.Bucket(r.partition(), r.Bucket) }

// AccessPointResourceARN returns the access point (or access point object)
// ARN the identity and access point policies see.
func (r S3Request) AccessPointResourceARN() string {
	if r.Key == "" {
		return r.AccessPoint
	}
	return r.AccessPoint + "/object/" + r.Key
}

// partition returns the bucket's partition. A caller is always in the
// resource's partition (IAM does not cross partitions), so without an
// explicit one the access point's or the caller's partition is the bucket's.
// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
func (r S3Request) partition() string {
	for _, p := range []string{r.Partition, arn.PartitionOf(r.AccessPoint), arn.PartitionOf(r.Principal)} {
		if p != "" {
			return p
		}
	}
	return arn.AWS
}

// AuthorizeS3 decides an S3 request the way S3 does: through an access
// point, the identity policy (on the access point ARN) and the access point
// policy decide first, then the bucket policy must allow with the
// s3:DataAccessPoint* keys in context; directly, the identity policy and the
// bucket policy (and, with ACLs enabled, the ACLs) decide by the cross- or
// same-account rules. Block Public Access and the object's SSE-KMS key
// apply on top.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
func AuthorizeS3(req S3Request, set S3Setup) Result {
	ctx := req.Context.Clone()
	ctx.Default("s3:ResourceAccount", req.BucketAccount)
	if req.AccessPoint != "" {
		ctx.Default("s3:DataAccessPointArn", req.AccessPoint)
		ctx.Default("s3:DataAccessPointAccount", ParsePrincipal(req.AccessPoint).Account)
		ctx.Default("s3:AccessPointNetworkOrigin", "Internet")
	}
	var stages []Result
	if req.AccessPoint != "" {
		stages = append(stages, accessPointStage(req, set, ctx))
	}
	stages = append(stages, bucketStage(req, set, ctx))
	if r, ok := keyStage(req, set, ctx); ok {
		stages = append(stages, r)
	}
	return Combine(stages...)
}

func accessPointStage(req S3Request, set S3Setup, ctx Context) Result {
	apAccount := ParsePrincipal(req.AccessPoint).Account
	name := "access point policy " + req.AccessPoint
	r, blocked := restrictPublic(req.Principal, apAccount, set.AccessPointPolicy, set.BPA, name, "access point")
	if blocked {
		return r
	}
	return Evaluate(Input{
		Request: Request{
			Principal: req.Principal, Action: req.Action,
			Resource: req.AccessPointResourceARN(), ResourceAccount: apAccount,
			Context: ctx,
		},
		Identity: set.Identity,
		Resource: &Doc{Name: name, Kind: KindAccessPointPolicy, Policy: set.AccessPointPolicy},
		Stage:    "access point",
	})
}

func bucketStage(req S3Request, set S3Setup, ctx Context) Result {
	name := "bucket policy " + req.BucketARN()
	r, blocked := restrictPublic(req.Principal, req.BucketAccount, set.BucketPolicy, set.BPA, name, "bucket")
	if blocked {
		return r
	}
	in := Input{
		Request: Request{
			Principal: req.Principal, Action: req.Action,
			Resource: req.S3ResourceARN(), ResourceAccount: req.BucketAccount,
			Context: ctx,
		},
		Identity: set.Identity,
		Resource: &Doc{Name: name, Kind: KindBucketPolicy, Policy: set.BucketPolicy},
		Stage:    "bucket",
		// Through an access point the identity side was decided on the
		// access point ARN: the bucket policy must delegate (or allow).
		IdentityDecided: req.AccessPoint != "",
	}
	if owner := set.ObjectOwner(req.BucketAccount); req.Key != "" &&
		owner != req.BucketAccount && readsExistingObject(req.Action) {
		// The bucket owner cannot grant on objects it does not own: only the
		// object's ACL can, and the object owner's account is the resource
		// account.
		in.denyOnly = true
		in.Request.ResourceAccount = owner
	}
	in.grants = aclGrants(req, set)
	return Evaluate(in)
}

// readsExistingObject reports whether an action works on an object that
// already exists (so the object's owner matters), as opposed to writing a
// new one.
func readsExistingObject(action string) bool {
	// ASCII folding rather than strings.ToLower: no allocation on every
	// decision, and the names compared are ASCII.
	return hasPrefixFold(action, "s3:getobject") || hasPrefixFold(action, "s3:putobjectacl") ||
		hasPrefixFold(action, "s3:putobjectversionacl") || equalFoldLower("s3:restoreobject", action)
}

// hasPrefixFold reports whether s starts with lower, folding s's ASCII
// letters.
func hasPrefixFold(s, lower string) bool {
	return len(s) >= len(lower) && eqFoldLower(lower, s[:len(lower)])
}

// equalFoldLower reports whether s is lower, folding s's ASCII letters.
func equalFoldLower(lower, s string) bool { return len(s) == len(lower) && eqFoldLower(lower, s) }

// restrictPublic applies RestrictPublicBuckets: when the policy is public,
// only principals of the resource's own account (and services) get in.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func restrictPublic(principal, account string, p *Policy, bpa BlockPublicAccess, doc, stageName string) (Result, bool) {
	if !bpa.RestrictPublicBuckets || !IsPublicPolicy(p) {
		return Result{}, false
	}
	c := ParsePrincipal(principal)
	if c.Service != "" || (!c.Anonymous && c.Account == account) {
		return Result{}, false
	}
	who := "anonymous requests"
	if !c.Anonymous {
		who = "account " + c.Account
	}
	return Result{Decision: ImplicitlyDenied, Reasons: []Reason{{
		Stage: stageName, Document: doc,
		Message: fmt.Sprintf("the policy is public and Block Public Access RestrictPublicBuckets is on: "+
			"only principals of account %s get in, not %s", account, who),
	}}}, true
}

// kmsActionFor returns the key action an S3 action needs on an SSE-KMS
// object: Decrypt to read, GenerateDataKey to write.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
func kmsActionFor(action string) string {
	switch {
	case equalFoldLower("s3:getobject", action), equalFoldLower("s3:getobjectversion", action):
		return "kms:Decrypt"
	case equalFoldLower("s3:putobject", action):
		return "kms:GenerateDataKey"
	}
	return ""
}

// keyStage checks the SSE-KMS key: a customer managed key needs its key
// policy AND the caller's identity policy (cross-account) to allow; the
// AWS-managed aws/s3 key never admits another account.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
func keyStage(req S3Request, set S3Setup, ctx Context) (Result, bool) {
	action := kmsActionFor(req.Action)
	if set.Key == nil || action == "" {
		return Result{}, false
	}
	keyAccount := ParsePrincipal(set.Key.ARN).Account
	caller := ParsePrincipal(req.Principal)
	kctx := ctx.Clone()
	if key, ok := arn.Parse(set.Key.ARN); ok {
		kctx.Default("kms:ViaService", "s3."+key.Region+".amazonaws.com")
	}
	kctx.Default("kms:CallerAccount", caller.Account)
	if set.Key.AWSManaged {
		doc := "AWS-managed key aws/s3 " + set.Key.ARN
		if caller.Anonymous || caller.Account != keyAccount {
			return Result{Decision: ImplicitlyDenied, Reasons: []Reason{{
				Stage: "key", Document: doc,
				Message: "the AWS-managed aws/s3 key cannot be used by another account: " +
					"its key policy admits only its own account and cannot be changed",
			}}}, true
		}
		return Result{Decision: Allowed, Reasons: []Reason{{
			Stage: "key", Document: doc,
			Message: "the aws/s3 key admits every principal of its account through S3",
		}}}, true
	}
	return Evaluate(Input{
		Request: Request{
			Principal: req.Principal, Action: action,
			Resource: set.Key.ARN, ResourceAccount: keyAccount,
			Context: kctx,
		},
		Identity: set.Identity,
		Resource: &Doc{Name: "key policy " + set.Key.ARN, Kind: KindKeyPolicy, Policy: set.Key.Policy},
		Stage:    "key",
	}), true
}
