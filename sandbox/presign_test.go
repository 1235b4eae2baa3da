package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"
)

// presign returns a SigV4 presigned GET URL for path, signed by c at date
// for expires seconds (written from the AWS page, independently of the
// server's verifier).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
func presign(base, host, path string, c creds, date time.Time, expires int) string {
	day, amz := date.Format("20060102"), date.Format("20060102T150405Z")
	scope := day + "/" + Region + "/s3/aws4_request"
	q := url.Values{
		"X-Amz-Algorithm": {"AWS4-HMAC-SHA256"}, "X-Amz-Credential": {c.id + "/" + scope},
		"X-Amz-Date": {amz}, "X-Amz-Expires": {fmt.Sprint(expires)}, "X-Amz-SignedHeaders": {"host"},
	}
	if c.token != "" {
		q.Set("X-Amz-Security-Token", c.token)
	}
	query := strings.ReplaceAll(q.Encode(), "+", "%20")
	canon := strings.Join([]string{"GET", path, query, "host:" + host + "\n", "host", "UNSIGNED-PAYLOAD"}, "\n")
	sum := sha256.Sum256([]byte(canon))
	key := mac([]byte("AWS4"+c.secret), day)
	for _, part := range []string{Region, "s3", "aws4_request"} {
		key = mac(key, part)
	}
	sig := hex.EncodeToString(mac(key, "AWS4-HMAC-SHA256\n"+amz+"\n"+scope+"\n"+hex.EncodeToString(sum[:])))
	return base + path + "?" + query + "&X-Amz-Signature=" + sig
}

// TestPresignedURLLimits: S3 takes a presigned URL valid for at most 7
// days (604800 s) and not dated in the future; the sandbox accepted 10
// years and any date (issue 12, item 9).
func TestPresignedURLLimits(t *testing.T) {
	sb, srv, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	host := strings.TrimPrefix(srv.URL(), "https://")
	path := "/" + DemoBucket + "/reports/2026-01.csv"
	now := time.Now().UTC()
	for _, tc := range []struct {
		name    string
		date    time.Time
		expires int
		status  int
		want    string
	}{
		{"seven days", now, 604800, 200, "month,revenue"},
		{"a second over seven days", now, 604801, 403, "AuthorizationQueryParametersError"},
		{"ten years", now, 315360000, 403, "AuthorizationQueryParametersError"},
		{"negative", now, -1, 403, "AuthorizationQueryParametersError"},
		{"dated in an hour", now.Add(time.Hour), 3600, 403, "Request is not valid yet"},
		{"dated a minute ahead (clock skew)", now.Add(time.Minute), 3600, 200, "month,revenue"},
		{"expired", now.Add(-2 * time.Hour), 3600, 403, "Request has expired"},
	} {
		resp, err := c.http.Get(presign(srv.URL(), host, path, owner, tc.date, tc.expires))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, resp.StatusCode, body, tc.status, tc.want)
		}
	}
}

// TestLogHasNoSecrets: a presigned request with a session token and a
// header-signed one leave neither the signature, the access key, the
// credential scope nor the token in the log (issue 12, item 9: the log
// held full presigned URLs, a working credential until they expire).
func TestLogHasNoSecrets(t *testing.T) {
	var log strings.Builder
	sb, srv, c := running(t, Options{Log: &log})
	session := credsOf(sb.keyFor(sessionARN))
	host := strings.TrimPrefix(srv.URL(), "https://")
	u := presign(srv.URL(), host, "/"+DemoBucket+"/reports/2026-01.csv", session, time.Now().UTC(), 600)
	resp, err := c.http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c.do(t, session, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, nil)
	sig := u[strings.LastIndex(u, "=")+1:]
	text := log.String()
	if !strings.Contains(text, "X-Amz-Signature=REDACTED") || !strings.Contains(text, "X-Amz-Security-Token=REDACTED") {
		t.Errorf("the log does not show the presigned request with its secrets redacted:\n%s", text)
	}
	for what, secret := range map[string]string{
		"signature": sig, "session token": session.token, "access key ID": session.id,
		"escaped token": url.QueryEscape(session.token), "secret key": session.secret,
	} {
		if strings.Contains(text, secret) {
			t.Errorf("the log holds the %s:\n%s", what, text)
		}
	}
	if strings.Count(text, "\n") != 2 {
		t.Errorf("want a line per request:\n%s", text)
	}
}
