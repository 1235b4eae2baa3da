package aws

import (
	"context"
	"io"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// withPlainRequestBody hides the WriteTo method of every request's body
// from net/http. Why: the SDK wraps a body that has WriteTo (the
// bytes.Reader of every query or XML call) in a closer whose WriteTo answers
// io.EOF once closed, and closes it as soon as the response is back. But
// net/http, after writing Content-Length bytes, reads the body on to check
// that nothing is left; when the endpoint answers faster than that (an
// in-process sandbox, or a busy machine), it takes the io.EOF for a failed
// write and closes the connection while the SDK is still reading the
// response: "deserialization failed ... use of closed network connection".
// Without WriteTo the closed body's Read answers a plain io.EOF, the end
// net/http expects.
func withPlainRequestBody(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("s3grantPlainRequestBody",
		func(
			ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler,
		) (middleware.FinalizeOutput, middleware.Metadata, error) {
			req, ok := in.Request.(*smithyhttp.Request)
			if !ok {
				return next.HandleFinalize(ctx, in)
			}
			rs, seekable := req.GetStream().(io.ReadSeeker)
			if _, writerTo := rs.(io.WriterTo); !seekable || !writerTo {
				return next.HandleFinalize(ctx, in)
			}
			plain, err := req.SetStream(readSeekerOnly{rs})
			if err != nil {
				return middleware.FinalizeOutput{}, middleware.Metadata{}, err
			}
			in.Request = plain
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}

// readSeekerOnly is a body with Read and Seek (so the SDK can still rewind
// it for a retry) and nothing else.
type readSeekerOnly struct{ io.ReadSeeker }
