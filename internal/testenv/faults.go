package testenv

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Fault is how FaultProxy fails a call.
type Fault string

// The faults FaultProxy injects. FaultDropAfter lets the call reach moto and
// then drops the connection: the change is made but the client never hears.
const (
	Fault500       Fault = "http-500"
	FaultThrottle  Fault = "throttling"
	FaultDenied    Fault = "access-denied"
	FaultDrop      Fault = "dropped-connection"
	FaultDropAfter Fault = "dropped-after-write"
)

// FaultError answers with the error given to ArmError.
const FaultError Fault = "error"

// Faults lists the generic faults, for tables.
var Faults = []Fault{Fault500, FaultThrottle, FaultDenied, FaultDrop, FaultDropAfter}

// FaultProxy sits in front of moto: it counts AWS calls and fails the Nth
// one after Arm. Point the SDK (ConnectOptions.EndpointURL) at URL.
type FaultProxy struct {
	URL string

	mu     sync.Mutex
	calls  int
	failAt int // absolute call number to fail; 0 = none
	fault  Fault
	hit    string // the call that failed
	target *url.URL
	// transport reaches the target; it trusts the sandbox's CA when the
	// sandbox is the backend (https).
	transport http.RoundTripper
	custom    apiError // for FaultError
	// match arms a one-shot fault on the next call whose description
	// contains it (ArmErrorOn, ArmResponseOn), whatever its number.
	match    string
	response *cannedResponse // for ArmResponseOn
	hold     *hold           // for HoldOn
}

type cannedResponse struct {
	status int
	body   string
}

type apiError struct {
	status        int
	code, message string
}

// StartFaultProxy starts a proxy to this moto, stopped when the test ends.
func (e *Env) StartFaultProxy(t testing.TB) *FaultProxy {
	t.Helper()
	to, _ := url.Parse(e.URL)
	p := &FaultProxy{target: to, transport: e.backendTransport(t)}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Arm makes the nth call from now (1-based) fail with f.
func (p *FaultProxy) Arm(n int, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failAt, p.fault, p.hit, p.match, p.response = p.calls+n, f, "", "", nil
}

// ArmError makes the nth call from now (1-based) fail with an AWS error of
// the given status, code and message, in the service's protocol.
func (p *FaultProxy) ArmError(n, status int, code, message string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failAt, p.fault, p.hit, p.match, p.response = p.calls+n, FaultError, "", "", nil
	p.custom = apiError{status: status, code: code, message: message}
}

// ArmErrorOn makes the next call whose description contains call fail
// with an AWS error, whatever its number. A description is the call's
// X-Amz-Target, its query Action, or "METHOD /path?query" for S3 (e.g.
// "PUT /analytics-exports?policy").
func (p *FaultProxy) ArmErrorOn(call string, status int, code, message string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failAt, p.match, p.fault, p.hit, p.response = 0, call, FaultError, "", nil
	p.custom = apiError{status: status, code: code, message: message}
}

// ArmResponseOn answers the next call whose description contains call with
// status and an XML body instead of passing it on: a service's answer that
// moto cannot give (GetBucketPolicyStatus, for one).
func (p *FaultProxy) ArmResponseOn(call string, status int, body string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failAt, p.match, p.fault, p.hit = 0, call, FaultError, ""
	p.response = &cannedResponse{status: status, body: body}
}

// Disarm cancels a pending fault and returns the call it hit, if any.
func (p *FaultProxy) Disarm() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failAt, p.match, p.response = 0, "", nil
	return p.hit
}

// Calls returns how many calls went through so far.
func (p *FaultProxy) Calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

func (p *FaultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.calls++
	call := describeCall(r, body)
	fail := p.failAt != 0 && p.calls == p.failAt || p.match != "" && strings.Contains(call, p.match)
	fault, custom, canned := p.fault, p.custom, p.response
	if fail {
		p.hit, p.match, p.response = call, "", nil
	}
	held := p.takeHold(call)
	p.mu.Unlock()
	held.wait(call)
	if fail && canned != nil {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(canned.status)
		_, _ = io.WriteString(w, canned.body)
		return
	}
	if fail && fault != FaultDropAfter {
		injectFault(w, r, fault, custom)
		return
	}
	resp, err := p.forward(r, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if fail {
		dropConnection(w)
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func (p *FaultProxy) forward(r *http.Request, body []byte) (*http.Response, error) {
	u := *r.URL
	u.Scheme, u.Host = p.target.Scheme, p.target.Host
	out, err := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	out.Header = r.Header.Clone()
	out.Host = r.Host
	return p.transport.RoundTrip(out)
}

// describeCall names a call for failure messages: the service and action.
func describeCall(r *http.Request, body []byte) string {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		return t
	}
	if v, err := url.ParseQuery(string(body)); err == nil && v.Get("Action") != "" {
		return v.Get("Action")
	}
	return r.Method + " " + r.URL.RequestURI()
}

func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // a reset, not a clean close
			}
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// kmsErrorCodes maps a query-protocol error code to KMS's JSON one.
var kmsErrorCodes = map[string]string{
	"InternalError": "KMSInternalException",
	"Throttling":    "ThrottlingException",
	"AccessDenied":  "AccessDeniedException",
}

// The XML error bodies (code, message) of the query protocol and of S3
// Control, which wraps S3's <Error> in an <ErrorResponse>.
const (
	queryErrorXML = `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>` +
		`<RequestId>injected</RequestId></ErrorResponse>`
	controlErrorXML = `<ErrorResponse><Error><Code>%s</Code><Message>%s</Message></Error>` +
		`<RequestId>injected</RequestId></ErrorResponse>`
)

// injectFault answers like the service would, in its protocol.
func injectFault(w http.ResponseWriter, r *http.Request, f Fault, custom apiError) {
	if f == FaultDrop {
		dropConnection(w)
		return
	}
	status, code := http.StatusInternalServerError, "InternalError"
	switch f {
	case FaultThrottle:
		status, code = http.StatusBadRequest, "Throttling"
	case FaultDenied:
		status, code = http.StatusForbidden, "AccessDenied"
	default: // no special case
	}
	msg := fmt.Sprintf("injected by testenv.FaultProxy (%s)", f)
	if f == FaultError {
		status, code, msg = custom.status, custom.code, custom.message
	}
	switch {
	case r.Header.Get("X-Amz-Target") != "": // JSON protocol (KMS)
		jcode := code
		if j, ok := kmsErrorCodes[code]; ok {
			jcode = j
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":%q,"message":%q}`, jcode, msg)
	case strings.Contains(r.Header.Get("Content-Type"), "x-www-form-urlencoded"): // query protocol (IAM, STS)
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, queryErrorXML, code, msg)
	default: // REST-XML (S3, S3 Control)
		if code == "Throttling" && f != FaultError {
			status, code = http.StatusServiceUnavailable, "SlowDown"
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		if strings.HasPrefix(r.URL.Path, "/v20180820") {
			fmt.Fprintf(w, controlErrorXML, code, msg)
			return
		}
		fmt.Fprintf(w, `<Error><Code>%s</Code><Message>%s</Message><RequestId>injected</RequestId></Error>`, code, msg)
	}
}
