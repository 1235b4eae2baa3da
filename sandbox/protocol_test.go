package sandbox

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// running starts a demo sandbox and returns it with an HTTPS client.
func running(t *testing.T, opts Options) (*Sandbox, *Server, *testClient) {
	t.Helper()
	sb, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sb.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return sb, srv, newTestClient(t, sb, srv.URL())
}

func adminOf(t *testing.T, sb *Sandbox, account string) creds {
	t.Helper()
	k := sb.keyFor("arn:aws:iam::" + account + ":user/admin")
	if k == nil {
		t.Fatalf("no admin key in %s", account)
	}
	return credsOf(k)
}

func form(v url.Values) []byte { return []byte(v.Encode()) }

var formHdr = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

func wantError(t *testing.T, what string, status int, body string, wantStatus int, code string) {
	t.Helper()
	if status != wantStatus || !strings.Contains(body, code) {
		t.Errorf("%s: got %d %s, want %d %s", what, status, body, wantStatus, code)
	}
}

func TestAuthenticationErrors(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	unknown := creds{id: "AKIAUNKNOWNUNKNOWN00", secret: owner.secret}
	wrong := creds{id: owner.id, secret: strings.Repeat("x", 40)}
	sts := form(url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
	kms := []byte(`{"KeyId":"` + DemoKeyID + `"}`)
	kmsHdr := map[string]string{"X-Amz-Target": "TrentService.DescribeKey", "Content-Type": "application/x-amz-json-1.1"}

	st, body := c.do(t, unknown, "s3", "GET", "/"+DemoBucket, "list-type=2", nil, nil)
	wantError(t, "S3 unknown key", st, body, 403, "InvalidAccessKeyId")
	st, body = c.do(t, wrong, "s3", "GET", "/"+DemoBucket, "list-type=2", nil, nil)
	wantError(t, "S3 bad signature", st, body, 403, "SignatureDoesNotMatch")
	st, body = c.do(t, unknown, "sts", "POST", "/", "", sts, formHdr)
	wantError(t, "STS unknown key", st, body, 403, "InvalidClientTokenId")
	st, body = c.do(t, wrong, "sts", "POST", "/", "", sts, formHdr)
	wantError(t, "STS bad signature", st, body, 403, "SignatureDoesNotMatch")
	st, body = c.do(t, creds{}, "sts", "POST", "/", "", sts, formHdr)
	wantError(t, "STS unsigned", st, body, 403, "MissingAuthenticationToken")
	st, body = c.do(t, unknown, "kms", "POST", "/", "", kms, kmsHdr)
	wantError(t, "KMS unknown key", st, body, 400, "UnrecognizedClientException")
	st, body = c.do(t, wrong, "kms", "POST", "/", "", kms, kmsHdr)
	wantError(t, "KMS bad signature", st, body, 400, "InvalidSignatureException")
	st, body = c.do(t, owner, "sts", "POST", "/", "", sts, formHdr)
	if st != 200 || !strings.Contains(body, "arn:aws:iam::111122223333:user/admin") {
		t.Errorf("GetCallerIdentity: %d %s", st, body)
	}
	// A session's keys without its token are refused.
	session := credsOf(sb.keyFor("arn:aws:sts::" + ConsumerAccount + ":assumed-role/analytics/sandbox"))
	session.token = ""
	st, body = c.do(t, session, "s3", "GET", "/"+DemoBucket, "list-type=2", nil, nil)
	wantError(t, "S3 session without token", st, body, 400, "InvalidToken")
	// Anonymous S3 requests are evaluated (and denied by the demo bucket).
	st, body = c.do(t, creds{}, "s3", "GET", "/"+DemoBucket, "list-type=2", nil, nil)
	wantError(t, "S3 anonymous", st, body, 403, "AccessDenied")
}

func TestNotImplemented(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	cases := []struct {
		name, service, method, path, query, want string
		body                                     []byte
		hdr                                      map[string]string
	}{
		{"S3 versioning", "s3", "GET", "/" + DemoBucket, "versioning=", "GetBucketVersioning", nil, nil},
		{"S3 multipart listing", "s3", "GET", "/" + DemoBucket, "uploads=", "ListMultipartUploads", nil, nil},
		{"S3 copy", "s3", "PUT", "/" + DemoBucket + "/copy.csv", "", "CopyObject", nil, map[string]string{"X-Amz-Copy-Source": "/" + DemoBucket + "/reports/2026-01.csv"}},
		{"S3 upload with tags", "s3", "PUT", "/" + DemoBucket + "/tagged.csv", "", "X-Amz-Tagging", []byte("x"), map[string]string{"X-Amz-Tagging": "a=b"}},
		{"S3 SSE-C", "s3", "PUT", "/" + DemoBucket + "/ssec.csv", "", "Customer-Algorithm", []byte("x"), map[string]string{"X-Amz-Server-Side-Encryption-Customer-Algorithm": "AES256"}},
		{"IAM boundary", "iam", "POST", "/", "", "PermissionsBoundary", form(url.Values{
			"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {"b"},
			"PermissionsBoundary": {"arn:aws:iam::aws:policy/AdministratorAccess"}, "AssumeRolePolicyDocument": {"{}"},
		}), formHdr},
		{"S3 tagging", "s3", "GET", "/" + DemoBucket + "/reports/2026-01.csv", "tagging=", "GetObjectTagging", nil, nil},
		{"S3 Control storage lens", "s3", "GET", "/v20180820/storagelens", "", "S3 Control", nil, map[string]string{"X-Amz-Account-Id": OwnerAccount}},
		{"IAM groups", "iam", "POST", "/", "", "IAM ListGroups", form(url.Values{"Action": {"ListGroups"}, "Version": {"2010-05-08"}}), formHdr},
		{"STS session token", "sts", "POST", "/", "", "STS GetSessionToken", form(url.Values{"Action": {"GetSessionToken"}, "Version": {"2011-06-15"}}), formHdr},
		{"STS session policy", "sts", "POST", "/", "", "AssumeRole with Policy", form(url.Values{
			"Action": {"AssumeRole"}, "RoleArn": {"arn:aws:iam::222233334444:role/analytics"},
			"RoleSessionName": {"x1"}, "Policy": {"{}"},
		}), formHdr},
		{
			"KMS deletion", "kms", "POST", "/", "", "KMS ScheduleKeyDeletion", []byte(`{"KeyId":"` + DemoKeyID + `"}`),
			map[string]string{"X-Amz-Target": "TrentService.ScheduleKeyDeletion", "Content-Type": "application/x-amz-json-1.1"},
		},
	}
	for _, tc := range cases {
		st, body := c.do(t, owner, tc.service, tc.method, tc.path, tc.query, tc.body, tc.hdr)
		if st != 501 || !strings.Contains(body, "NotImplemented") || !strings.Contains(body, tc.want) {
			t.Errorf("%s: got %d %s, want 501 NotImplemented naming %s", tc.name, st, body, tc.want)
		}
	}
}

func TestAWSErrorCodes(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	iam := func(v url.Values) (int, string) {
		v.Set("Version", "2010-05-08")
		return c.do(t, owner, "iam", "POST", "/", "", form(v), formHdr)
	}
	st, body := c.do(t, owner, "s3", "GET", "/no-such-bucket", "list-type=2", nil, nil)
	wantError(t, "NoSuchBucket", st, body, 404, "NoSuchBucket")
	st, body = c.do(t, owner, "s3", "GET", "/"+DemoBucket, "policy=", nil, nil)
	wantError(t, "NoSuchBucketPolicy", st, body, 404, "NoSuchBucketPolicy")
	st, body = c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "policy=", []byte(`not json`), nil)
	wantError(t, "MalformedPolicy", st, body, 400, "MalformedPolicy")
	missing := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/nobody"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + DemoBucket + `/*"}]}`
	st, body = c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "policy=", []byte(missing), nil)
	wantError(t, "invalid principal", st, body, 400, "Invalid principal in policy")
	st, body = c.do(t, owner, "s3", "GET", "/"+DemoBucket+"/reports/none.csv", "", nil, nil)
	wantError(t, "NoSuchKey", st, body, 404, "NoSuchKey")
	st, body = iam(url.Values{"Action": {"GetRole"}, "RoleName": {"nobody"}})
	wantError(t, "NoSuchEntity", st, body, 404, "NoSuchEntity")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	st, body = iam(url.Values{"Action": {"CreateRole"}, "RoleName": {"twice"}, "AssumeRolePolicyDocument": {trust}})
	wantError(t, "CreateRole", st, body, 200, "CreateRoleResult")
	st, body = iam(url.Values{"Action": {"CreateRole"}, "RoleName": {"twice"}, "AssumeRolePolicyDocument": {trust}})
	wantError(t, "EntityAlreadyExists", st, body, 409, "EntityAlreadyExists")
	st, body = c.do(t, owner, "kms", "POST", "/", "", []byte(`{"KeyId":"alias/none"}`), map[string]string{"X-Amz-Target": "TrentService.DescribeKey", "Content-Type": "application/x-amz-json-1.1"})
	wantError(t, "KMS NotFound", st, body, 400, "NotFoundException")
	// Conditional reads.
	st, body = c.do(t, owner, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, map[string]string{"If-Match": `"nope"`})
	wantError(t, "If-Match", st, body, 412, "PreconditionFailed")
	etag := etagOf([]byte("month,revenue\n2026-01,1200\n"))
	if st, _ := c.do(t, owner, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, map[string]string{"If-None-Match": etag}); st != 304 {
		t.Errorf("If-None-Match with the ETag: %d, want 304", st)
	}
	// Another account's admin may not read the owner's bucket policy.
	st, body = c.do(t, adminOf(t, sb, ConsumerAccount), "s3", "GET", "/"+DemoBucket, "policy=", nil, nil)
	wantError(t, "cross-account GetBucketPolicy", st, body, 403, "AccessDenied")
}

// TestSecureTransport: the same request is allowed over HTTPS and denied
// over plain HTTP by a TLS-only bucket policy, as aws:SecureTransport says.
func TestSecureTransport(t *testing.T) {
	sb, srv, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	deny := `{"Version":"2012-10-17","Statement":[{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::` + DemoBucket + `","arn:aws:s3:::` + DemoBucket + `/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	if st, body := c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "policy=", []byte(deny), nil); st != 204 {
		t.Fatalf("put policy: %d %s", st, body)
	}
	if st, body := c.do(t, owner, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, nil); st != 200 {
		t.Errorf("HTTPS get: %d %s", st, body)
	}
	plain := newTestClient(t, sb, srv.PlainURL())
	st, body := plain.do(t, owner, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, nil)
	wantError(t, "plain HTTP get", st, body, 403, "AccessDenied")
}

// TestStateFile: --state keeps what was written across restarts, in a 0600
// file.
func TestStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	sb, srv, c := running(t, Options{StatePath: path})
	owner := adminOf(t, sb, OwnerAccount)
	if st, body := c.do(t, owner, "s3", "PUT", "/"+DemoBucket+"/kept.txt", "", []byte("kept"), nil); st != 200 {
		t.Fatalf("put: %d %s", st, body)
	}
	srv.Close()
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v mode %v", err, info.Mode())
	}
	sb2, _, c2 := running(t, Options{StatePath: path})
	if st, body := c2.do(t, adminOf(t, sb2, OwnerAccount), "s3", "GET", "/"+DemoBucket+"/kept.txt", "", nil, nil); st != 200 || body != "kept" {
		t.Fatalf("after restart: %d %q", st, body)
	}
	if adminOf(t, sb2, OwnerAccount) != owner {
		t.Error("the keys changed across a restart with --state")
	}
}

