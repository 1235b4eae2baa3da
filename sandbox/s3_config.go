package sandbox

import (
	"encoding/xml"
	"net/http"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// configOp authorises a bucket configuration call. These calls do not go
// through access points. The bucket policy calls answer 405 to principals
// of other accounts even when a policy allows them, and the owner's root
// user may always manage the bucket policy (so a policy can never lock the
// owner out for good).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
func (c *call) configOp(t *s3Target, action string, policyOp bool) *apiError {
	if t.ap != nil {
		return errf(http.StatusBadRequest, "InvalidRequest",
			"%s is a bucket configuration call: it cannot be made through an access point", action)
	}
	root := !c.caller.Anonymous && policy.ParsePrincipal(c.caller.ARN).Kind == "root" &&
		c.caller.Account == t.bucket.Owner
	if !(policyOp && root) {
		if err := c.authorizeS3(t, action, "", nil, nil, nil); err != nil {
			return err
		}
	}
	if policyOp && c.caller.Account != t.bucket.Owner {
		return errf(http.StatusMethodNotAllowed, "MethodNotAllowed",
			"The specified method is not allowed against this resource: "+
				"only the bucket owner's account may call %s", action)
	}
	return nil
}

func (c *call) getBucketPolicy(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:GetBucketPolicy", true); err != nil {
		return err
	}
	if t.bucket.Policy == "" {
		return errf(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	c.w.Header().Set("Content-Type", "application/json")
	_, _ = c.w.Write([]byte(t.bucket.Policy))
	return nil
}

func (c *call) putBucketPolicy(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutBucketPolicy", true); err != nil {
		return err
	}
	p, msg := c.sb.validatePolicy(string(c.body), policyCheck{
		kind: policy.KindBucketPolicy, needPrincipal: true,
		actionPrefix: []string{"s3:"}, resourceOK: bucketResourceOK(t.bucket.Name),
		resourceHint: "resources must be the bucket " + arn.Bucket(partition, t.bucket.Name) + " or objects in it",
	})
	if msg != "" {
		return errf(http.StatusBadRequest, "MalformedPolicy", "%s", msg)
	}
	if c.blockPublicPolicy(t.bucket) && policy.IsPublicPolicy(p) {
		return errf(http.StatusForbidden, "AccessDenied",
			"Access Denied: Block Public Access BlockPublicPolicy refuses a public bucket policy")
	}
	t.bucket.Policy = string(c.body)
	c.dirty = true
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (c *call) blockPublicPolicy(b *Bucket) bool {
	a := c.sb.st.Accounts[b.Owner]
	return (b.PAB != nil && b.PAB.BlockPublicPolicy) || (a != nil && a.PAB != nil && a.PAB.BlockPublicPolicy)
}

func (c *call) deleteBucketPolicy(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:DeleteBucketPolicy", true); err != nil {
		return err
	}
	if t.bucket.Policy != "" {
		t.bucket.Policy = ""
		c.dirty = true
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (c *call) getBucketPolicyStatus(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:GetBucketPolicyStatus", false); err != nil {
		return err
	}
	if t.bucket.Policy == "" {
		return errf(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	writeXML(c.w, policyStatusXML{Xmlns: s3NS, IsPublic: policy.IsPublicPolicy(c.sb.policies.parse(t.bucket.Policy))})
	return nil
}

func (c *call) getOwnership(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:GetBucketOwnershipControls", false); err != nil {
		return err
	}
	if t.bucket.Ownership == "" {
		return errf(http.StatusNotFound, "OwnershipControlsNotFoundError",
			"The bucket ownership controls were not found")
	}
	out := ownershipControls{Xmlns: s3NS}
	out.Rules = append(out.Rules, struct {
		ObjectOwnership string `xml:"ObjectOwnership"`
	}{t.bucket.Ownership})
	writeXML(c.w, out)
	return nil
}

func (c *call) putOwnership(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutBucketOwnershipControls", false); err != nil {
		return err
	}
	var in ownershipControls
	if err := xml.Unmarshal(c.body, &in); err != nil || len(in.Rules) != 1 {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	own := in.Rules[0].ObjectOwnership
	switch own {
	case policy.OwnershipBucketOwnerEnforced:
		if acl := t.bucket.ACL; acl != nil && len(acl.Grants) > 0 && !ownerOnly(acl, c.sb.st.Accounts[t.bucket.Owner]) {
			return errf(http.StatusBadRequest, "InvalidBucketAclWithObjectOwnership",
				"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
		}
	case policy.OwnershipBucketOwnerPreferred, policy.OwnershipObjectWriter:
	default:
		return errf(http.StatusBadRequest, "MalformedXML",
			"ObjectOwnership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, got %q", own)
	}
	t.bucket.Ownership = own
	c.dirty = true
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// ownerOnly reports whether an ACL grants nothing beyond the owner's
// FULL_CONTROL.
func ownerOnly(acl *policy.ACL, owner *Account) bool {
	for _, g := range acl.Grants {
		if owner == nil || g.Type != policy.GranteeCanonicalUser || g.ID != owner.CanonicalID {
			return false
		}
	}
	return true
}

func (c *call) deleteOwnership(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutBucketOwnershipControls", false); err != nil {
		return err
	}
	t.bucket.Ownership = ""
	c.dirty = true
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (c *call) getEncryption(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:GetEncryptionConfiguration", false); err != nil {
		return err
	}
	e := t.bucket.Encryption
	if e == nil {
		return errf(http.StatusNotFound, "ServerSideEncryptionConfigurationNotFoundError",
			"The server side encryption configuration was not found")
	}
	out := encryptionConfig{Xmlns: s3NS}
	out.Rules = make([]struct {
		Default struct {
			SSEAlgorithm   string `xml:"SSEAlgorithm"`
			KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
		} `xml:"ApplyServerSideEncryptionByDefault"`
		BucketKeyEnabled bool `xml:"BucketKeyEnabled"`
	}, 1)
	out.Rules[0].Default.SSEAlgorithm, out.Rules[0].Default.KMSMasterKeyID = e.Algorithm, e.KMSKeyID
	out.Rules[0].BucketKeyEnabled = e.BucketKey
	writeXML(c.w, out)
	return nil
}

func (c *call) putEncryption(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutEncryptionConfiguration", false); err != nil {
		return err
	}
	var in encryptionConfig
	if err := xml.Unmarshal(c.body, &in); err != nil || len(in.Rules) != 1 {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	r := in.Rules[0]
	switch r.Default.SSEAlgorithm {
	case "AES256", "aws:kms":
	default:
		return errf(http.StatusBadRequest, "InvalidArgument",
			"SSEAlgorithm must be AES256 or aws:kms (the sandbox does not model %q)", r.Default.SSEAlgorithm)
	}
	if r.Default.KMSMasterKeyID != "" && r.Default.SSEAlgorithm != "aws:kms" {
		return errf(http.StatusBadRequest, "InvalidArgument", "a KMSMasterKeyID needs SSEAlgorithm aws:kms")
	}
	t.bucket.Encryption = &Encryption{
		Algorithm: r.Default.SSEAlgorithm, KMSKeyID: r.Default.KMSMasterKeyID, BucketKey: r.BucketKeyEnabled,
	}
	c.dirty = true
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// deleteEncryption resets the bucket to SSE-S3, as S3 does since 2023.
func (c *call) deleteEncryption(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutEncryptionConfiguration", false); err != nil {
		return err
	}
	t.bucket.Encryption = &Encryption{Algorithm: "AES256"}
	c.dirty = true
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (c *call) getBucketPAB(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:GetBucketPublicAccessBlock", false); err != nil {
		return err
	}
	if t.bucket.PAB == nil {
		return errf(http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration",
			"The public access block configuration was not found")
	}
	writeXML(c.w, publicAccessBlockXML{Xmlns: s3NS, PublicAccessBlockConfig: *t.bucket.PAB})
	return nil
}

func (c *call) putBucketPAB(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutBucketPublicAccessBlock", false); err != nil {
		return err
	}
	var in publicAccessBlockXML
	if err := xml.Unmarshal(c.body, &in); err != nil {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	cfg := in.PublicAccessBlockConfig
	t.bucket.PAB = &cfg
	c.dirty = true
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (c *call) deleteBucketPAB(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutBucketPublicAccessBlock", false); err != nil {
		return err
	}
	t.bucket.PAB = nil
	c.dirty = true
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
