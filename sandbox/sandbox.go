// Package sandbox is s3grant's practice AWS: an in-process server on
// 127.0.0.1 that speaks the parts of the S3, S3 Control, IAM, STS, KMS and
// CloudTrail wire protocols s3grant and a consumer's everyday commands use,
// for two (or more) accounts seeded with a demo. Every request is signed (SigV4,
// verified with the sandbox's own secrets) and authorised by s3grant's
// policy evaluator, so what a client sees is what the policies allow.
// Requests it does not model get NotImplemented (501), never a guess.
//
// It implements the protocols with net/http, encoding/xml and encoding/json;
// it does not import the AWS SDK.
package sandbox

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3grant/s3grant/policy"
)

// Options configure a sandbox.
type Options struct {
	// StatePath keeps the state in this file (0600) across runs; "" keeps
	// it in memory only.
	StatePath string
	// Empty starts without the demo: the three accounts and their admin
	// users only (the test harness builds its own world).
	Empty bool
	// Log, when set, gets one line per request: who, what, the answer and,
	// for a denial, the evaluator's first reason. Signatures, credentials
	// and session tokens are redacted.
	Log io.Writer
	// Limits bound bodies, headers, connections and how long a client may
	// take; zero fields get their defaults.
	Limits Limits
}

// Sandbox is the state and the request handler. It is safe for concurrent
// use: reads share a lock, writes take it alone.
type Sandbox struct {
	mu       sync.RWMutex
	st       *State
	path     string
	policies *policyCache
	seq      atomic.Int64
	log      io.Writer
	logMu    sync.Mutex
	limits   Limits
}

// New loads the state from opts.StatePath when the file exists, and seeds
// the demo otherwise (saving it when a path is given).
func New(opts Options) (*Sandbox, error) {
	sb := &Sandbox{path: opts.StatePath, policies: newPolicyCache(), log: opts.Log, limits: opts.Limits.withDefaults()}
	if opts.StatePath != "" {
		st, err := loadState(opts.StatePath)
		if err != nil {
			return nil, err
		}
		sb.st = st
	}
	if sb.st == nil {
		if err := sb.Reset(!opts.Empty); err != nil {
			return nil, err
		}
	}
	return sb, nil
}

// Reset forgets everything and starts again from the demo (demo true) or
// from empty accounts with their admin users. The TLS certificate is kept,
// so clients that trust it go on working.
func (sb *Sandbox) Reset(demo bool) error {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	st, err := Seed()
	if err != nil {
		return err
	}
	if !demo {
		st = emptyState(st)
	}
	if sb.st != nil && sb.st.TLS != nil {
		st.TLS = sb.st.TLS
	}
	sb.st = st
	return sb.save()
}

// call is one request being served.
type call struct {
	sb     *Sandbox
	w      http.ResponseWriter
	r      *http.Request
	id     string
	svc    string
	body   []byte
	sig    *sigInfo
	cred   *Cred // the signing key, once its signature is checked
	caller *caller
	// declared is the payload hash the request declares (or that a
	// presigned URL implies); verified says the signature was checked
	// against it, before the body was read.
	declared string
	verified bool
	// deferredBody: an anonymous request's body is read only once it is
	// authorised (loadDeferredBody).
	deferredBody bool
	secure       bool
	proto        protocol
	dirty        bool // the state changed: save it
	now          time.Time
}