// TestDeletedPrincipal: a bucket policy naming a role that is then deleted
// shows the role's unique ID, and writing that document back fails, as in
// AWS.
func TestDeletedPrincipal(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner, consumer := adminOf(t, sb, OwnerAccount), adminOf(t, sb, ConsumerAccount)
	iam := func(who creds, v url.Values) (int, string) {
		v.Set("Version", "2010-05-08")
		return c.do(t, who, "iam", "POST", "/", "", form(v), formHdr)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if st, body := iam(consumer, url.Values{"Action": {"CreateRole"}, "RoleName": {"temp"}, "AssumeRolePolicyDocument": {trust}}); st != 200 {
		t.Fatalf("create role: %d %s", st, body)
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Temp","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/temp"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + DemoBucket + `/reports/*"}]}`
	if st, body := c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "policy=", []byte(doc), nil); st != 204 {
		t.Fatalf("put policy: %d %s", st, body)
	}
	roleID := sb.st.Accounts[ConsumerAccount].Roles["temp"].ID
	if st, body := iam(consumer, url.Values{"Action": {"DeleteRole"}, "RoleName": {"temp"}}); st != 200 {
		t.Fatalf("delete role: %d %s", st, body)
	}
	st, body := c.do(t, owner, "s3", "GET", "/"+DemoBucket, "policy=", nil, nil)
	if st != 200 || !strings.Contains(body, `"`+roleID+`"`) || strings.Contains(body, "role/temp") {
		t.Fatalf("policy after the role was deleted: %d %s (want the unique ID %s)", st, body, roleID)
	}
	st, body = c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "policy=", []byte(body), nil)
	wantError(t, "writing back an orphaned unique ID", st, body, 400, "Invalid principal")
}

// TestAddressing: virtual-hosted style under .localhost and access point
// hosts NAME-ACCOUNT.HOST reach the same objects as path style.
func TestAddressing(t *testing.T) {
	sb, srv, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	sb.mu.Lock()
	sb.st.Accounts[OwnerAccount].AccessPoints["hosted"] = &AccessPoint{
		Name: "hosted", Bucket: DemoBucket, BucketAccount: OwnerAccount,
		Alias: "hosted-abc-s3alias", Region: Region, PAB: &PublicAccessBlockConfig{},
	}
	sb.mu.Unlock()
	port := strings.TrimPrefix(srv.URL(), "https://127.0.0.1")
	for _, host := range []string{DemoBucket + ".localhost" + port, "hosted-" + OwnerAccount + ".localhost" + port} {
		c.base = srv.URL()
		st, body := c.doHost(t, owner, host, "/reports/2026-01.csv")
		if st != 200 || !strings.Contains(body, "2026-01,1200") {
			t.Errorf("host %s: %d %s", host, st, body)
		}
	}
	if st, body := c.do(t, owner, "s3", "GET", "/hosted-abc-s3alias/reports/2026-01.csv", "", nil, nil); st != 200 {
		t.Errorf("alias: %d %s", st, body)
	}
}

// TestRequestLog: each request gets a line with who asked and the answer;
// a denial carries the evaluator's first reason.
func TestRequestLog(t *testing.T) {
	var log strings.Builder
	sb, _, c := running(t, Options{Log: &log})
	session := credsOf(sb.keyFor(sessionARN))
	if st, _ := c.do(t, session, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, nil); st != 403 {
		t.Fatalf("consumer read before any grant: %d", st)
	}
	line := log.String()
	for _, want := range []string{"s3 GET /" + DemoBucket + "/reports/2026-01.csv as " + sessionARN, "403 AccessDenied: [bucket]", "cross-account"} {
		if !strings.Contains(line, want) {
			t.Errorf("log lacks %q:\n%s", want, line)
		}
	}
}
