package aws

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/audit"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// auditS3API holds the S3 calls only the audit makes (*s3.Client has them).
type auditS3API interface {
	GetBucketLogging(
		context.Context, *s3.GetBucketLoggingInput, ...func(*s3.Options),
	) (*s3.GetBucketLoggingOutput, error)
	PutBucketLogging(
		context.Context, *s3.PutBucketLoggingInput, ...func(*s3.Options),
	) (*s3.PutBucketLoggingOutput, error)
}

// auditControlAPI holds the S3 Control calls only the audit makes.
type auditControlAPI interface {
	ListAccessPoints(
		context.Context, *s3control.ListAccessPointsInput, ...func(*s3control.Options),
	) (*s3control.ListAccessPointsOutput, error)
}

// AuditOptions say what else the audit reads.
type AuditOptions struct {
	OrgID string
	// Store is the journal to find the runs that wrote s3grant statements
	// in; nil: runs are not looked up.
	Store *journal.Store
}

// ReadAudit reads everything the owner account can see about a bucket:
// policy, ACL, Object Ownership, Block Public Access (bucket and account),
// the account's access points on the bucket and their policies, the default
// encryption key's policy, server access logging and the CloudTrail trails
// that record its data events. "Not set" answers are empty values; a part
// the credentials may not read is reported as unknown rather than failing
// the audit, except the bucket's own documents, without which there is no
// audit.
func ReadAudit(ctx context.Context, owner *Account, bucket string, o AuditOptions) (audit.State, error) {
	region, err := BucketRegion(ctx, owner, bucket)
	if err != nil {
		return audit.State{Bucket: bucket, OwnerAccount: owner.ID, OrgID: o.OrgID}, err
	}
	acct := readAccountAudit(ctx, owner, o)
	return readBucketAudit(ctx, owner, bucket, region, acct, func(ctx context.Context) ([]audit.TrailState, bool) {
		return readTrails(ctx, owner, bucket, region)
	})
}

// accountAudit is what the audit reads once per account, whatever the
// bucket: the roles outside principals may assume, the organization's
// members and the journal's runs.
type accountAudit struct {
	orgID       string
	roles       []audit.RoleState
	rolesNote   string
	orgAccounts []string
	orgNote     string
	runs        map[string][]audit.RunRef
	// accountBPA is the account's Block Public Access, when read once for
	// every bucket; nil: each bucket reads it.
	accountBPA *plan.PublicAccessBlock
}

func readAccountAudit(ctx context.Context, owner *Account, o AuditOptions) accountAudit {
	a := accountAudit{orgID: o.OrgID}
	a.roles, a.rolesNote = readOuterRoles(ctx, owner)
	if o.OrgID != "" {
		a.orgAccounts, a.orgNote = readOrgAccounts(ctx, owner, o.OrgID)
	}
	if o.Store != nil {
		a.runs = runsByGrant(*o.Store)
	}
	return a
}

// readBucketAudit reads the bucket's own documents and settings in its
// region; trails says which trails record its data events.
func readBucketAudit(ctx context.Context, owner *Account, bucket, region string, acct accountAudit,
	trails func(context.Context) ([]audit.TrailState, bool),
) (audit.State, error) {
	st := audit.State{Bucket: bucket, OwnerAccount: owner.ID, OrgID: acct.orgID}
	facts, acl, err := factsIn(ctx, owner, bucket, region, acct.accountBPA)
	if err != nil {
		return st, err
	}
	st.Region, st.ObjectOwnership, st.OwnerCanonicalID = facts.BucketRegion, facts.ObjectOwnership, facts.BucketOwnerID
	st.BucketBPA, st.AccountBPA = facts.BucketBPA, facts.AccountBPA
	c := owner.S3(st.Region)
	doc, err := bucketPolicy{s3: c, bucket: bucket, owner: owner.ID}.Read(ctx)
	if err != nil {
		return st, fmt.Errorf("read the bucket policy of %s: %w", bucket, err)
	}
	if st.BucketPolicy, err = parseIfExists(doc, "bucket policy of "+bucket); err != nil {
		return st, err
	}
	st.BucketACL = acl
	if st.AccessPoints, err = readAccessPoints(ctx, owner, bucket, st.Region); err != nil {
		st.AccessPoints, st.AccessPointsNote = nil, err.Error()
	}
	st.Encryption = readAuditKey(ctx, owner, facts)
	st.Logging = readLogging(ctx, c, bucket, owner.ID)
	st.Trails, st.TrailsRead = trails(ctx)
	st.Roles, st.RolesNote = acct.roles, acct.rolesNote
	st.OrgAccounts, st.OrgAccountsNote = acct.orgAccounts, acct.orgNote
	st.Runs = acct.runs
	return st, nil
}

func parseIfExists(d Doc, what string) (*policy.Policy, error) {
	if !d.Exists || d.Raw == "" {
		return nil, nil
	}
	p, err := policy.Parse([]byte(d.Raw))
	if err != nil {
		return nil, fmt.Errorf("the %s cannot be read: %w", what, err)
	}
	return p, nil
}

