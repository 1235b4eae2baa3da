package testenv

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/arn"
)

// bootstrapAuth signs nothing (moto does not check signatures): it names the
// service and a key of moto's default account, from which AssumeRole hands
// out credentials in any account.
const bootstrapAuth = "AWS4-HMAC-SHA256 " +
	"Credential=AKIAS3GRANTTESTENV00/20260101/us-east-1/sts/aws4_request, " +
	"SignedHeaders=host, Signature=00"

type assumeRoleResponse struct {
	Credentials struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string `xml:"SecretAccessKey"`
		SessionToken    string `xml:"SessionToken"`
	} `xml:"AssumeRoleResult>Credentials"`
}

// assume calls sts:AssumeRole into role s3grant-test of account (moto is in aws).
func (e *Env) assume(t testing.TB, account, profile string) Account {
	t.Helper()
	form := url.Values{
		"Action": {"AssumeRole"}, "Version": {"2011-06-15"},
		"RoleArn":         {arn.Role(arn.AWS, account, "s3grant-test")},
		"RoleSessionName": {"s3grant-" + profile}, "DurationSeconds": {"43200"},
	}
	req, err := http.NewRequest(http.MethodPost, e.URL+"/", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("testenv: assume role in %s: %v", account, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", bootstrapAuth)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("testenv: assume role in %s: %v", account, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("testenv: assume role in %s: %s: %s", account, resp.Status, body)
	}
	var out assumeRoleResponse
	if err := xml.Unmarshal(body, &out); err != nil || out.Credentials.AccessKeyID == "" {
		t.Fatalf("testenv: assume role in %s: unreadable answer (%v): %s", account, err, body)
	}
	c := out.Credentials
	return Account{
		ID: account, Profile: profile,
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
	}
}
