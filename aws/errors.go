package aws

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// notSetCodes are the error codes that mean "this document or setting does
// not exist": an empty value, not a failure.
var notSetCodes = map[string]bool{
	"NoSuchBucketPolicy":                             true,
	"OwnershipControlsNotFoundError":                 true,
	"ServerSideEncryptionConfigurationNotFoundError": true,
	"NoSuchPublicAccessBlockConfiguration":           true,
	"NoSuchEntity":                                   true,
	"NoSuchAccessPoint":                              true,
	"NoSuchAccessPointPolicy":                        true,
	"NotFoundException":                              true,
}

// ErrorCode returns the AWS error code of err, or "".
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// httpStatus returns the HTTP status of a failed call, or 0.
func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

// IsNotSet reports whether err says the thing read does not exist.
func IsNotSet(err error) bool {
	if notSetCodes[ErrorCode(err)] {
		return true
	}
	// moto answers some "not found" reads with a bare 404.
	return httpStatus(err) == http.StatusNotFound && ErrorCode(err) != "NoSuchBucket"
}

// IsThrottling reports whether AWS asked to slow down.
func IsThrottling(err error) bool {
	switch ErrorCode(err) {
	case "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "RequestThrottled", "LimitExceededException":
		return true
	}
	return httpStatus(err) == http.StatusTooManyRequests
}

// IsTransient reports a failure worth retrying as it is: throttling, a 5xx,
// or a connection that broke.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if IsThrottling(err) || httpStatus(err) >= 500 {
		return true
	}
	switch ErrorCode(err) {
	case "InternalError", "InternalFailure", "ServiceUnavailable", "InternalServerError", "KMSInternalException":
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection reset", "EOF", "broken pipe", "connection refused", "server closed"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// IsPropagation reports the errors IAM gives while a principal created
// seconds ago is not yet visible everywhere.
func IsPropagation(err error) bool {
	if isInvalidPrincipal(err) {
		return true
	}
	code, msg := ErrorCode(err), strings.ToLower(errMessage(err))
	switch code {
	case "AccessDenied", "AccessDeniedException":
		return strings.Contains(msg, "assumerole") || strings.Contains(msg, "not authorized to perform: sts:assumerole")
	}
	return false
}

// isInvalidPrincipal reports a write refused because the document names a
// principal AWS does not know (deleted, or not yet visible).
func isInvalidPrincipal(err error) bool {
	switch ErrorCode(err) {
	case "MalformedPolicy", "MalformedPolicyDocument", "MalformedPolicyDocumentException", "InvalidArnException":
		return strings.Contains(strings.ToLower(errMessage(err)), "principal")
	}
	return false
}

func errMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
