package sandbox

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/s3grant/s3grant/policy"
)

// caller is who signed a request.
type caller struct {
	ARN       string // user, assumed-role session or root ARN; "" when anonymous
	Account   string
	Anonymous bool
	UserID    string // aws:userid
	Cred      *Cred
}

// authError names the error each protocol uses for an authentication
// failure kind.
func (c *call) authError(kind string, msg string) *apiError {
	type pair struct {
		status int
		code   string
	}
	table := map[protocol]map[string]pair{
		protoS3: {
			"malformed": {400, "AuthorizationHeaderMalformed"},
			"key":       {403, "InvalidAccessKeyId"},
			"token":     {400, "InvalidToken"},
			"expired":   {400, "ExpiredToken"},
			"sig":       {403, "SignatureDoesNotMatch"},
			"skew":      {403, "RequestTimeTooSkewed"},
			"missing":   {403, "AccessDenied"},
		},
		protoQuery: {
			"malformed": {400, "IncompleteSignature"},
			"key":       {403, "InvalidClientTokenId"},
			"token":     {403, "InvalidClientTokenId"},
			"expired":   {403, "ExpiredToken"},
			"sig":       {403, "SignatureDoesNotMatch"},
			"skew":      {403, "SignatureDoesNotMatch"},
			"missing":   {403, "MissingAuthenticationToken"},
		},
		protoJSON: {
			"malformed": {400, "IncompleteSignatureException"},
			"key":       {400, "UnrecognizedClientException"},
			"token":     {400, "UnrecognizedClientException"},
			"expired":   {400, "ExpiredTokenException"},
			"sig":       {400, "InvalidSignatureException"},
			"skew":      {400, "InvalidSignatureException"},
			"missing":   {400, "MissingAuthenticationTokenException"},
		},
	}
	t := table[c.proto]
	if t == nil {
		t = table[protoS3]
	}
	p := t[kind]
	return errf(p.status, p.code, "%s", msg)
}

// authenticate checks the request's signature with the sandbox's secret for
// its access key and sets the caller. Unsigned requests are anonymous for
// S3 and refused by every other service.
func (c *call) authenticate(svc string) *apiError {
	if q := c.r.URL.Query(); q.Has("AWSAccessKeyId") || strings.HasPrefix(c.r.Header.Get("Authorization"), "AWS ") {
		return notImplemented("S3",
			"Signature Version 2 (presign with SigV4: set s3.signature_version = s3v4 in the profile)")
	}
	sig, err := parseSig(c.r)
	if err != nil {
		return c.authError("malformed",
			"the Authorization header is malformed: "+
				"it must be AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, "+
				"SignedHeaders=..., Signature=...")
	}
	if sig == nil {
		if svc == "s3" {
			c.caller = &caller{Anonymous: true}
			return nil
		}
		return c.authError("missing", "the request is not signed: sign it with SigV4 (the AWS CLI and SDKs do)")
	}
	cred := c.sb.st.Keys[sig.AccessKey]
	switch {
	case cred == nil:
		return c.authError("key", "the access key ID "+sig.AccessKey+" does not exist in the sandbox's records")
	case cred.Token != sig.Token:
		return c.authError("token", "the security token included in the request is invalid")
	case !cred.Expires.IsZero() && c.now.After(cred.Expires):
		return c.authError("expired", "the security token included in the request is expired")
	}
	if err := c.checkTime(sig); err != nil {
		return err
	}
	c.sig, c.cred = sig, cred
	c.declared = c.r.Header.Get("X-Amz-Content-Sha256")
	if sig.Presigned && c.declared == "" {
		c.declared = unsignedPayload
	}
	// S3 clients declare the payload's hash (or UNSIGNED-PAYLOAD, or
	// STREAMING-...), so the signature covers the headers alone and is
	// checked before a byte of the body is read; readBody then checks the
	// body against the declared hash. The query and JSON protocols sign the
	// body's own hash: finishAuth checks those once the body, capped at
	// Limits.MaxBody, is read.
	if c.declared != "" {
		if !verifySig(c.r, sig, cred.Secret, c.declared) {
			return c.sigMismatch()
		}
		c.verified = true
	}
	return nil
}

