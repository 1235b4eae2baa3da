package sandbox

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/s3grant/s3grant/policy"
)

// apiError is an AWS error: the code and HTTP status the real service
// answers with, and a message. Reasons carry the evaluator's explanation of
// a denial (sent in a header, since AWS messages do not have room for it).
type apiError struct {
	Status  int
	Code    string
	Message string
	Reasons []policy.Reason
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errf(status int, code, format string, a ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, a...)}
}

// malformedXML is S3's message for a body that is not the XML it expects.
const malformedXML = "The XML you provided was not well-formed or did not validate against our published schema"

// notImplemented is the answer to every request the sandbox does not
// model: a clear 501 naming the operation, never a guess.
func notImplemented(service, op string) *apiError {
	return errf(http.StatusNotImplemented, "NotImplemented",
		"the s3grant sandbox does not implement %s %s; "+
			"it models only what s3grant and everyday consumer commands use", service, op)
}

// protocol is how a service writes its errors.
type protocol int

const (
	protoS3        protocol = iota // <Error><Code>..</Code></Error>
	protoS3Control                 // <ErrorResponse><Error>..</Error></ErrorResponse>
	protoQuery                     // IAM and STS: <ErrorResponse><Error><Type>..
	protoJSON                      // KMS: {"__type": .., "message": ..}
)

type s3ErrorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource,omitempty"`
	RequestID string   `xml:"RequestId"`
}

type queryErrorBody struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// writeError renders err in the protocol's format. Denials carry the
// evaluator's reasons in X-S3grant-Reason headers, one per line of reasons,
// so a user can see why without reading the sandbox's log.
func writeError(w http.ResponseWriter, r *http.Request, p protocol, reqID string, err *apiError) {
	for _, reason := range err.Reasons {
		w.Header().Add("X-S3grant-Reason", reason.String())
	}
	w.Header().Set("X-Amz-Request-Id", reqID)
	if r.Method == http.MethodHead {
		w.WriteHeader(err.Status)
		return
	}
	switch p {
	case protoJSON:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", err.Code)
		w.WriteHeader(err.Status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": err.Code, "message": err.Message})
	case protoQuery, protoS3Control:
		body := queryErrorBody{RequestID: reqID}
		if p == protoQuery {
			body.Xmlns = "https://iam.amazonaws.com/doc/2010-05-08/"
		}
		body.Error.Type = "Sender"
		if err.Status >= 500 {
			body.Error.Type = "Receiver"
		}
		body.Error.Code, body.Error.Message = err.Code, err.Message
		writeXMLStatus(w, err.Status, body)
	default:
		body := s3ErrorBody{Code: err.Code, Message: err.Message, Resource: r.URL.Path, RequestID: reqID}
		writeXMLStatus(w, err.Status, body)
	}
}

func writeXMLStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}

// accessDenied turns an evaluator result into the service's denial.
func accessDenied(code string, status int, what string, res policy.Result) *apiError {
	e := errf(status, code, "%s: %s", what, denialSummary(res))
	e.Reasons = res.Reasons
	return e
}

func denialSummary(res policy.Result) string {
	if res.Decision == policy.ExplicitlyDenied {
		return "explicitly denied by a policy statement"
	}
	return "no policy allows it"
}
