package aws

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/templates"
)

// OpPutBucketLogging is the operation that turns server access logging on.
const OpPutBucketLogging = "s3:PutBucketLogging"

// MethodAccessLogging names, in the journal, the runs of
// `s3grant audit --fix-logging`.
const MethodAccessLogging = "access-logging"

// loggingDoc is the journal's form of a bucket's logging setting.
type loggingDoc struct {
	TargetBucket string `json:"TargetBucket"`
	TargetPrefix string `json:"TargetPrefix"`
}

// bucketLogging is the server access logging setting of a bucket, as a
// journaled document: it exists when logging is on.
type bucketLogging struct {
	s3            S3API
	bucket, owner string
}

func (t bucketLogging) client() (auditS3API, error) {
	c, ok := t.s3.(auditS3API)
	if !ok {
		return nil, errors.New("this S3 client cannot read or write bucket logging")
	}
	return c, nil
}

func (t bucketLogging) Read(ctx context.Context) (Doc, error) {
	c, err := t.client()
	if err != nil {
		return Doc{}, err
	}
	out, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: &t.bucket, ExpectedBucketOwner: &t.owner})
	if err != nil {
		return readDoc(nil, err)
	}
	le := out.LoggingEnabled
	if le == nil || sdk.ToString(le.TargetBucket) == "" {
		return Doc{}, nil
	}
	raw, _ := json.Marshal(loggingDoc{
		TargetBucket: sdk.ToString(le.TargetBucket), TargetPrefix: sdk.ToString(le.TargetPrefix),
	})
	return Doc{Exists: true, Raw: string(raw)}, nil
}

func (t bucketLogging) Write(ctx context.Context, _ Doc, body string) error {
	var d loggingDoc
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		return fmt.Errorf("bucket logging document: %w", err)
	}
	c, err := t.client()
	if err != nil {
		return err
	}
	enabled := &types.LoggingEnabled{TargetBucket: &d.TargetBucket, TargetPrefix: &d.TargetPrefix}
	_, err = c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{
		Bucket: &t.bucket, ExpectedBucketOwner: &t.owner,
		BucketLoggingStatus: &types.BucketLoggingStatus{LoggingEnabled: enabled},
	})
	return err
}

// Delete turns logging off (an empty BucketLoggingStatus).
func (t bucketLogging) Delete(ctx context.Context) error {
	c, err := t.client()
	if err != nil {
		return err
	}
	_, err = c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{
		Bucket: &t.bucket, ExpectedBucketOwner: &t.owner,
		BucketLoggingStatus: &types.BucketLoggingStatus{},
	})
	return err
}

// LoggingFix says where a bucket's server access logs should go.
type LoggingFix struct {
	Bucket    string
	LogBucket string
	Prefix    string // "" = "<bucket>/"
}

// loggingGrantID names the log bucket statement of one source bucket, so a
// second run replaces it and other sources' statements stay.
func loggingGrantID(owner, bucket, logBucket string) string {
	sum := sha256.Sum256([]byte(MethodAccessLogging + "|" + owner + "|" + bucket + "|" + logBucket))
	return strings.ToUpper(hex.EncodeToString(sum[:4]))
}

// logDeliveryStatement lets S3's log delivery write the source bucket's logs
// under the prefix, and only for that bucket in that account (the AWS User
// Guide's recommended bucket policy, in place of the legacy log-delivery
// ACL group).
func logDeliveryStatement(sid, owner, partition string, f LoggingFix) policy.Statement {
	return policy.Statement{
		Sid: sid, Effect: policy.Allow,
		Principal: &policy.Principal{
			Types: map[string]policy.Strings{"Service": policy.One("logging.s3.amazonaws.com")},
		},
		Action:   policy.One("s3:PutObject"),
		Resource: policy.One(arn.Object(partition, f.LogBucket, f.Prefix+"*")),
		Condition: policy.Conditions{}.
			Add("ArnLike", "aws:SourceArn", policy.CondStrings(arn.Bucket(partition, f.Bucket))).
			Add("StringEquals", "aws:SourceAccount", policy.CondStrings(owner)),
	}
}

