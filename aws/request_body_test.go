package aws_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/s3grant/s3grant/aws"
)

// bodyRecorder is an HTTP client that notes what each request's body is
// before sending it on.
type bodyRecorder struct {
	writerTo []bool
	lengths  []int64
}

func (b *bodyRecorder) Do(r *http.Request) (*http.Response, error) {
	_, wt := r.Body.(io.WriterTo)
	b.writerTo = append(b.writerTo, wt)
	b.lengths = append(b.lengths, r.ContentLength)
	return http.DefaultClient.Do(r)
}

// TestRequestBodyHasNoWriteTo: the body net/http gets has no WriteTo, so
// the SDK closing it while net/http still drains it reads as a plain end
// instead of a write error that drops the connection under the response
// (the sandbox answers fast enough for that race). The whole body still
// arrives, with the right Content-Length.
func TestRequestBodyHasNoWriteTo(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b))
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/u</Arn><UserId>AIDA</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_CA_BUNDLE": "", "AWS_ENDPOINT_URL": "", "AWS_REGION": "us-east-1",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
	} {
		t.Setenv(k, v)
	}
	rec := &bodyRecorder{}
	acct, err := aws.Connect(context.Background(), aws.ConnectOptions{EndpointURL: srv.URL, HTTPClient: rec, RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if acct.ID != "111122223333" || len(rec.writerTo) != 1 || len(got) != 1 {
		t.Fatalf("account %q, %d requests sent, %d received", acct.ID, len(rec.writerTo), len(got))
	}
	if rec.writerTo[0] {
		t.Error("the request body has WriteTo: a closed SDK body then fails net/http's write")
	}
	if rec.lengths[0] != int64(len(got[0])) || got[0] == "" {
		t.Errorf("Content-Length %d, body received %q", rec.lengths[0], got[0])
	}
}