// ServeHTTP answers one AWS request.
func (sb *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := fmt.Sprintf("SANDBOX%012d", sb.seq.Add(1))
	c := &call{sb: sb, w: w, r: r, id: id, secure: r.TLS != nil, now: time.Now().UTC()}
	svc := c.service()
	c.svc = svc
	// Authenticate from the headers before reading any body, and read
	// the body outside the lock (a slow client must not hold it).
	sb.mu.RLock()
	err := c.authenticate(svc)
	sb.mu.RUnlock()
	switch {
	case err != nil:
	case c.caller != nil && c.caller.Anonymous:
		c.deferredBody = true
	default:
		err = c.readBody(svc)
	}
	if err != nil {
		sb.logRequest(c, svc, err)
		writeError(w, r, c.proto, c.id, err)
		return
	}
	readOnly := svc == "s3" && (r.Method == http.MethodGet || r.Method == http.MethodHead)
	if readOnly {
		sb.mu.RLock()
		defer sb.mu.RUnlock()
	} else {
		sb.mu.Lock()
		defer sb.mu.Unlock()
	}
	err = c.finishAuth()
	if err == nil {
		err = c.dispatch(svc)
	}
	if err == nil && c.dirty {
		if serr := sb.save(); serr != nil {
			err = errf(http.StatusInternalServerError, "InternalError",
				"the change was made but the state file could not be written: %v", serr)
		}
	}
	// Logged before an error is written, so the line exists once the
	// client has the answer.
	sb.logRequest(c, svc, err)
	if err != nil {
		writeError(w, r, c.proto, c.id, err)
	}
}

// logRequest writes the request's line to the log.
func (sb *Sandbox) logRequest(c *call, svc string, err *apiError) {
	if sb.log == nil {
		return
	}
	who := "(not authenticated)"
	switch {
	case c.caller != nil && c.caller.Anonymous:
		who = "anonymous"
	case c.caller != nil:
		who = c.caller.ARN
	}
	answer := "ok"
	if err != nil {
		answer = fmt.Sprintf("%d %s", err.Status, err.Code)
		if len(err.Reasons) > 0 {
			answer += ": " + err.Reasons[0].String()
		}
	}
	sb.logMu.Lock()
	defer sb.logMu.Unlock()
	fmt.Fprintf(sb.log, "%s %s %s %s as %s -> %s\n",
		c.now.Format("15:04:05"), svc, c.r.Method, redactedURI(c.r.URL), who, answer)
}

// service names the API a request is for, from its path, target header or
// signature scope, and sets the error protocol to match.
func (c *call) service() string {
	r := c.r
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		c.proto = protoJSON
		if isCloudTrail(target) {
			return "cloudtrail"
		}
		return "kms"
	}
	if len(r.URL.Path) >= 11 && r.URL.Path[:11] == "/v20180820/" {
		c.proto = protoS3Control
		return "s3control"
	}
	sig, _ := parseSig(r)
	if sig != nil && (sig.Service == "iam" || sig.Service == "sts") {
		c.proto = protoQuery
		return sig.Service
	}
	form := r.Header.Get("Content-Type") == "application/x-www-form-urlencoded"
	if sig == nil && r.Method == http.MethodPost && form && r.URL.Path == "/" {
		c.proto = protoQuery
		return "query"
	}
	c.proto = protoS3
	return "s3"
}

func (c *call) dispatch(svc string) *apiError {
	switch svc {
	case "s3":
		return c.serveS3()
	case "s3control":
		return c.serveS3Control()
	case "iam":
		return c.serveIAM()
	case "sts":
		return c.serveSTS()
	case "kms":
		return c.serveKMS()
	case "cloudtrail":
		return c.serveCloudTrail()
	}
	return notImplemented(svc, "request")
}

// policyCache keeps parsed documents by their text: policies are read on
// every request and change rarely.
type policyCache struct {
	mu sync.Mutex
	m  map[string]*policy.Policy
}

func newPolicyCache() *policyCache { return &policyCache{m: map[string]*policy.Policy{}} }

// parse returns the parsed document, or nil for "" or a document that does
// not parse (the sandbox refuses those when they are written).
func (pc *policyCache) parse(doc string) *policy.Policy {
	if doc == "" {
		return nil
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if p, ok := pc.m[doc]; ok {
		return p
	}
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		p = nil
	}
	if len(pc.m) > 4096 {
		clear(pc.m) // documents replaced many times: start over
	}
	pc.m[doc] = p
	return p
}
