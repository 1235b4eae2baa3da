package sandbox

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIInterop drives the sandbox with the AWS CLI v1 and v2 as
// independent clients: SigV4 over TLS, S3 path style with encoding-type=url
// listings, uploads (aws-chunked where the CLI uses it), S3 Control through
// the sandbox as HTTPS proxy ({account}.127.0.0.1 hosts), KMS JSON, STS.
func TestCLIInterop(t *testing.T) {
	e := startEnv(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "up.txt")
	if err := os.WriteFile(src, []byte("uploaded by the CLI\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.bin")
	bigData := bytes.Repeat([]byte("0123456789abcdef"), 9<<16) // 9 MiB: the CLI uploads it in parts
	if err := os.WriteFile(big, bigData, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cli := range awsCLIs(t) {
		e.must(t, cli, "sandbox-owner", "s3", "cp", big, "s3://"+DemoBucket+"/uploads/big.bin")
		back := filepath.Join(dir, "back.bin")
		e.must(t, cli, "sandbox-owner", "s3", "cp", "s3://"+DemoBucket+"/uploads/big.bin", back)
		if got, _ := os.ReadFile(back); !bytes.Equal(got, bigData) {
			t.Errorf("%s: multipart round trip: %d bytes back of %d", cli, len(got), len(bigData))
		}
		if etag := jsonField(t, e.must(t, cli, "sandbox-owner", "s3api", "head-object", "--bucket", DemoBucket, "--key", "uploads/big.bin"), "ETag"); !strings.Contains(etag.(string), "-") {
			t.Errorf("%s: a multipart upload's ETag has a part count, got %v", cli, etag)
		}
		if got := jsonField(t, e.must(t, cli, "sandbox-consumer", "sts", "get-caller-identity"), "Arn"); got != "arn:aws:sts::222233334444:assumed-role/analytics/sandbox" {
			t.Errorf("%s: consumer is %v", cli, got)
		}
		ls := e.must(t, cli, "sandbox-owner", "s3", "ls", "s3://"+DemoBucket+"/", "--recursive")
		for _, o := range demoObjects() {
			if !strings.Contains(ls, o.key) {
				t.Errorf("%s: s3 ls misses %s:\n%s", cli, o.key, ls)
			}
		}
		out := e.must(t, cli, "sandbox-owner", "s3api", "list-objects-v2", "--bucket", DemoBucket, "--prefix", "exports/", "--delimiter", "/")
		if !strings.Contains(out, `"exports/daily/"`) || strings.Contains(out, "2026-01-01.json") {
			t.Errorf("%s: delimiter listing:\n%s", cli, out)
		}
		e.must(t, cli, "sandbox-owner", "s3", "cp", src, "s3://"+DemoBucket+"/uploads/up.txt")
		if got := e.must(t, cli, "sandbox-owner", "s3", "cp", "s3://"+DemoBucket+"/uploads/up.txt", "-"); got != "uploaded by the CLI\n" {
			t.Errorf("%s: round trip got %q", cli, got)
		}
		if got := e.must(t, cli, "sandbox-owner", "s3", "cp", "s3://"+DemoBucket+"/exports/daily/2026-01-01.json", "-"); !strings.Contains(got, `"rows":42`) {
			t.Errorf("%s: SSE-KMS object got %q", cli, got)
		}
		name := "cli-ap-" + strings.ToLower(filepath.Base(filepath.Dir(cli)))
		e.must(t, cli, "sandbox-owner", "s3control", "create-access-point", "--account-id", OwnerAccount, "--name", name, "--bucket", DemoBucket)
		if out := e.must(t, cli, "sandbox-owner", "s3control", "list-access-points", "--account-id", OwnerAccount); !strings.Contains(out, name) {
			t.Errorf("%s: access point not listed:\n%s", cli, out)
		}
		if got := jsonField(t, e.must(t, cli, "sandbox-owner", "kms", "describe-key", "--key-id", "alias/analytics-exports"), "KeyMetadata"); got.(map[string]any)["KeyId"] != DemoKeyID {
			t.Errorf("%s: describe-key: %v", cli, got)
		}
		// A presigned URL (query-string SigV4) works without credentials.
		u := strings.TrimSpace(e.must(t, cli, "sandbox-owner", "s3", "presign", "s3://"+DemoBucket+"/reports/2026-01.csv", "--expires-in", "300"))
		resp, err := newTestClient(t, e.sb, "").http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "2026-01,1200") {
			t.Errorf("%s: presigned GET: %d %s", cli, resp.StatusCode, body)
		}
		e.fails(t, "AccessDenied", cli, "sandbox-consumer", "s3api", "list-objects-v2", "--bucket", DemoBucket, "--prefix", "reports/")
		e.fails(t, "AccessDenied", cli, "sandbox-consumer", "s3control", "list-access-points", "--account-id", OwnerAccount)
		e.fails(t, "(404)", cli, "sandbox-owner", "s3api", "head-bucket", "--bucket", "no-such-bucket-here")
		e.fails(t, "NotImplemented", cli, "sandbox-owner", "s3api", "get-bucket-versioning", "--bucket", DemoBucket)
	}
}
