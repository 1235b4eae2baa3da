package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// byteRange applies a Range header of the form bytes=A-B, bytes=A- or
// bytes=-N to an object of n bytes: the half-open slice [start, end).
func byteRange(n int, spec string) (start, end, status int, _ *apiError) {
	r, ok := strings.CutPrefix(spec, "bytes=")
	a, b, ok2 := strings.Cut(r, "-")
	if spec == "" || !ok || !ok2 || strings.Contains(r, ",") {
		return 0, n, http.StatusOK, nil // S3 ignores ranges it cannot read
	}
	bad := errf(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")
	last := n - 1
	var err1, err2 error
	if a == "" {
		var suffix int
		suffix, err1 = strconv.Atoi(b)
		start = max(n-suffix, 0)
	} else {
		start, err1 = strconv.Atoi(a)
		if b != "" {
			last, err2 = strconv.Atoi(b)
		}
	}
	last = min(last, n-1)
	if err1 != nil || err2 != nil || start < 0 || start >= n || last < start {
		return 0, 0, 0, bad
	}
	return start, last + 1, http.StatusPartialContent, nil
}

// conditional applies If-Match and If-None-Match; the date conditions are
// not modelled (NotImplemented rather than a wrong answer).
func (c *call) conditional(obj *Object) (bool, *apiError) {
	h := c.r.Header
	if h.Get("If-Modified-Since") != "" || h.Get("If-Unmodified-Since") != "" {
		return true, notImplemented("S3", "GetObject with If-Modified-Since or If-Unmodified-Since")
	}
	if m := h.Get("If-Match"); m != "" && m != obj.ETag && m != "*" {
		return true, errf(http.StatusPreconditionFailed, "PreconditionFailed",
			"At least one of the pre-conditions you specified did not hold")
	}
	if m := h.Get("If-None-Match"); m != "" && (m == obj.ETag || m == "*") {
		c.w.Header().Set("ETag", obj.ETag)
		c.w.WriteHeader(http.StatusNotModified)
		return true, nil
	}
	return false, nil
}

// unmodelledPutHeaders are upload options the sandbox does not model:
// answering as if they were applied would be wrong.
func unmodelledPutHeader(h http.Header) string {
	for _, k := range []string{
		"X-Amz-Server-Side-Encryption-Customer-Algorithm", "X-Amz-Tagging", "X-Amz-Object-Lock-Mode",
		"X-Amz-Object-Lock-Legal-Hold", "X-Amz-Website-Redirect-Location", "If-None-Match", "If-Match",
	} {
		if h.Get(k) != "" {
			return k
		}
	}
	if sc := h.Get("X-Amz-Storage-Class"); sc != "" && sc != "STANDARD" {
		return "X-Amz-Storage-Class " + sc
	}
	return ""
}
