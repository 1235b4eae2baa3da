package sandbox

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/s3grant/s3grant/policy"
)

// getObject serves GetObject and HeadObject. A missing key is 404 NoSuchKey
// only for callers who may list the bucket, 403 for the others, as in S3.
func (c *call) getObject(t *s3Target) *apiError {
	obj := t.bucket.Objects[t.key]
	head := c.r.Method == http.MethodHead
	if obj == nil {
		if err := c.authorizeS3(t, "s3:GetObject", t.key, nil, nil, nil); err != nil {
			return err
		}
		if c.authorizeS3(t, "s3:ListBucket", "", nil, nil, nil) != nil {
			return errf(http.StatusForbidden, "AccessDenied",
				"Access Denied (the key does not exist, and without s3:ListBucket S3 does not say so)")
		}
		return errf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	}
	var kms *policy.KeySetup
	if obj.SSE == "aws:kms" && !head {
		if kms = c.sb.keySetup(obj.KMSKeyARN); kms == nil {
			return errf(http.StatusBadRequest, "KMS.NotFoundException",
				"the object's KMS key %s does not exist", obj.KMSKeyARN)
		}
	}
	if err := c.authorizeS3(t, "s3:GetObject", t.key, obj, nil, kms); err != nil {
		return err
	}
	if done, err := c.conditional(obj); done || err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("ETag", obj.ETag)
	h.Set("Last-Modified", obj.Modified.Format(http.TimeFormat))
	h.Set("Content-Type", obj.ContentType)
	h.Set("Accept-Ranges", "bytes")
	if obj.SSE != "" {
		h.Set("X-Amz-Server-Side-Encryption", obj.SSE)
	}
	if obj.KMSKeyARN != "" {
		h.Set("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", obj.KMSKeyARN)
	}
	for k, v := range obj.UserMetadata {
		h.Set("X-Amz-Meta-"+k, v)
	}
	start, end, status, err := byteRange(len(obj.Data), c.r.Header.Get("Range"))
	if err != nil {
		return err
	}
	data := obj.Data[start:end]
	if status == http.StatusPartialContent {
		h.Set("Content-Range", "bytes "+strconv.Itoa(start)+"-"+strconv.Itoa(end-1)+"/"+strconv.Itoa(len(obj.Data)))
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	c.w.WriteHeader(status)
	if !head {
		_, _ = c.w.Write(data)
	}
	return nil
}

func (c *call) putObject(t *s3Target) *apiError {
	if hdr := unmodelledPutHeader(c.r.Header); hdr != "" {
		return notImplemented("S3", "PutObject with "+hdr)
	}
	if len(t.key) > 1024 {
		return errf(http.StatusBadRequest, "KeyTooLongError", "Your key is too long (over 1024 bytes)")
	}
	obj, err := c.newObjectWrite(t, true) // authorises, then an anonymous caller's body is read
	if err != nil {
		return err
	}
	if md := c.r.Header.Get("Content-Md5"); md != "" {
		sum := md5.Sum(c.body)
		if md != base64.StdEncoding.EncodeToString(sum[:]) {
			return errf(http.StatusBadRequest, "BadDigest",
				"The Content-MD5 you specified did not match what we received.")
		}
	}
	obj.Data, obj.ETag, obj.Modified = c.body, etagOf(c.body), c.now
	t.bucket.Objects[t.key] = obj
	c.dirty = true
	c.w.Header().Set("ETag", obj.ETag)
	c.w.Header().Set("X-Amz-Server-Side-Encryption", obj.SSE)
	if obj.KMSKeyARN != "" {
		c.w.Header().Set("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", obj.KMSKeyARN)
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func userMetadata(h http.Header) map[string]string {
	var out map[string]string
	for k, v := range h {
		if name, ok := strings.CutPrefix(strings.ToLower(k), "x-amz-meta-"); ok && len(v) > 0 {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = v[0]
		}
	}
	return out
}

// encryptionFor picks the object's encryption from the request headers or
// the bucket's default and returns the key the evaluator must check.
func (c *call) encryptionFor(b *Bucket, obj *Object, ctx policy.Context) (*policy.KeySetup, *apiError) {
	algo := c.r.Header.Get("X-Amz-Server-Side-Encryption")
	keyID := c.r.Header.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id")
	keyAccount := c.caller.Account
	if algo != "" {
		ctx.Set("s3:x-amz-server-side-encryption", algo)
	}
	if keyID != "" {
		ctx.Set("s3:x-amz-server-side-encryption-aws-kms-key-id", keyID)
	}
	if algo == "" && b.Encryption != nil {
		algo, keyID, keyAccount = b.Encryption.Algorithm, b.Encryption.KMSKeyID, b.Owner
	}
	switch algo {
	case "", "AES256":
		obj.SSE = "AES256"
		return nil, nil
	case "aws:kms":
	default:
		return nil, errf(http.StatusBadRequest, "InvalidArgument",
			"x-amz-server-side-encryption %q is not supported by the sandbox: AES256 or aws:kms", algo)
	}
	var k *Key
	var arn string
	if keyID == "" {
		k, arn = c.sb.awsManagedS3Key(b.Owner, b.Region, c.now)
		c.dirty = true
	} else {
		k, arn = c.sb.resolveKey(keyID, keyAccount, b.Region)
	}
	if k == nil {
		return nil, errf(http.StatusBadRequest, "KMS.NotFoundException", "Invalid keyId %s", keyID)
	}
	obj.SSE, obj.KMSKeyARN = "aws:kms", arn
	return &policy.KeySetup{ARN: arn, AWSManaged: k.AWSManaged, Policy: c.sb.policies.parse(k.Policy)}, nil
}

// objectACLFor applies a canned ACL to a new object. With ACLs disabled
// only bucket-owner-full-control (which changes nothing) is accepted.
func (c *call) objectACLFor(b *Bucket, obj *Object, canned string) *apiError {
	for k := range c.r.Header {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-grant-") {
			return notImplemented("S3", "PutObject with x-amz-grant-* headers")
		}
	}
	if b.Ownership == policy.OwnershipBucketOwnerEnforced {
		if canned != "" && canned != "bucket-owner-full-control" {
			return errf(http.StatusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs")
		}
		return nil
	}
	owner := c.sb.ownerOnlyACL(obj.Writer)
	if obj.Writer == "" {
		owner = c.sb.ownerOnlyACL(b.Owner)
	}
	switch canned {
	case "", "private":
	case "bucket-owner-full-control", "bucket-owner-read":
		perm := policy.PermFullControl
		if canned == "bucket-owner-read" {
			perm = policy.PermRead
		}
		if bo := c.sb.st.Accounts[b.Owner]; bo != nil && bo.CanonicalID != owner.Owner {
			grant := policy.Grant{Type: policy.GranteeCanonicalUser, ID: bo.CanonicalID, Permission: perm}
			owner.Grants = append(owner.Grants, grant)
		}
	case "public-read", "public-read-write", "authenticated-read":
		if pab := c.effectiveBlockPublicAcls(b); pab {
			return errf(http.StatusForbidden, "AccessDenied",
				"Access Denied: Block Public Access BlockPublicAcls refuses the canned ACL %s", canned)
		}
		return notImplemented("S3", "PutObject with the public canned ACL "+canned)
	default:
		return errf(http.StatusBadRequest, "InvalidArgument", "unknown canned ACL %q", canned)
	}
	obj.ACL = owner
	return nil
}

func (c *call) effectiveBlockPublicAcls(b *Bucket) bool {
	a := c.sb.st.Accounts[b.Owner]
	return (b.PAB != nil && b.PAB.BlockPublicAcls) || (a != nil && a.PAB != nil && a.PAB.BlockPublicAcls)
}

func (c *call) deleteObject(t *s3Target) *apiError {
	if err := c.authorizeS3(t, "s3:DeleteObject", t.key, t.bucket.Objects[t.key], nil, nil); err != nil {
		return err
	}
	if _, ok := t.bucket.Objects[t.key]; ok {
		delete(t.bucket.Objects, t.key)
		c.dirty = true
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteObjects authorises each key on its own, reporting denials per key.
func (c *call) deleteObjects(t *s3Target) *apiError {
	var req deleteRequest
	if err := xml.Unmarshal(c.body, &req); err != nil || len(req.Objects) > 1000 {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	out := deleteResult{Xmlns: s3NS}
	for _, o := range req.Objects {
		if err := c.authorizeS3(t, "s3:DeleteObject", o.Key, t.bucket.Objects[o.Key], nil, nil); err != nil {
			out.Errors = append(out.Errors, struct {
				Key     string `xml:"Key"`
				Code    string `xml:"Code"`
				Message string `xml:"Message"`
			}{o.Key, err.Code, err.Message})
			continue
		}
		if _, ok := t.bucket.Objects[o.Key]; ok {
			delete(t.bucket.Objects, o.Key)
			c.dirty = true
		}
		if !req.Quiet {
			out.Deleted = append(out.Deleted, struct {
				Key string `xml:"Key"`
			}{o.Key})
		}
	}
	writeXML(c.w, out)
	return nil
}

// newObjectWrite authorizes s3:PutObject on t's key and returns the object a
// PutObject or CreateMultipartUpload creates: its writer, encryption, ACL and
// metadata from the request (the caller fills in the data). creation is the
// s3:ObjectCreationOperation value: true for PutObject, false for
// CreateMultipartUpload (see creationContext).
func (c *call) newObjectWrite(t *s3Target, creation bool) (*Object, *apiError) {
	canned := c.r.Header.Get("X-Amz-Acl")
	obj := &Object{
		Key: t.key, ContentType: c.r.Header.Get("Content-Type"), Writer: c.caller.Account,
		OwnerFull: canned == "bucket-owner-full-control",
	}
	if obj.ContentType == "" {
		obj.ContentType = "binary/octet-stream"
	}
	if c.caller.Anonymous {
		obj.Writer = ""
	}
	ctx := creationContext(creation, canned)
	kms, err := c.encryptionFor(t.bucket, obj, ctx)
	if err != nil {
		return nil, err
	}
	if err := c.authorizeS3(t, "s3:PutObject", t.key, nil, ctx, kms); err != nil {
		return nil, err
	}
	if err := c.objectACLFor(t.bucket, obj, canned); err != nil {
		return nil, err
	}
	obj.UserMetadata = userMetadata(c.r.Header)
	return obj, nil
}

// creationContext is the request context of a write: s3:ObjectCreationOperation
// is true for the requests that create the object (PutObject, CopyObject,
// CompleteMultipartUpload) and false for CreateMultipartUpload, UploadPart and
// UploadPartCopy, which AWS's guide on enforcing conditional writes exempts
// with it; s3:x-amz-acl is the canned ACL the object gets.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
func creationContext(creation bool, canned string) policy.Context {
	ctx := policy.Context{}.Set("s3:ObjectCreationOperation", strconv.FormatBool(creation))
	if canned != "" {
		ctx.Set("s3:x-amz-acl", canned)
	}
	return ctx
}