// readAccessPoints lists the owner account's access points on the bucket
// with their network origin, Block Public Access and policy.
func readAccessPoints(ctx context.Context, owner *Account, bucket, region string) ([]audit.AccessPointState, error) {
	ctl := owner.S3Control(region)
	lister, ok := ctl.(auditControlAPI)
	if !ok {
		return nil, fmt.Errorf("this S3 Control client cannot list access points")
	}
	var out []audit.AccessPointState
	in := &s3control.ListAccessPointsInput{AccountId: &owner.ID, Bucket: &bucket}
	for {
		page, err := lister.ListAccessPoints(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list the access points of %s: %w", bucket, err)
		}
		for _, ap := range page.AccessPointList {
			st, err := readAccessPoint(ctx, ctl, owner.ID, region, sdk.ToString(ap.Name))
			if err != nil {
				return nil, err
			}
			st.NetworkOrigin = string(ap.NetworkOrigin)
			if arn := sdk.ToString(ap.AccessPointArn); arn != "" {
				st.ARN = arn
			}
			out = append(out, st)
		}
		if sdk.ToString(page.NextToken) == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

func readAccessPoint(
	ctx context.Context, ctl S3ControlAPI, account, region, name string,
) (audit.AccessPointState, error) {
	st := audit.AccessPointState{Name: name, ARN: arn.AccessPoint(arn.Partition(region), region, account, name)}
	ap, err := ctl.GetAccessPoint(ctx, &s3control.GetAccessPointInput{AccountId: &account, Name: &name})
	if err != nil {
		return st, fmt.Errorf("read access point %s: %w", name, err)
	}
	if b := ap.PublicAccessBlockConfiguration; b != nil {
		st.BPA = plan.PublicAccessBlock{
			BlockPublicAcls:       sdk.ToBool(b.BlockPublicAcls),
			IgnorePublicAcls:      sdk.ToBool(b.IgnorePublicAcls),
			BlockPublicPolicy:     sdk.ToBool(b.BlockPublicPolicy),
			RestrictPublicBuckets: sdk.ToBool(b.RestrictPublicBuckets),
		}
	}
	doc, err := accessPointPolicy{ctl: ctl, account: account, name: name}.Read(ctx)
	if err != nil {
		return st, fmt.Errorf("read the policy of access point %s: %w", name, err)
	}
	st.Policy, err = parseIfExists(doc, "policy of access point "+name)
	return st, err
}

// readAuditKey reads the default encryption key's policy; an unreadable key
// policy is recorded, not fatal (the key's admins may not include the
// auditor).
func readAuditKey(ctx context.Context, owner *Account, f plan.Facts) audit.EncryptionState {
	e := audit.EncryptionState{Algorithm: f.SSEAlgorithm, KeyARN: f.SSEKeyARN, AWSManaged: f.SSEAWSManagedKey}
	if e.KeyARN == "" || e.AWSManaged {
		return e
	}
	in := &kms.GetKeyPolicyInput{KeyId: &e.KeyARN, PolicyName: sdk.String("default")}
	out, err := owner.KMS(keyRegion(e.KeyARN)).GetKeyPolicy(ctx, in)
	if err != nil {
		e.KeyPolicyError = shortErr(err)
		return e
	}
	p, err := policy.Parse([]byte(sdk.ToString(out.Policy)))
	if err != nil {
		e.KeyPolicyError = "the key policy cannot be parsed: " + err.Error()
		return e
	}
	e.KeyPolicy = p
	return e
}

// readLogging reads server access logging; nil when it cannot be read.
func readLogging(ctx context.Context, c S3API, bucket, owner string) *audit.LoggingState {
	lc, ok := c.(auditS3API)
	if !ok {
		return nil
	}
	out, err := lc.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: &bucket, ExpectedBucketOwner: &owner})
	if err != nil {
		return nil
	}
	l := &audit.LoggingState{}
	if le := out.LoggingEnabled; le != nil && sdk.ToString(le.TargetBucket) != "" {
		l.Enabled, l.TargetBucket, l.TargetPrefix = true, sdk.ToString(le.TargetBucket), sdk.ToString(le.TargetPrefix)
	}
	return l
}

// runsByGrant indexes the journal's runs that may have left statements (not
// undone or rolled back) by grant ID.
func runsByGrant(store journal.Store) map[string][]audit.RunRef {
	runs, err := store.List()
	if err != nil {
		return nil
	}
	out := map[string][]audit.RunRef{}
	for i := len(runs) - 1; i >= 0; i-- { // oldest first
		r := runs[i]
		switch r.Outcome {
		case journal.OutcomeApplied, journal.OutcomePartial, journal.OutcomeUnchanged, journal.OutcomeRunning:
			id := strings.ToUpper(r.GrantID)
			out[id] = append(out[id], audit.RunRef{ID: r.ID, Time: r.Created.UTC().Format("2006-01-02T15:04:05Z")})
		case journal.OutcomeRolledBack, journal.OutcomeStopped, journal.OutcomeUndone, journal.OutcomeAdopted:
			// nothing of the run is left in the documents (an adopted run's
			// writes are listed under the run that adopted them)
		}
	}
	return out
}
