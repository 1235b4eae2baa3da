package sandbox

import (
	"net/http"
	"strings"
	"testing"
)

// TestBucketLocationAndEncryption: GetBucketLocation names no constraint
// for us-east-1, the region otherwise, and "EU" for a bucket created with
// that legacy name (which lives in eu-west-1); GetBucketEncryption answers
// the default rule; the bucket policy can deny both, even to the owner's
// administrator.
func TestBucketLocationAndEncryption(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	location := func(bucket string) (int, string) {
		return c.do(t, owner, "s3", "GET", "/"+bucket, "location", nil, nil)
	}
	create := func(bucket, constraint string) {
		var body []byte
		if constraint != "" {
			body = []byte(`<CreateBucketConfiguration><LocationConstraint>` + constraint + `</LocationConstraint></CreateBucketConfiguration>`)
		}
		if st, out := c.do(t, owner, "s3", "PUT", "/"+bucket, "", body, nil); st != http.StatusOK {
			t.Fatalf("create %s: %d %s", bucket, st, out)
		}
	}
	create("loc-virginia", "")
	create("loc-legacy-eu", "EU")
	for bucket, want := range map[string]string{DemoBucket: ">" + Region + "</LocationConstraint>", "loc-virginia": "></LocationConstraint>", "loc-legacy-eu": ">EU</LocationConstraint>"} {
		if st, body := location(bucket); st != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("location of %s: %d %s, want %s", bucket, st, body, want)
		}
	}
	sb.mu.Lock()
	region := sb.st.Buckets["loc-legacy-eu"].Region
	sb.mu.Unlock()
	if region != "eu-west-1" {
		t.Errorf("a bucket created in EU is in %q, want eu-west-1 (HeadBucket names it)", region)
	}

	if st, body := c.do(t, owner, "s3", "GET", "/"+DemoBucket, "encryption", nil, nil); st != http.StatusOK || !strings.Contains(body, "<SSEAlgorithm>AES256</SSEAlgorithm>") {
		t.Errorf("default encryption of a new bucket: %d %s", st, body)
	}
	kms := `<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>` +
		`<KMSMasterKeyID>` + DemoKeyID + `</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`
	if st, body := c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "encryption", []byte(kms), nil); st != http.StatusOK {
		t.Fatalf("put encryption: %d %s", st, body)
	}
	if st, body := c.do(t, owner, "s3", "GET", "/"+DemoBucket, "encryption", nil, nil); st != http.StatusOK || !strings.Contains(body, "<KMSMasterKeyID>"+DemoKeyID+"</KMSMasterKeyID>") {
		t.Errorf("encryption with the demo key: %d %s", st, body)
	}

	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:GetEncryptionConfiguration","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::` + DemoBucket + `"}]}`
	if st, body := c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "policy", []byte(deny), nil); st != http.StatusNoContent && st != http.StatusOK {
		t.Fatalf("put policy: %d %s", st, body)
	}
	st, body := c.do(t, owner, "s3", "GET", "/"+DemoBucket, "encryption", nil, nil)
	wantError(t, "GetBucketEncryption denied by the bucket policy", st, body, http.StatusForbidden, "AccessDenied")
	st, body = location(DemoBucket)
	wantError(t, "GetBucketLocation denied by the bucket policy", st, body, http.StatusForbidden, "AccessDenied")
}
