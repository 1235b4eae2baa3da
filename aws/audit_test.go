package aws_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
)

const (
	messyBucket = "messy-bucket"
	otherCID    = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	messyGrant  = "B7C80A24"
)

// messyPolicy is a legacy bucket policy: Version 2008-10-17, an Id, Sids
// missing, a public statement, a whole-account grant, the unique ID of a
// deleted role, a statement s3grant wrote, access point delegation and the
// TLS deny.
const messyPolicy = `{"Version":"2008-10-17","Id":"legacy","Statement":[
 {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/public/*"},
 {"Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::messy-bucket"},
 {"Sid":"Reporting","Effect":"Allow","Principal":{"AWS":["AROAJQABLZS4A3QDU576Q","arn:aws:iam::444455556666:role/reporting"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/reports/*"},
 {"Sid":"S3GrantB7C80A24Objects","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/reports/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},
 {"Sid":"Delegate","Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":["arn:aws:s3:::messy-bucket","arn:aws:s3:::messy-bucket/*"],"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}},
 {"Sid":"Admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"s3:*","Resource":"arn:aws:s3:::messy-bucket/*"},
 {"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::messy-bucket","arn:aws:s3:::messy-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

// auditWorld is moto with the messy bucket in the owner account.
type auditWorld struct {
	env    *testenv.Env
	owner  *aws.Account
	cfg    sdk.Config // the owner's SDK configuration, for seeding
	store  journal.Store
	keyARN string
}

func newAuditWorld(t *testing.T) *auditWorld {
	t.Helper()
	env := testenv.Start(t)
	for _, kv := range env.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		os.Unsetenv(k)
	}
	ctx := context.Background()
	owner, err := aws.Connect(ctx, aws.ConnectOptions{Profile: "owner", EndpointURL: env.URL})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("owner"), config.WithBaseEndpoint(env.URL), config.WithRegion(testenv.Region))
	if err != nil {
		t.Fatal(err)
	}
	w := &auditWorld{env: env, owner: owner, cfg: cfg, store: journal.Store{Dir: filepath.Join(t.TempDir(), "runs")}}
	w.seed(t)
	return w
}

func (w *auditWorld) s3() *s3.Client {
	return s3.NewFromConfig(w.cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func (w *auditWorld) createBucket(t *testing.T, name string) {
	t.Helper()
	must(w.s3().CreateBucket(context.Background(), &s3.CreateBucketInput{
		Bucket:                    sdk.String(name),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(testenv.Region)},
	}))(t)
}

func (w *auditWorld) seed(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c := w.s3()
	w.createBucket(t, messyBucket)
	must(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String(messyBucket), Policy: sdk.String(messyPolicy)}))(t)
	// An old bucket: no Object Ownership setting, ACLs on, with a grant to
	// another account and a public one.
	_, _ = c.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: sdk.String(messyBucket)})
	acl := must(c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: sdk.String(messyBucket)}))(t)
	grants := append(acl.Grants,
		s3types.Grant{Grantee: &s3types.Grantee{Type: s3types.TypeCanonicalUser, ID: sdk.String(otherCID)}, Permission: s3types.PermissionRead},
		s3types.Grant{Grantee: &s3types.Grantee{Type: s3types.TypeGroup, URI: sdk.String("http://acs.amazonaws.com/groups/global/AllUsers")}, Permission: s3types.PermissionRead})
	must(c.PutBucketAcl(ctx, &s3.PutBucketAclInput{
		Bucket:              sdk.String(messyBucket),
		AccessControlPolicy: &s3types.AccessControlPolicy{Owner: acl.Owner, Grants: grants},
	}))(t)

	kc := kms.NewFromConfig(w.cfg)
	key := must(kc.CreateKey(ctx, &kms.CreateKeyInput{Description: sdk.String("messy bucket key")}))(t)
	w.keyARN = sdk.ToString(key.KeyMetadata.Arn)
	keyPolicy := `{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"Consumer","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":["kms:Decrypt"],"Resource":"*"}]}`
	must(kc.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, PolicyName: sdk.String("default"), Policy: sdk.String(keyPolicy)}))(t)
	must(c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: sdk.String(messyBucket),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: sdk.String(w.keyARN)},
		}}},
	}))(t)

	ctl := w.owner.S3Control(testenv.Region)
	for _, name := range []string{"messy-ap", "bare-ap"} {
		must(ctl.CreateAccessPoint(ctx, &s3control.CreateAccessPointInput{AccountId: sdk.String(testenv.OwnerAccount), Name: sdk.String(name), Bucket: sdk.String(messyBucket)}))(t)
	}
	apPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:role/analytics"},"Action":"s3:GetObject","Resource":"arn:aws:s3:eu-west-1:111122223333:accesspoint/messy-ap/object/reports/*"}]}`
	must(ctl.PutAccessPointPolicy(ctx, &s3control.PutAccessPointPolicyInput{AccountId: sdk.String(testenv.OwnerAccount), Name: sdk.String("messy-ap"), Policy: sdk.String(apPolicy)}))(t)

	// A trail recording the bucket's data events.
	w.createBucket(t, "trail-logs")
	ct := cloudtrail.NewFromConfig(w.cfg)
	must(ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: sdk.String("data-trail"), S3BucketName: sdk.String("trail-logs")}))(t)
	must(ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: sdk.String("data-trail"), EventSelectors: []cttypes.EventSelector{{
		ReadWriteType: cttypes.ReadWriteTypeAll, DataResources: []cttypes.DataResource{{Type: sdk.String("AWS::S3::Object"), Values: []string{"arn:aws:s3:::messy-bucket/"}}},
	}}}))(t)
	must(ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: sdk.String("data-trail")}))(t)

	// A role another account may assume, which reads the bucket, and one
	// that cannot reach it.
	ic := iam.NewFromConfig(w.cfg)
	for _, r := range []struct{ name, trust, perms string }{
		{
			"partner-reader", `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222233334444:root"},"Action":"sts:AssumeRole"}]}`,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::messy-bucket/reports/*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`,
		},
		{
			"elsewhere", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}`,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::another-bucket/*"}]}`,
		},
		{
			"internal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		},
	} {
		must(ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: sdk.String(r.name), AssumeRolePolicyDocument: sdk.String(r.trust)}))(t)
		must(ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: sdk.String(r.name), PolicyName: sdk.String("perms"), PolicyDocument: sdk.String(r.perms)}))(t)
	}

	// The run that wrote the S3Grant statement.
	run := &journal.Run{
		ID: "20260101T000000Z-1a2b3c4d", Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), GrantID: messyGrant,
		Method: "bucket-policy", Bucket: messyBucket, Owner: testenv.OwnerAccount, Outcome: journal.OutcomeApplied,
	}
	if err := w.store.Save(run); err != nil {
		t.Fatal(err)
	}
}

func (w *auditWorld) audit(t *testing.T) *audit.Report {
	t.Helper()
	st, err := aws.ReadAudit(context.Background(), w.owner, messyBucket, aws.AuditOptions{Store: &w.store})
	if err != nil {
		t.Fatal(err)
	}
	return audit.Audit(st)
}

func countFindings(r *audit.Report) map[string]int {
	out := map[string]int{}
	for _, f := range r.Findings {
		out[string(f.Severity)+" "+f.Code]++
	}
	return out
}

// The messy bucket read from moto gives every finding once with its
// severity, and lists every principal outside the owner account.
func TestAuditAgainstMoto(t *testing.T) {
	w := newAuditWorld(t)
	r := w.audit(t)
	want := map[string]int{
		"high public-statement":           1,
		"high public-acl":                 1,
		"warning whole-account-grant":     3, // bucket policy, key policy, role trust
		"warning orphaned-principal":      1,
		"warning grant-never-allows":      2, // PublicRead and Reporting: the customer key admits neither
		"warning acl-grant":               1,
		"warning acls-enabled":            1,
		"warning access-point-no-policy":  1,
		"warning block-public-access-off": 1,
		"warning access-logging-off":      1,
		"info s3grant-statement":          1,
		"info data-events-on":             1,
	}
	got := countFindings(r)
	if fmt.Sprint(sortedCounts(got)) != fmt.Sprint(sortedCounts(want)) {
		t.Errorf("findings:\n%v\nwant:\n%v", sortedCounts(got), sortedCounts(want))
	}
	var who []string
	for _, g := range r.Grants {
		who = append(who, g.Kind+" "+g.Who+" @ "+strings.Fields(g.Document)[0]+"/"+g.Statement)
	}
	wantWho := []string{
		"anyone * @ bucket/PublicRead",
		"account 222233334444 @ bucket/statement 2",
		"role arn:aws:iam::444455556666:role/reporting @ bucket/Reporting",
		"role arn:aws:iam::222233334444:role/analytics @ bucket/S3GrantB7C80A24Objects",
		"anyone * @ bucket/Delegate",
		"role arn:aws:iam::222233334444:role/analytics @ access/statement 1",
		"account arn:aws:iam::222233334444:root @ key/Consumer",
		"account arn:aws:iam::222233334444:root @ trust/Partner",
		"canonical-user " + otherCID + " @ bucket/grant 2",
		"group http://acs.amazonaws.com/groups/global/AllUsers @ bucket/grant 3",
	}
	if strings.Join(who, "\n") != strings.Join(wantWho, "\n") {
		t.Errorf("grants:\n%s\nwant:\n%s", strings.Join(who, "\n"), strings.Join(wantWho, "\n"))
	}
	for _, f := range r.Findings {
		if f.Code == "s3grant-statement" && !strings.Contains(f.Message, "20260101T000000Z-1a2b3c4d") {
			t.Errorf("the s3grant statement does not name the run that wrote it: %s", f.Message)
		}
		if f.Code == "data-events-on" && !strings.Contains(f.Message, "data-trail") {
			t.Errorf("the data event trail is not named: %s", f.Message)
		}
	}
}

func sortedCounts(m map[string]int) []string {
	var out []string
	for k, n := range m {
		out = append(out, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(out)
	return out
}

// --fix-logging merges the log delivery statement into the log bucket's
// policy (keeping what was there), turns logging on, journals both writes,
// changes nothing the second time, and undo puts both back.
func TestFixLoggingAgainstMoto(t *testing.T) {
	w := newAuditWorld(t)
	ctx := context.Background()
	w.createBucket(t, "log-bucket")
	// moto 5.2.1 fails PutBucketLogging (HTTP 500) when the log bucket's
	// policy has a statement with Principal "*", so the foreign statement
	// names a principal.
	foreign := `{"Version":"2012-10-17","Statement":[{"Sid":"KeepMe","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/intern"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::log-bucket/*"}]}`
	must(w.s3().PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String("log-bucket"), Policy: sdk.String(foreign)}))(t)

	fix := aws.LoggingFix{Bucket: messyBucket, LogBucket: "log-bucket"}
	prep := must(aws.PrepareLoggingFix(ctx, w.owner, fix))(t)
	if prep.Changes() != 2 {
		t.Fatalf("%d changes prepared, want 2", prep.Changes())
	}
	res := must(aws.Apply(ctx, prep, aws.Accounts{Owner: w.owner}, aws.ApplyOptions{Store: w.store}))(t)
	if res.Outcome != journal.OutcomeApplied {
		t.Fatalf("outcome %s: %s", res.Outcome, res.Message)
	}
	logging := must(w.s3().GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: sdk.String(messyBucket)}))(t)
	if logging.LoggingEnabled == nil || sdk.ToString(logging.LoggingEnabled.TargetBucket) != "log-bucket" ||
		sdk.ToString(logging.LoggingEnabled.TargetPrefix) != messyBucket+"/" {
		t.Fatalf("logging not on as asked: %+v", logging.LoggingEnabled)
	}
	pol := sdk.ToString(must(w.s3().GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: sdk.String("log-bucket")}))(t).Policy)
	if !strings.Contains(pol, `"KeepMe"`) || !strings.Contains(pol, "logging.s3.amazonaws.com") {
		t.Fatalf("the log bucket policy lost a statement or lacks the log delivery one:\n%s", pol)
	}
	if got := countFindings(w.audit(t)); got["info access-logging-on"] != 1 || got["warning access-logging-off"] != 0 {
		t.Errorf("after the fix the audit says %v", sortedCounts(got))
	}
	// The independent client agrees.
	out := string(w.env.CLI(t, "owner", "s3api", "get-bucket-logging", "--bucket", messyBucket))
	if !strings.Contains(out, "log-bucket") {
		t.Errorf("the AWS CLI does not see logging on: %s", out)
	}

	again := must(aws.PrepareLoggingFix(ctx, w.owner, fix))(t)
	if again.Changes() != 0 {
		t.Errorf("a second fix would change %d documents, want 0", again.Changes())
	}

	if _, err := aws.Undo(ctx, res.RunID, aws.Accounts{Owner: w.owner}, aws.UndoOptions{ApplyOptions: aws.ApplyOptions{Store: w.store}}); err != nil {
		t.Fatal(err)
	}
	logging = must(w.s3().GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: sdk.String(messyBucket)}))(t)
	if logging.LoggingEnabled != nil {
		t.Errorf("undo left logging on: %+v", logging.LoggingEnabled)
	}
	pol = sdk.ToString(must(w.s3().GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: sdk.String("log-bucket")}))(t).Policy)
	if strings.Contains(pol, "logging.s3.amazonaws.com") || !strings.Contains(pol, `"KeepMe"`) {
		t.Errorf("undo did not restore the log bucket policy:\n%s", pol)
	}
}

func TestFixLoggingRefusesBadLogBuckets(t *testing.T) {
	w := newAuditWorld(t)
	ctx := context.Background()
	for _, tc := range []struct{ log, want string }{
		{messyBucket, "must be another bucket"},
		{"no-such-log-bucket", "log-bucket"},
	} {
		_, err := aws.PrepareLoggingFix(ctx, w.owner, aws.LoggingFix{Bucket: messyBucket, LogBucket: tc.log})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("log bucket %s: error %v, want one mentioning %q", tc.log, err, tc.want)
		}
	}
}

// With --org-id, the owner (here the organization's management account)
// lists the members: every grant to another account is outside it. A wrong
// organization ID falls back to flagging grants without aws:PrincipalOrgID
// for it (the S3Grant statement pins o-a1b2c3d4e5).
func TestAuditOrganizationAgainstMoto(t *testing.T) {
	w := newAuditWorld(t)
	ctx := context.Background()
	org := must(organizations.NewFromConfig(w.cfg).CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}))(t)
	orgID := sdk.ToString(org.Organization.Id)
	audit := func(id string) map[string]int {
		st, err := aws.ReadAudit(ctx, w.owner, messyBucket, aws.AuditOptions{OrgID: id, Store: &w.store})
		if err != nil {
			t.Fatal(err)
		}
		return countFindings(audit.Audit(st))
	}
	if got := audit(orgID); got["high outside-organization"] != 6 || got["warning organization-not-enforced"] != 0 {
		t.Errorf("members known: %v", sortedCounts(got))
	}
	if got := audit("o-a1b2c3d4e5"); got["high outside-organization"] != 0 || got["warning organization-not-enforced"] != 5 {
		t.Errorf("members unknown: %v", sortedCounts(got))
	}
}
