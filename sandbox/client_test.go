package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// testClient signs requests the way the AWS SDKs do (SigV4, written here
// from the AWS documentation, independently of the server's verifier) and
// sends them to a running sandbox. The AWS CLI tests cover real clients;
// this one is for many fast requests.
type testClient struct {
	base   string // https://127.0.0.1:PORT or the plain URL
	http   *http.Client
	region string
}

func newTestClient(t testing.TB, sb *Sandbox, base string) *testClient {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(sb.CACertPEM())) {
		t.Fatal("CA does not parse")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, MaxIdleConnsPerHost: 64}
	return &testClient{base: base, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}, region: Region}
}

type creds struct{ id, secret, token string }

func credsOf(c *Cred) creds { return creds{c.AccessKeyID, c.Secret, c.Token} }

// do sends method path?query with body, signed for service with c (no
// signature when c.id is empty), and returns the status and body.
func (tc *testClient) do(t testing.TB, c creds, service, method, path, query string, body []byte, hdr map[string]string) (int, string) {
	t.Helper()
	u := tc.base + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if c.id != "" {
		sign(req, body, c, tc.region, service, time.Now().UTC())
	}
	resp, err := tc.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func sign(req *http.Request, body []byte, c creds, region, service string, now time.Time) {
	amzDate := now.Format("20060102T150405Z")
	day := now.Format("20060102")
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Date", amzDate)
	req.Header.Set("X-Amz-Content-Sha256", payload)
	if c.token != "" {
		req.Header.Set("X-Amz-Security-Token", c.token)
	}
	names := []string{"host"}
	for k := range req.Header {
		names = append(names, strings.ToLower(k))
	}
	sort.Strings(names)
	var ch strings.Builder
	for _, n := range names {
		v := req.Host
		if v == "" {
			v = req.URL.Host
		}
		if n != "host" {
			v = strings.TrimSpace(req.Header.Get(n))
		}
		ch.WriteString(n + ":" + v + "\n")
	}
	q := req.URL.Query()
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, escape(k)+"="+escape(v))
		}
	}
	sort.Strings(pairs)
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	canon := strings.Join([]string{req.Method, path, strings.Join(pairs, "&"), ch.String(), strings.Join(names, ";"), payload}, "\n")
	scope := day + "/" + region + "/" + service + "/aws4_request"
	h := sha256.Sum256([]byte(canon))
	sts := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(h[:])
	key := mac([]byte("AWS4"+c.secret), day)
	for _, part := range []string{region, service, "aws4_request"} {
		key = mac(key, part)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+c.id+"/"+scope+", SignedHeaders="+strings.Join(names, ";")+
		", Signature="+hex.EncodeToString(mac(key, sts)))
}

func mac(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// doHost sends a signed GET to path with another Host header (the
// connection still goes to 127.0.0.1), as a client using a DNS name would.
func (tc *testClient) doHost(t testing.TB, c creds, host, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", tc.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	sign(req, nil, c, tc.region, "s3", time.Now().UTC())
	resp, err := tc.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}
