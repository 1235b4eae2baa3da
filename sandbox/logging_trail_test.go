package sandbox

import (
	"strings"
	"testing"
)

// TestBucketLoggingTargetChecks: PutBucketLogging refuses, as S3 does, a
// target bucket that does not exist, belongs to another account or whose
// policy does not let logging.s3.amazonaws.com write for this source
// bucket and account, or is in another region; the policy or the Log Delivery group's ACL WRITE
// makes it work, and an empty status turns logging off.
func TestBucketLoggingTargetChecks(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner, partner := adminOf(t, sb, OwnerAccount), adminOf(t, sb, PartnerAccount)
	put := func(who creds, bucket, body string) (int, string) {
		return c.do(t, who, "s3", "PUT", "/"+bucket, "logging=", []byte(body), nil)
	}
	enable := func(target string) string {
		return `<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>` + target +
			`</TargetBucket><TargetPrefix>src/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`
	}
	for _, b := range []struct {
		who  creds
		name string
	}{{owner, "owner-logs"}, {owner, "acl-logs"}, {partner, "partner-logs"}} {
		cfg := []byte(`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>` + Region + `</LocationConstraint></CreateBucketConfiguration>`)
		if st, body := c.do(t, b.who, "s3", "PUT", "/"+b.name, "", cfg, nil); st != 200 {
			t.Fatalf("create %s: %d %s", b.name, st, body)
		}
	}
	if st, body := c.do(t, owner, "s3", "PUT", "/us-logs", "", nil, nil); st != 200 {
		t.Fatalf("create us-logs: %d %s", st, body)
	}
	st, body := put(owner, DemoBucket, enable("us-logs"))
	wantError(t, "a target in another region", st, body, 400, "CrossLocationLoggingProhibitted")
	st, body = put(owner, DemoBucket, enable("no-such-bucket"))
	wantError(t, "a missing target", st, body, 400, "InvalidTargetBucketForLogging")
	st, body = put(owner, DemoBucket, enable("partner-logs"))
	wantError(t, "another account's target", st, body, 400, "InvalidTargetBucketForLogging")
	st, body = put(owner, DemoBucket, enable("owner-logs"))
	wantError(t, "a target whose policy does not allow log delivery", st, body, 400, "InvalidTargetBucketForLogging")

	wrongAccount := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::owner-logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"` + PartnerAccount + `"}}}]}`
	if st, body := c.do(t, owner, "s3", "PUT", "/owner-logs", "policy=", []byte(wrongAccount), nil); st/100 != 2 {
		t.Fatalf("put policy: %d %s", st, body)
	}
	st, body = put(owner, DemoBucket, enable("owner-logs"))
	wantError(t, "a policy for another source account", st, body, 400, "InvalidTargetBucketForLogging")
	good := strings.Replace(wrongAccount, PartnerAccount, OwnerAccount, 1)
	if st, body := c.do(t, owner, "s3", "PUT", "/owner-logs", "policy=", []byte(good), nil); st/100 != 2 {
		t.Fatalf("put policy: %d %s", st, body)
	}
	if st, body := put(owner, DemoBucket, enable("owner-logs")); st != 200 {
		t.Fatalf("a target whose policy allows log delivery: %d %s", st, body)
	}
	if st, body := c.do(t, owner, "s3", "GET", "/"+DemoBucket, "logging=", nil, nil); st != 200 || !strings.Contains(body, "<TargetBucket>owner-logs</TargetBucket>") {
		t.Errorf("GetBucketLogging: %d %s", st, body)
	}

	acl := `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + canonicalIDFor(OwnerAccount) + `</ID></Owner><AccessControlList>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + canonicalIDFor(OwnerAccount) + `</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/s3/LogDelivery</URI></Grantee><Permission>WRITE</Permission></Grant>` +
		`</AccessControlList></AccessControlPolicy>`
	own := `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>BucketOwnerPreferred</ObjectOwnership></Rule></OwnershipControls>`
	if st, body := c.do(t, owner, "s3", "PUT", "/acl-logs", "ownershipControls=", []byte(own), nil); st != 200 {
		t.Fatalf("turn ACLs on: %d %s", st, body)
	}
	if st, body := c.do(t, owner, "s3", "PUT", "/acl-logs", "acl=", []byte(acl), nil); st != 200 {
		t.Fatalf("put ACL: %d %s", st, body)
	}
	if st, body := put(owner, DemoBucket, enable("acl-logs")); st != 200 {
		t.Errorf("a target whose ACL grants the Log Delivery group WRITE: %d %s", st, body)
	}
	if st, body := put(owner, DemoBucket, `<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`); st != 200 {
		t.Fatalf("turn logging off: %d %s", st, body)
	}
	if st, body := c.do(t, owner, "s3", "GET", "/"+DemoBucket, "logging=", nil, nil); st != 200 || strings.Contains(body, "LoggingEnabled") {
		t.Errorf("GetBucketLogging after turning it off: %d %s", st, body)
	}
}

// TestCloudTrailSelectors: a trail keeps basic or advanced selectors, never
// both; an unknown trail is TrailNotFoundException; a new trail logs
// management events only.
func TestCloudTrailSelectors(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	call := func(op, body string) (int, string) {
		return c.do(t, owner, "cloudtrail", "POST", "/", "", []byte(body), map[string]string{
			"X-Amz-Target": "CloudTrail_20131101." + op, "Content-Type": "application/x-amz-json-1.1",
		})
	}
	if st, body := call("CreateTrail", `{"Name":"t1","S3BucketName":"`+DemoBucket+`"}`); st != 200 || !strings.Contains(body, "trail/t1") {
		t.Fatalf("CreateTrail: %d %s", st, body)
	}
	if st, body := call("GetEventSelectors", `{"TrailName":"t1"}`); st != 200 || !strings.Contains(body, `"IncludeManagementEvents":true`) {
		t.Errorf("a new trail's selectors: %d %s", st, body)
	}
	st, body := call("PutEventSelectors", `{"TrailName":"t1","EventSelectors":[{"ReadWriteType":"All"}],"AdvancedEventSelectors":[{"FieldSelectors":[]}]}`)
	wantError(t, "both kinds of selectors", st, body, 400, "InvalidParameterCombinationException")
	adv := `[{"Name":"s3","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]`
	if st, body := call("PutEventSelectors", `{"TrailName":"t1","AdvancedEventSelectors":`+adv+`}`); st != 200 {
		t.Fatalf("PutEventSelectors: %d %s", st, body)
	}
	if st, body := call("GetEventSelectors", `{"TrailName":"t1"}`); st != 200 || !strings.Contains(body, "AWS::S3::Object") || strings.Contains(body, `"EventSelectors"`) {
		t.Errorf("advanced selectors read back: %d %s", st, body)
	}
	st, body = call("GetTrailStatus", `{"Name":"nope"}`)
	wantError(t, "an unknown trail", st, body, 400, "TrailNotFoundException")
}
