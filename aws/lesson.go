package aws

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/s3grant/s3grant/lesson"
)

// LessonAccounts are the identities `s3grant learn` acts as: both
// accounts' administrators write the documents; the consumer (a session of
// its everyday role) sends the requests, over TLS and, for the lesson on
// aws:SecureTransport, over plain HTTP.
type LessonAccounts struct {
	Owner, ConsumerAdmin, Consumer, ConsumerPlain *Account
	Region                                        string
}

// Apply writes one of the lesson's documents as its account's administrator.
func (a LessonAccounts) Apply(ctx context.Context, d lesson.Doc) error {
	admin := a.Owner
	if d.Account == lesson.Consumer {
		admin = a.ConsumerAdmin
	}
	switch d.Kind {
	case lesson.BucketPolicy:
		_, err := admin.S3(a.Region).PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &d.Target, Policy: &d.Text})
		return err
	case lesson.ConsumerRolePol, lesson.OwnerRolePerms:
		_, err := admin.IAM().PutRolePolicy(ctx, &iam.PutRolePolicyInput{
			RoleName: &d.Target, PolicyName: sdk.String("s3grant-lesson"), PolicyDocument: &d.Text,
		})
		return err
	case lesson.OwnerRoleTrust:
		_, err := admin.IAM().CreateRole(ctx, &iam.CreateRoleInput{
			RoleName: &d.Target, AssumeRolePolicyDocument: &d.Text,
		})
		if ErrorCode(err) == "EntityAlreadyExists" {
			_, err = admin.IAM().UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{
				RoleName: &d.Target, PolicyDocument: &d.Text,
			})
		}
		return err
	case lesson.AccessPointPolicy:
		return a.accessPoint(ctx, admin, d)
	case lesson.KeyPolicy:
		_, err := admin.KMS(a.Region).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{
			KeyId: &d.Target, Policy: &d.Text, PolicyName: sdk.String("default"),
		})
		return err
	case lesson.ManagedKeyObject:
		// aws:kms without a key ID: S3 uses the account's aws/s3 key.
		_, err := admin.S3(a.Region).PutObject(ctx, &s3.PutObjectInput{
			Bucket: sdk.String(lesson.Bucket), Key: &d.Target,
			Body: strings.NewReader(d.Text), ServerSideEncryption: s3types.ServerSideEncryptionAwsKms,
		})
		return err
	case lesson.OwnershipControls:
		rule := s3types.OwnershipControlsRule{ObjectOwnership: s3types.ObjectOwnership(d.Text)}
		_, err := admin.S3(a.Region).PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
			Bucket:            &d.Target,
			OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{rule}},
		})
		return err
	}
	return fmt.Errorf("lesson: no way to apply a %s", d.Kind)
}

// accessPoint creates the access point d names (on the lesson's bucket)
// unless it exists, then puts its policy.
func (a LessonAccounts) accessPoint(ctx context.Context, admin *Account, d lesson.Doc) error {
	ctl := admin.S3Control(a.Region)
	_, err := ctl.GetAccessPoint(ctx, &s3control.GetAccessPointInput{AccountId: &d.Account, Name: &d.Target})
	if err != nil {
		in := &s3control.CreateAccessPointInput{
			AccountId: &d.Account, Name: &d.Target, Bucket: sdk.String(lesson.Bucket),
		}
		if d.Account != lesson.Owner {
			in.BucketAccountId = sdk.String(lesson.Owner)
		}
		if _, err := ctl.CreateAccessPoint(ctx, in); err != nil {
			return err
		}
	}
	_, err = ctl.PutAccessPointPolicy(ctx, &s3control.PutAccessPointPolicyInput{
		AccountId: &d.Account, Name: &d.Target, Policy: &d.Text,
	})
	return err
}

