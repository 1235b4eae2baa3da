package sandbox

import (
	"net/http"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// s3Setup gathers everything the evaluator needs besides the request: the
// caller's identity policies, the bucket's and access point's policies, the
// ACLs, Object Ownership, the combined Block Public Access settings, and the
// object's key.
func (c *call) s3Setup(t *s3Target, obj *Object, key *policy.KeySetup) policy.S3Setup {
	b := t.bucket
	set := policy.S3Setup{
		Identity:        c.identity(),
		BucketPolicy:    c.sb.policies.parse(b.Policy),
		BucketACL:       c.sb.bucketACL(b),
		ObjectOwnership: b.Ownership,
		BPA:             c.effectiveBPA(t),
		Key:             key,
	}
	if b.Ownership == "" {
		// No ownership controls: ACLs are on and the writer owns objects.
		set.ObjectOwnership = policy.OwnershipObjectWriter
	}
	if t.ap != nil {
		set.AccessPointPolicy = c.sb.policies.parse(t.ap.Policy)
	}
	if obj != nil {
		set.ObjectACL = c.sb.objectACL(b, obj)
		if obj.Writer != b.Owner {
			set.ObjectWriter = obj.Writer
			set.ObjectWrittenWithOwnerFullControl = obj.OwnerFull
		}
	}
	return set
}

// effectiveBPA combines the settings that apply: the bucket's, its owner
// account's, and for access point requests the access point's and its
// account's. S3 applies the most restrictive combination.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func (c *call) effectiveBPA(t *s3Target) policy.BlockPublicAccess {
	var out policy.BlockPublicAccess
	add := func(p *PublicAccessBlockConfig) {
		if p != nil {
			out.RestrictPublicBuckets = out.RestrictPublicBuckets || p.RestrictPublicBuckets
			out.IgnorePublicAcls = out.IgnorePublicAcls || p.IgnorePublicAcls
		}
	}
	add(t.bucket.PAB)
	if a := c.sb.st.Accounts[t.bucket.Owner]; a != nil {
		add(a.PAB)
	}
	if t.ap != nil {
		add(t.ap.PAB)
		if a := c.sb.st.Accounts[t.apAccount]; a != nil {
			add(a.PAB)
		}
	}
	return out
}

// authorizeS3 asks the evaluator about one S3 request and turns a denial
// into S3's 403 AccessDenied with the reasons attached.
func (c *call) authorizeS3(
	t *s3Target,
	action, key string,
	obj *Object,
	extra policy.Context,
	kms *policy.KeySetup,
) *apiError {
	req := c.s3Request(t, action, key, extra)
	res := policy.AuthorizeS3(req, c.s3Setup(t, obj, kms))
	if res.Allowed() {
		return c.loadDeferredBody()
	}
	e := errf(http.StatusForbidden, "AccessDenied",
		"Access Denied (%s %s: %s)", action, describeTarget(t, key), denialSummary(res))
	e.Reasons = res.Reasons
	return e
}

func describeTarget(t *s3Target, key string) string {
	s := arn.Bucket(partition, t.bucket.Name)
	if key != "" {
		s = arn.Object(partition, t.bucket.Name, key)
	}
	if t.ap != nil {
		s += " through " + t.apARN()
	}
	return s
}

// bucketACL returns the bucket's ACL; a bucket that never had one set gives
// its owner FULL_CONTROL, as S3 does.
func (sb *Sandbox) bucketACL(b *Bucket) *policy.ACL {
	if b.ACL != nil && b.Ownership != policy.OwnershipBucketOwnerEnforced {
		return b.ACL
	}
	return sb.ownerOnlyACL(b.Owner)
}

func (sb *Sandbox) objectACL(b *Bucket, o *Object) *policy.ACL {
	if o.ACL != nil && b.Ownership != policy.OwnershipBucketOwnerEnforced {
		return o.ACL
	}
	return sb.ownerOnlyACL(b.Owner)
}

func (sb *Sandbox) ownerOnlyACL(account string) *policy.ACL {
	id := canonicalIDFor(account)
	if a := sb.st.Accounts[account]; a != nil {
		id = a.CanonicalID
	}
	full := policy.Grant{Type: policy.GranteeCanonicalUser, ID: id, Permission: policy.PermFullControl}
	return &policy.ACL{Owner: id, Grants: []policy.Grant{full}}
}

// keySetup describes a KMS key for the evaluator; nil when the key is not
// known to the sandbox.
func (sb *Sandbox) keySetup(arn string) *policy.KeySetup {
	k, _ := sb.findKey(arn)
	if k == nil {
		return nil
	}
	return &policy.KeySetup{ARN: arn, AWSManaged: k.AWSManaged, Policy: sb.policies.parse(k.Policy)}
}
