package sandbox

import (
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// s3Target is what an S3 request names: a bucket, directly or through an
// access point (ARN, alias or host), and a key.
type s3Target struct {
	name      string // the bucket name as the request gave it
	bucket    *Bucket
	ap        *AccessPoint
	apAccount string
	key       string
}

func (t *s3Target) apARN() string {
	if t.ap == nil {
		return ""
	}
	return apARN(t.ap.Region, t.apAccount, t.ap.Name)
}

func apARN(region, account, name string) string {
	return arn.AccessPoint(partition, region, account, name)
}

var (
	apHostLabel = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.+)-(\d{12})$`) })
	// awsBucketHost is AWS's virtual-hosted style (BUCKET.s3.REGION.amazonaws.com,
	// BUCKET.s3.amazonaws.com), which a client resolving AWS's own endpoints
	// sends when it reaches the sandbox through a proxy or its own transport.
	awsBucketHost = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$`)
	})
	apARNPath = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:` + regexp.QuoteMeta(partition) +
			`:s3:([a-z0-9-]+):(\d{12}):accesspoint[/:]([a-z0-9-]+)(?:/(.*))?$`)
	})
)

// parseS3Target reads the bucket and key from the host (virtual-hosted
// style under *.localhost, or an access point host NAME-ACCOUNT.HOST) or
// the path (path style, an access point ARN or alias as the bucket).
func (c *call) parseS3Target() *s3Target {
	host := c.r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	path := strings.TrimPrefix(c.r.URL.Path, "/")
	t := &s3Target{}
	named := net.ParseIP(host) == nil && host != "localhost" && !strings.HasPrefix(host, "s3.")
	if label, rest, ok := strings.Cut(host, "."); ok && named {
		if m := apHostLabel().FindStringSubmatch(label); m != nil {
			if a := c.sb.st.Accounts[m[2]]; a != nil && a.AccessPoints[m[1]] != nil {
				c.useAccessPoint(t, m[2], m[1])
				t.key = path
				return t
			}
		}
		if rest == "localhost" || strings.HasSuffix(rest, ".localhost") {
			t.name, t.key = label, path
			c.resolveBucket(t)
			return t
		}
	}
	if m := awsBucketHost().FindStringSubmatch(host); m != nil {
		t.name, t.key = m[1], path
		c.resolveBucket(t)
		return t
	}
	if m := apARNPath().FindStringSubmatch(path); m != nil {
		t.name, t.key = apARN(m[1], m[2], m[3]), m[4]
		if a := c.sb.st.Accounts[m[2]]; a != nil && a.AccessPoints[m[3]] != nil {
			c.useAccessPoint(t, m[2], m[3])
		}
		return t
	}
	t.name, t.key, _ = strings.Cut(path, "/")
	c.resolveBucket(t)
	return t
}

func (c *call) useAccessPoint(t *s3Target, account, name string) {
	t.ap = c.sb.st.Accounts[account].AccessPoints[name]
	t.apAccount = account
	t.bucket = c.sb.st.Buckets[t.ap.Bucket]
	if t.name == "" {
		t.name = apARN(t.ap.Region, account, name)
	}
}

// resolveBucket finds the bucket by name, or the access point whose alias
// the name is.
func (c *call) resolveBucket(t *s3Target) {
	if b := c.sb.st.Buckets[t.name]; b != nil {
		t.bucket = b
		return
	}
	if !strings.HasSuffix(t.name, "-s3alias") {
		return
	}
	for _, id := range sortedKeys(c.sb.st.Accounts) {
		for _, ap := range c.sb.st.Accounts[id].AccessPoints {
			if ap.Alias == t.name {
				c.useAccessPoint(t, id, ap.Name)
				return
			}
		}
	}
}

// serveS3 routes an S3 request to its operation by method, key and
// subresource. Anything else is NotImplemented, named.
func (c *call) serveS3() *apiError {
	t := c.parseS3Target()
	if t.name == "" {
		if c.r.Method == http.MethodGet {
			return c.listBuckets()
		}
		return notImplemented("S3", c.r.Method+" /")
	}
	sub := s3Subresource(c.r)
	op := s3Operation(c.r.Method, t.key != "", sub, c.r.Header.Get("X-Amz-Copy-Source") != "")
	h := s3Handler(op)
	if h == nil {
		return notImplemented("S3", op)
	}
	if op != "CreateBucket" {
		if err := c.requireBucket(t); err != nil {
			return err
		}
	}
	return h(c, t)
}

// s3Handler returns the handler of an operation the sandbox models, or nil.
func s3Handler(op string) func(*call, *s3Target) *apiError {
	switch op {
	case "CreateBucket":
		return (*call).createBucket
	case "DeleteBucket":
		return (*call).deleteBucket
	case "HeadBucket":
		return (*call).headBucket
	case "GetBucketLocation":
		return (*call).getBucketLocation
	case "ListObjects", "ListObjectsV2":
		return (*call).listObjects
	case "GetObject", "HeadObject":
		return (*call).getObject
	case "PutObject":
		return (*call).putObject
	case "DeleteObject":
		return (*call).deleteObject
	case "DeleteObjects":
		return (*call).deleteObjects
	case "GetObjectAcl":
		return (*call).getObjectACL
	case "CreateMultipartUpload":
		return (*call).createMultipartUpload
	case "UploadPart":
		return (*call).uploadPart
	case "CompleteMultipartUpload":
		return (*call).completeMultipartUpload
	case "AbortMultipartUpload":
		return (*call).abortMultipartUpload
	}
	return s3ConfigHandler(op)
}

func s3ConfigHandler(op string) func(*call, *s3Target) *apiError {
	switch op {
	case "GetBucketPolicy":
		return (*call).getBucketPolicy
	case "PutBucketPolicy":
		return (*call).putBucketPolicy
	case "DeleteBucketPolicy":
		return (*call).deleteBucketPolicy
	case "GetBucketPolicyStatus":
		return (*call).getBucketPolicyStatus
	case "GetBucketAcl":
		return (*call).getBucketACL
	case "PutBucketAcl":
		return (*call).putBucketACL
	case "GetBucketOwnershipControls":
		return (*call).getOwnership
	case "PutBucketOwnershipControls":
		return (*call).putOwnership
	case "DeleteBucketOwnershipControls":
		return (*call).deleteOwnership
	case "GetBucketEncryption":
		return (*call).getEncryption
	case "PutBucketEncryption":
		return (*call).putEncryption
	case "DeleteBucketEncryption":
		return (*call).deleteEncryption
	case "GetPublicAccessBlock":
		return (*call).getBucketPAB
	case "PutPublicAccessBlock":
		return (*call).putBucketPAB
	case "DeletePublicAccessBlock":
		return (*call).deleteBucketPAB
	case "GetBucketLogging":
		return (*call).getBucketLogging
	case "PutBucketLogging":
		return (*call).putBucketLogging
	}
	return nil
}

// isS3Param reports whether a query parameter is a request parameter
// rather than a subresource.
func isS3Param(k string) bool {
	switch k {
	case "prefix", "delimiter", "max-keys", "marker", "list-type", "continuation-token", "start-after", "encoding-type",
		"fetch-owner", "x-id", "response-content-type", "response-content-disposition", "response-cache-control",
		"response-content-encoding", "response-content-language", "response-expires", "x-amz-expected-bucket-owner",
		"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
		"X-Amz-Security-Token", "X-Amz-Content-Sha256":
		return true
	}
	return false
}

// s3Subresource returns the request's subresource (?policy, ?acl, ...) or
// "list-type=2" for ListObjectsV2, "" for none.
func s3Subresource(r *http.Request) string {
	q := r.URL.Query()
	if q.Get("list-type") == "2" {
		return "list-type=2"
	}
	for _, k := range sortedKeys(q) {
		if !isS3Param(k) {
			return k
		}
	}
	return ""
}

// s3Operation names the S3 API operation of a request.
func s3Operation(method string, hasKey bool, sub string, copySource bool) string {
	type k struct {
		method string
		key    bool
		sub    string
	}
	known := map[k]string{
		{"PUT", false, ""}: "CreateBucket", {"DELETE", false, ""}: "DeleteBucket", {"HEAD", false, ""}: "HeadBucket",
		{"GET", false, "location"}: "GetBucketLocation",
		{"GET", false, ""}:         "ListObjects", {"GET", false, "list-type=2"}: "ListObjectsV2",
		{"GET", true, ""}: "GetObject", {"HEAD", true, ""}: "HeadObject",
		{"PUT", true, ""}: "PutObject", {"DELETE", true, ""}: "DeleteObject",
		{"POST", false, "delete"}: "DeleteObjects", {"GET", false, "policyStatus"}: "GetBucketPolicyStatus",
		{"GET", true, "acl"}: "GetObjectAcl", {"PUT", true, "acl"}: "PutObjectAcl",
		{"GET", true, "tagging"}: "GetObjectTagging", {"PUT", true, "tagging"}: "PutObjectTagging",
		{"POST", true, "uploads"}: "CreateMultipartUpload", {"PUT", true, "partNumber"}: "UploadPart",
		{"POST", true, "uploadId"}: "CompleteMultipartUpload", {"DELETE", true, "uploadId"}: "AbortMultipartUpload",
		{"GET", true, "uploadId"}: "ListParts", {"GET", false, "uploads"}: "ListMultipartUploads",
		{"GET", false, "versions"}: "ListObjectVersions", {"GET", true, "attributes"}: "GetObjectAttributes",
	}
	if copySource && method == "PUT" && hasKey && sub == "" {
		return "CopyObject"
	}
	if op, ok := known[k{method, hasKey, sub}]; ok {
		return op
	}
	verb := map[string]string{"GET": "Get", "PUT": "Put", "DELETE": "Delete", "HEAD": "Head", "POST": "Post"}[method]
	if sub == "" {
		return method + " request"
	}
	name := strings.ToUpper(sub[:1]) + sub[1:]
	switch name {
	case "Policy", "Acl", "OwnershipControls", "Encryption", "Versioning", "Tagging",
		"Cors", "Lifecycle", "Website", "Logging", "Replication":
		return verb + "Bucket" + name
	case "PublicAccessBlock":
		return verb + name
	}
	return verb + " ?" + sub
}

// requireBucket answers NoSuchBucket (or NoSuchAccessPoint) when the target
// does not exist.
func (c *call) requireBucket(t *s3Target) *apiError {
	if strings.HasPrefix(t.name, "arn:") && t.ap == nil {
		return errf(http.StatusNotFound, "NoSuchAccessPoint", "The specified accesspoint does not exist: %s", t.name)
	}
	if t.bucket == nil {
		return errf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist: %s", t.name)
	}
	if want := c.r.Header.Get("X-Amz-Expected-Bucket-Owner"); want != "" && want != t.bucket.Owner {
		return errf(http.StatusForbidden, "AccessDenied",
			"Access Denied: the bucket is not owned by the expected bucket owner %s", want)
	}
	return nil
}

// s3Request builds the evaluator's view of an S3 request on t.
func (c *call) s3Request(t *s3Target, action, key string, extra policy.Context) policy.S3Request {
	ctx := c.baseContext()
	for k, v := range extra {
		ctx[k] = v
	}
	ctx.Set("s3:signatureversion", "AWS4-HMAC-SHA256")
	if c.sig != nil && c.sig.Presigned {
		ctx.Set("s3:authType", "REST-QUERY-STRING")
	} else if c.sig != nil {
		ctx.Set("s3:authType", "REST-HEADER")
	}
	req := policy.S3Request{
		Principal: c.caller.ARN, Action: action, Bucket: t.bucket.Name, Key: key, BucketAccount: t.bucket.Owner,
		AccessPoint: t.apARN(), Context: ctx,
	}
	if a := c.sb.st.Accounts[c.caller.Account]; a != nil {
		req.CanonicalID = a.CanonicalID
	}
	return req
}
