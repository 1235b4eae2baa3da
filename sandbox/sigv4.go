package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Signature Version 4, verified by hand: the sandbox is the server side,
// which the SDK's signer does not cover.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

const (
	sigAlgorithm      = "AWS4-HMAC-SHA256"
	unsignedPayload   = "UNSIGNED-PAYLOAD"
	emptySHA256       = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	maxClockSkew      = 15 * time.Minute
	amzDateLayout     = "20060102T150405Z"
	streamingPrefix   = "STREAMING-"
	signedChunkPrefix = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
)

// sigInfo is what a request says about its signature.
type sigInfo struct {
	AccessKey     string
	Date          string // yyyymmdd of the scope
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string
	Time          time.Time
	Presigned     bool
	Token         string
}

func (s *sigInfo) scope() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/aws4_request"
}

var errMalformedAuth = errors.New("malformed authorization")

// parseSig reads the Authorization header or the presigned query. It
// returns nil, nil for an unsigned (anonymous) request.
func parseSig(r *http.Request) (*sigInfo, error) {
	q := r.URL.Query()
	if h := r.Header.Get("Authorization"); h != "" {
		if !strings.HasPrefix(h, sigAlgorithm+" ") {
			return nil, errMalformedAuth
		}
		s := &sigInfo{Token: r.Header.Get("X-Amz-Security-Token")}
		for _, part := range strings.Split(strings.TrimPrefix(h, sigAlgorithm+" "), ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch k {
			case "Credential":
				if err := s.setCredential(v); err != nil {
					return nil, err
				}
			case "SignedHeaders":
				s.SignedHeaders = strings.Split(v, ";")
			case "Signature":
				s.Signature = v
			}
		}
		return s, s.setTime(r.Header.Get("X-Amz-Date"), r.Header.Get("Date"))
	}
	if q.Get("X-Amz-Algorithm") == "" {
		return nil, nil
	}
	s := &sigInfo{
		Presigned: true, Signature: q.Get("X-Amz-Signature"), Token: q.Get("X-Amz-Security-Token"),
		SignedHeaders: strings.Split(q.Get("X-Amz-SignedHeaders"), ";"),
	}
	if q.Get("X-Amz-Algorithm") != sigAlgorithm {
		return nil, errMalformedAuth
	}
	if err := s.setCredential(q.Get("X-Amz-Credential")); err != nil {
		return nil, err
	}
	return s, s.setTime(q.Get("X-Amz-Date"), "")
}

func (s *sigInfo) setCredential(v string) error {
	f := strings.Split(v, "/")
	if len(f) != 5 || f[4] != "aws4_request" || f[0] == "" {
		return errMalformedAuth
	}
	s.AccessKey, s.Date, s.Region, s.Service = f[0], f[1], f[2], f[3]
	return nil
}

func (s *sigInfo) setTime(amz, date string) error {
	if s.Signature == "" || len(s.SignedHeaders) == 0 {
		return errMalformedAuth
	}
	t, err := time.Parse(amzDateLayout, amz)
	if err != nil {
		if t, err = http.ParseTime(date); err != nil {
			return errMalformedAuth
		}
	}
	s.Time = t
	return nil
}

// signingKey derives the key for the signature's scope.
func signingKey(secret string, s *sigInfo) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), s.Date)
	k = hmacSHA256(k, s.Region)
	k = hmacSHA256(k, s.Service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// verifySig checks the signature against secret. payloadHash is the hash the
// canonical request uses (the x-amz-content-sha256 header for S3, the body's
// hash otherwise).
func verifySig(r *http.Request, s *sigInfo, secret, payloadHash string) bool {
	key := signingKey(secret, s)
	want, err := hex.DecodeString(s.Signature)
	if err != nil {
		return false
	}
	for _, uri := range canonicalURIs(r, s.Service) {
		canon := strings.Join([]string{
			r.Method, uri, canonicalQuery(r.URL.Query()),
			canonicalHeaders(r, s.SignedHeaders), strings.Join(s.SignedHeaders, ";"), payloadHash,
		}, "\n")
		sts := strings.Join([]string{
			sigAlgorithm, s.Time.UTC().Format(amzDateLayout), s.scope(), sha256Hex([]byte(canon)),
		}, "\n")
		if hmac.Equal(hmacSHA256(key, sts), want) {
			return true
		}
	}
	return false
}

// canonicalURIs lists the encodings of the path a client may have signed:
// S3 signs the path encoded once; other services encode it twice. The
// client's own encoding (RawPath) is tried too, since clients differ in the
// characters they leave alone.
func canonicalURIs(r *http.Request, service string) []string {
	path := r.URL.Path
	if path == "" {
		path = "/"
	}
	once := awsEscape(path, false)
	out := []string{once}
	if raw := r.URL.EscapedPath(); raw != once {
		out = append(out, raw)
	}
	if service != "s3" {
		out = append(out, awsEscape(once, false))
	}
	return out
}

// awsEscape percent-encodes every byte but the unreserved characters
// (A-Z a-z 0-9 - _ . ~), and '/' unless slash is set.
func awsEscape(s string, slash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		unreserved := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
		if unreserved || (c == '/' && !slash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func canonicalQuery(q url.Values) string {
	var pairs []string
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, awsEscape(k, true)+"="+awsEscape(v, true))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, n := range names {
		var v string
		switch n {
		case "host":
			v = r.Host
		case "content-length":
			v = r.Header.Get("Content-Length")
			if v == "" && r.ContentLength >= 0 {
				v = strconv.FormatInt(r.ContentLength, 10)
			}
		default:
			vals := append([]string(nil), r.Header.Values(n)...)
			for i := range vals {
				vals[i] = strings.Join(strings.Fields(vals[i]), " ")
			}
			v = strings.Join(vals, ",")
		}
		b.WriteString(n + ":" + v + "\n")
	}
	return b.String()
}
