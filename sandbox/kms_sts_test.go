package sandbox

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func kmsCall(t *testing.T, c *testClient, who creds, op string, in map[string]any) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(in)
	st, out := c.do(t, who, "kms", "POST", "/", "", body, map[string]string{"X-Amz-Target": "TrentService." + op, "Content-Type": "application/x-amz-json-1.1"})
	var m map[string]any
	_ = json.Unmarshal([]byte(out), &m)
	return st, m
}

// TestKMS: encrypt and decrypt round trip; another account may use the key
// only when the key policy AND its identity policy allow; the lockout check
// refuses a key policy that would shut the caller out.
func TestKMS(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	session := credsOf(sb.keyFor(sessionARN))
	st, enc := kmsCall(t, c, owner, "Encrypt", map[string]any{"KeyId": "alias/analytics-exports", "Plaintext": []byte("secret"), "EncryptionContext": map[string]string{"k": "v"}})
	if st != 200 {
		t.Fatalf("encrypt: %d %v", st, enc)
	}
	blob := enc["CiphertextBlob"]
	st, dec := kmsCall(t, c, owner, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"k": "v"}})
	if st != 200 || dec["Plaintext"] != "c2VjcmV0" { // base64("secret")
		t.Fatalf("decrypt: %d %v", st, dec)
	}
	if st, m := kmsCall(t, c, owner, "Decrypt", map[string]any{"CiphertextBlob": blob}); st != 400 || m["__type"] != "InvalidCiphertextException" {
		t.Errorf("decrypt without the context: %d %v", st, m)
	}
	if st, m := kmsCall(t, c, session, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"k": "v"}}); st != 400 || m["__type"] != "AccessDeniedException" {
		t.Errorf("consumer decrypt under the default key policy: %d %v", st, m)
	}
	grant := `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + OwnerAccount + `:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Consumer","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + ConsumerAccount + `:role/analytics"},"Action":"kms:Decrypt","Resource":"*"}]}`
	if st, m := kmsCall(t, c, owner, "PutKeyPolicy", map[string]any{"KeyId": DemoKeyID, "PolicyName": "default", "Policy": grant}); st != 200 {
		t.Fatalf("put key policy: %d %v", st, m)
	}
	// The key policy allows, the consumer's identity policy does not yet.
	if st, m := kmsCall(t, c, session, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"k": "v"}}); st != 400 || m["__type"] != "AccessDeniedException" {
		t.Errorf("consumer decrypt without an identity allow: %d %v", st, m)
	}
	sb.mu.Lock()
	sb.st.Accounts[ConsumerAccount].Roles[ConsumerRoleName].Inline["kms"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"` + diffKeyARN + `"}]}`
	sb.mu.Unlock()
	if st, m := kmsCall(t, c, session, "Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"k": "v"}}); st != 200 {
		t.Errorf("consumer decrypt with both sides allowing: %d %v", st, m)
	}
	lockout := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + ConsumerAccount + `:role/analytics"},"Action":"kms:Decrypt","Resource":"*"}]}`
	if st, m := kmsCall(t, c, owner, "PutKeyPolicy", map[string]any{"KeyId": DemoKeyID, "PolicyName": "default", "Policy": lockout}); st != 400 || m["__type"] != "MalformedPolicyDocumentException" {
		t.Errorf("lockout policy: %d %v", st, m)
	}
}

// TestAssumeRole: the trust policy and the caller's identity policy decide;
// ExternalId conditions hold; role chaining caps the session at an hour.
func TestAssumeRole(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner, consumerAdmin := adminOf(t, sb, OwnerAccount), adminOf(t, sb, ConsumerAccount)
	session := credsOf(sb.keyFor(sessionARN))
	q := func(who creds, svc string, v url.Values) (int, string) {
		return c.do(t, who, svc, "POST", "/", "", form(v), formHdr)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + ConsumerAccount + `:role/analytics"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-1234"}}}]}`
	if st, body := q(owner, "iam", url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {"reader"}, "AssumeRolePolicyDocument": {trust}}); st != 200 {
		t.Fatalf("create role: %d %s", st, body)
	}
	assume := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {"arn:aws:iam::" + OwnerAccount + ":role/reader"}, "RoleSessionName": {"s1"}}
	withExt := func(ext, dur string) url.Values {
		v := url.Values{}
		for k, vs := range assume {
			v[k] = vs
		}
		v.Set("ExternalId", ext)
		if dur != "" {
			v.Set("DurationSeconds", dur)
		}
		return v
	}
	// The analytics role has no identity policy allowing sts:AssumeRole yet.
	st, body := q(session, "sts", withExt("ext-1234", ""))
	wantError(t, "no identity allow", st, body, 403, "AccessDenied")
	sb.mu.Lock()
	sb.st.Accounts[ConsumerAccount].Roles[ConsumerRoleName].Inline["assume"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`
	sb.mu.Unlock()
	st, body = q(session, "sts", withExt("wrong", ""))
	wantError(t, "wrong ExternalId", st, body, 403, "AccessDenied")
	st, body = q(consumerAdmin, "sts", withExt("ext-1234", ""))
	wantError(t, "a principal the trust policy does not name", st, body, 403, "AccessDenied")
	st, body = q(session, "sts", withExt("ext-1234", "7200"))
	wantError(t, "role chaining over an hour", st, body, 400, "ValidationError")
	st, body = q(session, "sts", withExt("ext-1234", "3600"))
	if st != 200 || !strings.Contains(body, "assumed-role/reader/s1") || !strings.Contains(body, "<SessionToken>") {
		t.Fatalf("assume: %d %s", st, body)
	}
}
