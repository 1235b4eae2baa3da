package aws_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
)

// TestVerifyAccessPointARNWithAWSEndpoints: without a custom endpoint (AWS
// itself) verify addresses the access point by its ARN, which the SDK turns
// into the access point's own host (NAME-ACCOUNT.s3-accesspoint.REGION.
// amazonaws.com). The SDK here resolves AWS's real endpoints and a
// transport delivers every request to the sandbox, which serves access
// point hosts and AWS's virtual-hosted bucket hosts.
func TestVerifyAccessPointARNWithAWSEndpoints(t *testing.T) {
	env := sandboxEnv(t)
	ctx := context.Background()
	s := exampleSpec(t, "access-point/read")
	w, _, _ := verifyOn(t, env, s)

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(must(os.ReadFile(os.Getenv("AWS_CA_BUNDLE")))(t)) {
		t.Fatal("the sandbox CA does not parse")
	}
	sandboxAddr := strings.TrimPrefix(env.URL, "https://")
	var hosts []string
	var mu sync.Mutex
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		hosts = append(hosts, addr)
		mu.Unlock()
		return (&net.Dialer{}).DialContext(ctx, network, sandboxAddr)
	}
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_CA_BUNDLE", "")
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
	tr.DisableKeepAlives = true // every request dials: the test sees every host
	consumer := must(aws.Connect(ctx, aws.ConnectOptions{Profile: "consumer", HTTPClient: &http.Client{Transport: tr}}))(t)
	probes := aws.Verify(ctx, offlinePlan(t, s), consumer, aws.VerifyOptions{Backoff: fastApply(w).Backoff})
	arn := "arn:aws:s3:eu-west-1:" + testenv.OwnerAccount + ":accesspoint/analytics-ap"
	byName := map[string]aws.Probe{}
	for _, p := range probes {
		t.Logf("%-20s %-6s %-8s [%s] %s | %s", p.Name, p.Expect, p.Result, p.Class, p.Request, p.Error)
		byName[p.Name] = p
	}
	if p := byName["list reports/"]; p.Result != "allowed" || !strings.Contains(p.Request, arn) {
		t.Errorf("list through the access point ARN: %+v", p)
	}
	if p := byName["get-object"]; p.Result != "allowed" {
		t.Errorf("read through the access point ARN: %+v", p)
	}
	if p := byName["outside-grant"]; p.Result != "denied" || !strings.Contains(p.Request, arn) {
		t.Errorf("the must-deny probe through the access point ARN: %+v", p)
	}
	if p := byName["bypass-access-point"]; p.Result != "denied" || !p.OK {
		t.Errorf("the bucket behind the access point (virtual-hosted on AWS): %+v", p)
	}
	if _, ok := byName["access-point-alias"]; ok {
		t.Errorf("verify looked up the alias without a custom endpoint: %+v", probes)
	}
	apHost := "analytics-ap-" + testenv.OwnerAccount + ".s3-accesspoint.eu-west-1.amazonaws.com:443"
	if !slices.Contains(hosts, apHost) {
		t.Errorf("no request went to %s: %v", apHost, hosts)
	}
}
