package sandbox

import (
	"errors"
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
		protoS3: {"malformed": {400, "AuthorizationHeaderMalformed"}, "key": {403, "InvalidAccessKeyId"}, "token": {400, "InvalidToken"},
			"expired": {400, "ExpiredToken"}, "sig": {403, "SignatureDoesNotMatch"}, "skew": {403, "RequestTimeTooSkewed"}, "missing": {403, "AccessDenied"}},
		protoQuery: {"malformed": {400, "IncompleteSignature"}, "key": {403, "InvalidClientTokenId"}, "token": {403, "InvalidClientTokenId"},
			"expired": {403, "ExpiredToken"}, "sig": {403, "SignatureDoesNotMatch"}, "skew": {403, "SignatureDoesNotMatch"}, "missing": {403, "MissingAuthenticationToken"}},
		protoJSON: {"malformed": {400, "IncompleteSignatureException"}, "key": {400, "UnrecognizedClientException"}, "token": {400, "UnrecognizedClientException"},
			"expired": {400, "ExpiredTokenException"}, "sig": {400, "InvalidSignatureException"}, "skew": {400, "InvalidSignatureException"}, "missing": {400, "MissingAuthenticationTokenException"}},
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
		return notImplemented("S3", "Signature Version 2 (presign with SigV4: set s3.signature_version = s3v4 in the profile)")
	}
	sig, err := parseSig(c.r)
	if err != nil {
		return c.authError("malformed", "the Authorization header is malformed: it must be AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...")
	}
	if sig == nil {
		if svc == "s3" {
			c.caller = &caller{Anonymous: true}
			return nil
		}
		return c.authError("missing", "the request is not signed: sign it with SigV4 (the AWS CLI and SDKs do)")
	}
	c.sig = sig
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
	hash, aerr := c.payloadHash(svc, sig)
	if aerr != nil {
		return aerr
	}
	if !verifySig(c.r, sig, cred.Secret, hash) {
		return c.authError("sig", "the request signature we calculated does not match the signature you provided: check your secret access key and signing method")
	}
	if strings.HasPrefix(hash, streamingPrefix) {
		if err := c.decodeStreaming(hash, cred.Secret, sig); err != nil {
			return err
		}
	}
	c.caller = &caller{ARN: cred.Principal, Account: cred.Account, Cred: cred, UserID: c.userID(cred)}
	return nil
}

func (c *call) checkTime(sig *sigInfo) *apiError {
	if sig.Presigned {
		exp, _ := strconv.Atoi(c.r.URL.Query().Get("X-Amz-Expires"))
		if c.now.After(sig.Time.Add(time.Duration(exp) * time.Second)) {
			return errf(http.StatusForbidden, "AccessDenied", "Request has expired")
		}
		return nil
	}
	if d := c.now.Sub(sig.Time); d > maxClockSkew || d < -maxClockSkew {
		return c.authError("skew", "the difference between the request time and the server's time is too large")
	}
	return nil
}

// payloadHash returns the hash the signature covers, checking a declared
// hash against the body.
func (c *call) payloadHash(svc string, sig *sigInfo) (string, *apiError) {
	declared := c.r.Header.Get("X-Amz-Content-Sha256")
	switch {
	case sig.Presigned && declared == "":
		return unsignedPayload, nil
	case declared == "" && (svc == "s3" || svc == "s3control"):
		return sha256Hex(c.body), nil
	case declared == "":
		return sha256Hex(c.body), nil
	case declared == unsignedPayload || strings.HasPrefix(declared, streamingPrefix):
		return declared, nil
	case declared != sha256Hex(c.body):
		return "", errf(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "the provided 'x-amz-content-sha256' header does not match what was computed")
	}
	return declared, nil
}

func (c *call) decodeStreaming(mode, secret string, sig *sigInfo) *apiError {
	var key []byte
	switch mode {
	case signedChunkPrefix, signedChunkPrefix + "-TRAILER":
		key = signingKey(secret, sig)
	case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
	default:
		return notImplemented("S3", "uploads signed with "+mode)
	}
	body, err := decodeAWSChunked(c.body, key, sig)
	if errors.Is(err, errChunkSignature) {
		return c.authError("sig", err.Error())
	}
	if err != nil {
		return errf(http.StatusBadRequest, "IncompleteBody", "%v", err)
	}
	c.body = body
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