func (c *call) sigMismatch() *apiError {
	return c.authError("sig",
		"the request signature we calculated does not match the signature you provided: "+
			"check your secret access key and signing method")
}

// finishAuth completes authentication once the body is read: it checks
// the signature of a request that signed its body's hash, and sets the
// caller.
func (c *call) finishAuth() *apiError {
	if c.sig == nil {
		return nil // anonymous: authenticate set the caller
	}
	if !c.verified && !verifySig(c.r, c.sig, c.cred.Secret, sha256Hex(c.body)) {
		return c.sigMismatch()
	}
	c.caller = &caller{ARN: c.cred.Principal, Account: c.cred.Account, Cred: c.cred, UserID: c.userID(c.cred)}
	return nil
}

// maxPresignExpiry is the longest a SigV4 presigned URL may be valid:
// X-Amz-Expires "Minimum value of 1. Maximum value of 604800 (seven days)".
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
const maxPresignExpiry = 604800

// checkTime refuses a request signed too far from now, and a presigned URL
// that has expired, is valid for longer than seven days or is dated in
// the future beyond the clock skew AWS tolerates. The codes and messages
// are S3's: AuthorizationQueryParametersError for X-Amz-Expires (with 403,
// as S3 answers it), AccessDenied "Request is not valid yet" and "Request
// has expired" for the dates.
func (c *call) checkTime(sig *sigInfo) *apiError {
	if !sig.Presigned {
		if d := c.now.Sub(sig.Time); d > maxClockSkew || d < -maxClockSkew {
			return c.authError("skew", "the difference between the request time and the server's time is too large")
		}
		return nil
	}
	exp, err := strconv.Atoi(c.r.URL.Query().Get("X-Amz-Expires"))
	switch {
	case err != nil:
		return errf(http.StatusForbidden, "AuthorizationQueryParametersError", "X-Amz-Expires should be a number")
	case exp < 0:
		return errf(http.StatusForbidden, "AuthorizationQueryParametersError", "X-Amz-Expires must be non-negative")
	case exp > maxPresignExpiry:
		return errf(http.StatusForbidden, "AuthorizationQueryParametersError",
			"X-Amz-Expires must be less than a week (in seconds); "+
				"that is, the given X-Amz-Expires must be less than %d seconds", maxPresignExpiry)
	case sig.Time.Sub(c.now) > maxClockSkew:
		return errf(http.StatusForbidden, "AccessDenied", "Request is not valid yet")
	case c.now.After(sig.Time.Add(time.Duration(exp) * time.Second)):
		return errf(http.StatusForbidden, "AccessDenied", "Request has expired")
	}
	return nil
}

func (c *call) userID(cred *Cred) string {
	p := policy.ParsePrincipal(cred.Principal)
	acct := c.sb.st.Accounts[cred.Account]
	switch {
	case acct == nil:
		return ""
	case p.Kind == "user" && acct.Users[p.Name] != nil:
		return acct.Users[p.Name].ID
	case p.Kind == "assumed-role" && acct.Roles[p.Name] != nil:
		return acct.Roles[p.Name].ID + ":" + p.Session
	}
	return cred.Account
}

// baseContext holds the global condition keys every request carries.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (c *call) baseContext() policy.Context {
	ctx := policy.Context{}
	ctx.Set("aws:SecureTransport", strconv.FormatBool(c.secure))
	ctx.Set("aws:CurrentTime", c.now.Format(time.RFC3339))
	ctx.Set("aws:EpochTime", strconv.FormatInt(c.now.Unix(), 10))
	if host, _, err := net.SplitHostPort(c.r.RemoteAddr); err == nil {
		ctx.Set("aws:SourceIp", host)
	}
	if c.sig != nil {
		ctx.Set("aws:RequestedRegion", c.sig.Region)
	}
	if c.caller != nil && !c.caller.Anonymous {
		ctx.Set("aws:userid", c.caller.UserID)
		ctx.Set("aws:PrincipalIsAWSService", "false")
		ctx.Set("aws:ViaAWSService", "false")
		if c.caller.Cred != nil && c.caller.Cred.Token != "" {
			ctx.Set("aws:TokenIssueTime", c.caller.Cred.Issued.Format(time.RFC3339))
		}
	}
	return ctx
}
