package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits bound what one client can make the sandbox hold: it listens on
// 127.0.0.1 only, but a browser page or another local user can reach it,
// and it keeps objects in memory. The zero value of a field means its
// default.
type Limits struct {
	// MaxObjectBody caps a PutObject or UploadPart body (default 64 MiB):
	// the sandbox keeps objects in memory. Multipart uploads of larger
	// objects work part by part.
	MaxObjectBody int64
	// MaxBody caps every other request body (default 1 MiB): policies,
	// ACLs, configurations, IAM, STS and KMS calls are all far smaller
	// (a bucket policy is at most 20 KB, a DeleteObjects of 1,000 keys
	// about 200 KB).
	MaxBody int64
	// MaxHeaderBytes caps the request line and headers (default 64 KiB;
	// a presigned URL with a session token is under 4 KB).
	MaxHeaderBytes int
	// ReadHeaderTimeout is how long a client has to send the request line
	// and headers, or the first byte of a connection (default 10 s).
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client has to send a whole request, body
	// included (default 5 min: 64 MiB at well under 1 MB/s).
	ReadTimeout time.Duration
	// IdleTimeout closes a keep-alive connection with no request (default
	// 2 min).
	IdleTimeout time.Duration
	// MaxConns caps the connections served at once (default 256); more
	// wait in the listen queue until one closes.
	MaxConns int
}

// withDefaults fills the fields left zero.
func (l Limits) withDefaults() Limits {
	def := Limits{
		MaxObjectBody: 64 << 20, MaxBody: 1 << 20, MaxHeaderBytes: 64 << 10,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxConns: 256,
	}
	pick := func(v, d int64) int64 {
		if v > 0 {
			return v
		}
		return d
	}
	l.MaxObjectBody = pick(l.MaxObjectBody, def.MaxObjectBody)
	l.MaxBody = pick(l.MaxBody, def.MaxBody)
	l.MaxHeaderBytes = int(pick(int64(l.MaxHeaderBytes), int64(def.MaxHeaderBytes)))
	l.ReadHeaderTimeout = time.Duration(pick(int64(l.ReadHeaderTimeout), int64(def.ReadHeaderTimeout)))
	l.ReadTimeout = time.Duration(pick(int64(l.ReadTimeout), int64(def.ReadTimeout)))
	l.IdleTimeout = time.Duration(pick(int64(l.IdleTimeout), int64(def.IdleTimeout)))
	l.MaxConns = int(pick(int64(l.MaxConns), int64(def.MaxConns)))
	return l
}

// bodyLimit is the cap for this request's body: object data (PutObject,
// UploadPart: an S3 PUT with no subresource but the part's) gets
// MaxObjectBody, everything else MaxBody.
func (c *call) bodyLimit(svc string) int64 {
	if svc != "s3" || c.r.Method != http.MethodPut {
		return c.sb.limits.MaxBody
	}
	for k := range c.r.URL.Query() {
		switch {
		case k == "partNumber", k == "uploadId", k == "x-id", strings.HasPrefix(k, "X-Amz-"):
		default:
			return c.sb.limits.MaxBody // ?policy, ?acl, ?tagging ...
		}
	}
	return c.sb.limits.MaxObjectBody
}

func tooLarge(limit int64) *apiError {
	return errf(http.StatusBadRequest, "EntityTooLarge",
		"Your proposed upload exceeds the maximum allowed size: "+
			"the sandbox keeps objects in memory and takes bodies up to %d bytes for this request", limit)
}

// readBody reads the request's body, which authenticate has cleared: a
// declared content hash is checked as the bytes arrive, an aws-chunked
// body is decoded (and its chunk signatures checked) while it is read, so
// only the decoded bytes are kept. A body longer than its cap is refused
// before it is read when Content-Length says so, else once the cap is
// passed.
func (c *call) readBody(svc string) *apiError {
	if c.r.Body == nil || c.r.Body == http.NoBody {
		return nil
	}
	limit := c.bodyLimit(svc)
	if c.r.ContentLength > limit && !strings.HasPrefix(c.declared, streamingPrefix) {
		return tooLarge(limit)
	}
	if strings.HasPrefix(c.declared, streamingPrefix) {
		return c.readStreaming(limit)
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(0, min(c.r.ContentLength, limit))))
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(buf, h), io.LimitReader(c.r.Body, limit+1))
	switch {
	case err != nil:
		return errf(http.StatusBadRequest, "IncompleteBody", "the request body could not be read: %v", err)
	case n > limit:
		return tooLarge(limit)
	case c.declared != "" && c.declared != unsignedPayload && c.declared != hex.EncodeToString(h.Sum(nil)):
		return errf(http.StatusBadRequest, "XAmzContentSHA256Mismatch",
			"the provided 'x-amz-content-sha256' header does not match what was computed")
	}
	c.body = buf.Bytes()
	return nil
}

// readStreaming decodes an aws-chunked body of at most limit decoded bytes
// (X-Amz-Decoded-Content-Length says how many are coming).
func (c *call) readStreaming(limit int64) *apiError {
	if n, err := strconv.ParseInt(c.r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64); err == nil && n > limit {
		return tooLarge(limit)
	}
	var key []byte
	switch c.declared {
	case signedChunkPrefix, signedChunkPrefix + "-TRAILER":
		key = signingKey(c.cred.Secret, c.sig)
	case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
	default:
		return notImplemented("S3", "uploads signed with "+c.declared)
	}
	body, err := decodeAWSChunked(c.r.Body, key, c.sig, limit)
	switch {
	case errors.Is(err, errChunkSignature):
		return c.authError("sig", err.Error())
	case errors.Is(err, errChunkTooLarge):
		return tooLarge(limit)
	case err != nil:
		return errf(http.StatusBadRequest, "IncompleteBody", "%v", err)
	}
	c.body = body
	return nil
}

// loadDeferredBody reads an anonymous request's body once the request is
// authorised: an anonymous client makes the sandbox read nothing it would
// refuse anyway.
func (c *call) loadDeferredBody() *apiError {
	if !c.deferredBody {
		return nil
	}
	c.deferredBody = false
	return c.readBody(c.svc)
}

// secretParam matches the query parameters that carry a signature, a
// credential or a session token (SigV4 presigned URLs and SigV2's).
// Compiled on first use, as the package's other patterns: every command
// links the sandbox, and its init runs before the wizard's first frame.
var secretParam = lazyRegexp(`(?i)((?:^|&)` +
	`(?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|AWSAccessKeyId)` +
	`=)[^&]*`)

// redactedURI is the request's path and query for the log, with the values
// of secretParam replaced: a presigned URL in a log is a working
// credential until it expires.
func redactedURI(u *url.URL) string {
	uri := u.EscapedPath()
	if u.RawQuery != "" {
		uri += "?" + secretParam().ReplaceAllString(u.RawQuery, "${1}REDACTED")
	}
	return uri
}