// PrepareLoggingFix reads both buckets and prepares the two writes that turn
// server access logging on: the log delivery statement merged into the log
// bucket's policy (every other statement kept), then the source bucket's
// logging setting. Apply runs them with the journal, so `s3grant undo`
// reverts them like any run.
func PrepareLoggingFix(ctx context.Context, owner *Account, f LoggingFix) (*Prepared, error) {
	if f.Prefix == "" {
		f.Prefix = f.Bucket + "/"
	}
	if f.LogBucket == f.Bucket {
		return nil, fmt.Errorf("log-bucket: must be another bucket than %s "+
			"(a bucket logging into itself logs its own log writes)", f.Bucket)
	}
	region, err := BucketRegion(ctx, owner, f.Bucket)
	if err != nil {
		return nil, err
	}
	logRegion, err := BucketRegion(ctx, owner, f.LogBucket)
	if err != nil {
		return nil, fmt.Errorf("log-bucket: %w", err)
	}
	if logRegion != region {
		return nil, fmt.Errorf("log-bucket: %s is in %s but %s is in %s: "+
			"server access logs go to a bucket of the same region and account",
			f.LogBucket, logRegion, f.Bucket, region)
	}
	id := loggingGrantID(owner.ID, f.Bucket, f.LogBucket)
	prefix := policy.SidPrefix + id
	plan := &plan.Plan{
		FormatVersion: plan.FormatVersion, GrantID: id, SidPrefix: prefix,
		Spec: spec.Spec{
			Method: spec.Method(MethodAccessLogging), Bucket: f.Bucket, OwnerAccount: owner.ID, Region: region,
		},
	}
	prep := &Prepared{Plan: plan}

	polRef := journal.Ref{
		Type: journal.BucketPolicy, AccountID: owner.ID, Region: region, Bucket: f.LogBucket,
		Resource: arn.Bucket(plan.Spec.Partition(), f.LogBucket),
	}
	cur, err := bucketPolicy{s3: owner.S3(region), bucket: f.LogBucket, owner: owner.ID}.Read(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the bucket policy of %s: %w", f.LogBucket, err)
	}
	existing, err := parseIfExists(cur, "bucket policy of "+f.LogBucket)
	if err != nil {
		return nil, err
	}
	delivery := logDeliveryStatement(prefix+"AccessLogs", owner.ID, plan.Spec.Partition(), f)
	merged := policy.Merge(existing, prefix, []policy.Statement{delivery})
	if err := merged.CheckSize(policy.KindBucketPolicy); err != nil {
		return nil, fmt.Errorf("bucket policy of %s: %w", f.LogBucket, err)
	}
	polDiff := policy.Diff("bucket policy "+f.LogBucket, existing, merged)
	prep.addAuditStep(templates.OpPutBucketPolicy, polRef, cur, string(merged.Minified()), polDiff)

	logRef := journal.Ref{
		Type: journal.BucketLogging, AccountID: owner.ID, Region: region, Bucket: f.Bucket,
		Resource: plan.Spec.BucketARN(),
	}
	curLog, err := bucketLogging{s3: owner.S3(region), bucket: f.Bucket, owner: owner.ID}.Read(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the logging of %s: %w", f.Bucket, err)
	}
	body, _ := json.Marshal(loggingDoc{TargetBucket: f.LogBucket, TargetPrefix: f.Prefix})
	logDiff := policy.DiffText("logging "+f.Bucket, []byte(curLog.Raw+"\n"), append(body, '\n'))
	prep.addAuditStep(OpPutBucketLogging, logRef, curLog, string(body), logDiff)
	return prep, nil
}

// addAuditStep adds one owner-side write to a prepared logging fix.
func (p *Prepared) addAuditStep(op templates.Operation, ref journal.Ref, before Doc, body, diff string) {
	st := plan.Step{
		ID: len(p.Steps) + 1, Account: templates.Owner, AccountID: ref.AccountID, Operation: op, Target: ref.Resource,
	}
	changes := !Same(ref.Type, before, Doc{Exists: true, Raw: body})
	p.Steps = append(p.Steps, PreparedStep{
		Step: st, Ref: ref, Desc: describeAudit(ref), Before: before, Body: body, Changes: changes, Diff: diff,
	})
	p.Plan.Steps = append(p.Plan.Steps, st)
}

func describeAudit(ref journal.Ref) string {
	if ref.Type == journal.BucketLogging {
		return "server access logging of bucket " + ref.Bucket
	}
	return describe(ref)
}
