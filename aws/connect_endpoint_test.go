package aws_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
)

// TestConnectAssumeRoleProfileKeepsEndpoint: the most common cross-account
// profile shape (role_arn + source_profile) against a local AWS. Every
// call, the AssumeRole of the profile's credentials included, must reach
// the endpoint named by AWS_ENDPOINT_URL, --endpoint-url, the profile's
// endpoint_url or AWS_ENDPOINT_URL_STS; the flag wins over a
// service-specific variable. A transport that refuses every other host
// records where the SDK tried to go (issue 12, item 8: with AWS_ENDPOINT_URL
// or the profile's endpoint_url the AssumeRole went to
// sts.eu-west-1.amazonaws.com; the flag and AWS_ENDPOINT_URL_STS cases
// already worked and guard against regressions).
func TestConnectAssumeRoleProfileKeepsEndpoint(t *testing.T) {
	for _, backend := range []string{"moto", "sandbox"} {
		t.Run(backend, func(t *testing.T) {
			t.Setenv(testenv.BackendEnv, backend)
			env := testenv.Start(t)
			clearAWSEnv(t)
			roleARN := createProbeRole(t, env)
			cases := []struct {
				name     string
				env      map[string]string
				flag     string
				endpoint bool // endpoint_url in the role's profile
			}{
				{name: "AWS_ENDPOINT_URL", env: map[string]string{"AWS_ENDPOINT_URL": env.URL}},
				{name: "--endpoint-url", flag: env.URL},
				{name: "profile endpoint_url", endpoint: true},
				{name: "AWS_ENDPOINT_URL_STS", env: map[string]string{"AWS_ENDPOINT_URL_STS": env.URL, "AWS_ENDPOINT_URL_S3": env.URL}},
				{name: "flag over AWS_ENDPOINT_URL_STS", flag: env.URL, env: map[string]string{"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9"}},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					for k, v := range c.env {
						t.Setenv(k, v)
					}
					hc, foreign := onlyTo(t, env)
					files := roleProfileFiles(t, env, roleARN, c.endpoint)
					acct, err := aws.Connect(context.Background(), aws.ConnectOptions{Profile: "via-role", EndpointURL: c.flag, HTTPClient: hc, Files: files, RetryMaxAttempts: 1})
					if err != nil {
						t.Fatalf("connect: %v (calls to other hosts: %v)", err, foreign())
					}
					if acct.ID != testenv.OwnerAccount || !strings.Contains(acct.ARN, ":assumed-role/endpoint-probe/") {
						t.Errorf("connected as %s (%s), want a session of %s", acct.ARN, acct.ID, roleARN)
					}
					if _, err := acct.S3(env.Region).(*s3.Client).ListBuckets(context.Background(), &s3.ListBucketsInput{}); err != nil {
						t.Errorf("s3:ListBuckets as the role: %v", err)
					}
					if hosts := foreign(); len(hosts) > 0 {
						t.Errorf("calls left the local endpoint for %v", hosts)
					}
				})
			}
		})
	}
}

// clearAWSEnv unsets every AWS_ variable for the test (restored after it):
// the files and options given to Connect say everything.
func clearAWSEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

// createProbeRole creates role endpoint-probe in the owner's account, which
// the owner's own identities may assume and which may list the buckets.
func createProbeRole(t *testing.T, env *testenv.Env) string {
	t.Helper()
	hc, _ := onlyTo(t, env)
	owner := must(aws.Connect(context.Background(), aws.ConnectOptions{
		Profile: "owner", EndpointURL: env.URL, HTTPClient: hc,
		Files: &aws.ConfigFiles{Config: env.ConfigFile(), Credentials: env.CredentialsFile(), Region: env.Region, NoInstanceMetadata: true},
	}))(t)
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, testenv.OwnerAccount)
	c := owner.IAM().(*iam.Client)
	out := must(c.CreateRole(context.Background(), &iam.CreateRoleInput{RoleName: sdk.String("endpoint-probe"), AssumeRolePolicyDocument: &trust}))(t)
	list := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
	must(c.PutRolePolicy(context.Background(), &iam.PutRolePolicyInput{RoleName: sdk.String("endpoint-probe"), PolicyName: sdk.String("list"), PolicyDocument: &list}))(t)
	return sdk.ToString(out.Role.Arn)
}

// roleProfileFiles writes a config file whose profile via-role assumes
// roleARN from the owner's keys (source_profile), naming the endpoint only
// when withEndpoint.
func roleProfileFiles(t *testing.T, env *testenv.Env, roleARN string, withEndpoint bool) *aws.ConfigFiles {
	t.Helper()
	text := fmt.Sprintf("[profile owner]\nregion = %s\n\n[profile via-role]\nregion = %s\nrole_arn = %s\nsource_profile = owner\nrole_session_name = probe\n", env.Region, env.Region, roleARN)
	if withEndpoint {
		text += "endpoint_url = " + env.URL + "\n"
	}
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return &aws.ConfigFiles{Config: path, Credentials: env.CredentialsFile(), Region: env.Region, NoInstanceMetadata: true}
}

// onlyTo is an HTTP client that reaches env's endpoint (trusting the
// sandbox's CA) and refuses every other host, which foreign lists.
func onlyTo(t *testing.T, env *testenv.Env) (hc *http.Client, foreign func() []string) {
	t.Helper()
	u := must(url.Parse(env.URL))(t)
	var mu sync.Mutex
	var others []string
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr != u.Host {
			mu.Lock()
			others = append(others, addr)
			mu.Unlock()
			return nil, fmt.Errorf("test transport: %s is not the local endpoint %s", addr, u.Host)
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	for _, kv := range env.Environ() {
		if ca, ok := strings.CutPrefix(kv, "AWS_CA_BUNDLE="); ok {
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(must(os.ReadFile(ca))(t)) {
				t.Fatal("the sandbox CA does not parse")
			}
			tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
	}
	return &http.Client{Transport: tr}, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(others)
	}
}