// Send sends one of the lesson's requests, signed as the consumer, and
// reports the answer with the sandbox's reasons.
func (a LessonAccounts) Send(ctx context.Context, r lesson.Req) lesson.Outcome {
	who := a.Consumer.Clients
	if r.AsOwner {
		who = a.Owner.Clients
	}
	if r.PlainHTTP {
		who = a.ConsumerPlain.Clients
	}
	if r.ViaRole || r.Op == lesson.AssumeRole {
		in := &sts.AssumeRoleInput{RoleArn: sdk.String(lessonOwnerRole()), RoleSessionName: sdk.String("lesson")}
		if r.ExternalID != "" {
			in.ExternalId = &r.ExternalID
		}
		out, err := who.STS().AssumeRole(ctx, in)
		if err != nil || r.Op == lesson.AssumeRole {
			return lessonOutcome(err)
		}
		c := out.Credentials
		role := credentials.NewStaticCredentialsProvider(
			sdk.ToString(c.AccessKeyId), sdk.ToString(c.SecretAccessKey), sdk.ToString(c.SessionToken),
		)
		who = who.WithCredentials(role)
	}
	s3c := who.S3(a.Region)
	var err error
	switch r.Op {
	case lesson.GetObject, lesson.GetViaAPAlias:
		bucket := lesson.Bucket
		if r.AccessPoint != "" {
			if bucket, err = a.alias(ctx, r.AccessPoint); err != nil {
				return lessonOutcome(err)
			}
		}
		var out *s3.GetObjectOutput
		if out, err = s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &r.Key}); err == nil {
			_, _ = io.Copy(io.Discard, out.Body)
			_ = out.Body.Close()
		}
	case lesson.ListObjects:
		_, err = s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: sdk.String(lesson.Bucket), Prefix: &r.Prefix})
	case lesson.PutObjectACL:
		_, err = s3c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: sdk.String(lesson.Bucket), Key: &r.Key,
			Body: strings.NewReader("lesson\n"), ACL: s3types.ObjectCannedACL(r.ACL),
		})
	default:
		err = fmt.Errorf("lesson: no way to send %s", r.Op)
	}
	return lessonOutcome(err)
}

// alias returns the alias of the access point apARN, read by its
// account's administrator: the SDK sends an ARN to the access point's own
// host, which a local endpoint does not have; the alias works on any.
func (a LessonAccounts) alias(ctx context.Context, apARN string) (string, error) {
	account, name, _ := strings.Cut(strings.TrimPrefix(apARN, "arn:aws:s3:"+a.Region+":"), ":accesspoint/")
	admin := a.Owner
	if account == lesson.Consumer {
		admin = a.ConsumerAdmin
	}
	in := &s3control.GetAccessPointInput{AccountId: &account, Name: &name}
	out, err := admin.S3Control(a.Region).GetAccessPoint(ctx, in)
	if err != nil {
		return "", fmt.Errorf("read access point %s: %w", apARN, err)
	}
	return sdk.ToString(out.Alias), nil
}

func lessonOwnerRole() string { return "arn:aws:iam::" + lesson.Owner + ":role/" + lesson.OwnerRole }

// lessonOutcome turns a call's error into the lesson's words.
func lessonOutcome(err error) lesson.Outcome {
	if err == nil {
		return lesson.Outcome{Decision: lesson.Allowed, Status: "200 OK"}
	}
	code, status := ErrorCode(err), httpStatus(err)
	o := lesson.Outcome{
		Decision: lesson.Failed,
		Status:   strings.TrimSpace(fmt.Sprintf("%d %s", status, code)),
		Reasons:  DenialReasons(err),
	}
	switch {
	case isDenied(code) || status == http.StatusForbidden:
		o.Decision = lesson.Denied
	case code == "AccessControlListNotSupported":
		o.Decision = lesson.Refused
	}
	if status == 0 {
		o.Status = err.Error()
	}
	return o
}

// PutLessonObject writes the object the lesson reads, as the owner.
func (a LessonAccounts) PutLessonObject(ctx context.Context, key, body string) error {
	_, err := a.Owner.S3(a.Region).PutObject(ctx, &s3.PutObjectInput{
		Bucket: sdk.String(lesson.Bucket), Key: &key,
		Body: strings.NewReader(body), ContentType: sdk.String("text/csv"),
	})
	return err
}
