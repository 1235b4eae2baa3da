package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
)

// accessPoint exists or not; it has no document of its own.
type accessPoint struct {
	ctl                                  S3ControlAPI
	account, name, bucket, bucketAccount string
}

func (t accessPoint) Read(ctx context.Context) (Doc, error) {
	_, err := t.ctl.GetAccessPoint(ctx, &s3control.GetAccessPointInput{AccountId: &t.account, Name: &t.name})
	if err != nil {
		return readDoc(nil, err)
	}
	return Doc{Exists: true}, nil
}

func (t accessPoint) Write(ctx context.Context, cur Doc, _ string) error {
	if cur.Exists {
		return nil // its network origin and Block Public Access cannot change: nothing to update
	}
	in := &s3control.CreateAccessPointInput{AccountId: &t.account, Name: &t.name, Bucket: &t.bucket}
	if t.bucketAccount != "" && t.bucketAccount != t.account {
		in.BucketAccountId = &t.bucketAccount
	}
	_, err := t.ctl.CreateAccessPoint(ctx, in)
	return err
}

func (t accessPoint) Delete(ctx context.Context) error {
	_, err := t.ctl.DeleteAccessPoint(ctx, &s3control.DeleteAccessPointInput{AccountId: &t.account, Name: &t.name})
	return err
}

type accessPointPolicy struct {
	ctl           S3ControlAPI
	account, name string
}

func (t accessPointPolicy) Read(ctx context.Context) (Doc, error) {
	in := &s3control.GetAccessPointPolicyInput{AccountId: &t.account, Name: &t.name}
	out, err := t.ctl.GetAccessPointPolicy(ctx, in)
	if err != nil {
		return readDoc(nil, err)
	}
	if out.Policy == nil || *out.Policy == "" {
		return Doc{}, nil
	}
	return readDoc(out.Policy, nil)
}

func (t accessPointPolicy) Write(ctx context.Context, _ Doc, body string) error {
	_, err := t.ctl.PutAccessPointPolicy(ctx, &s3control.PutAccessPointPolicyInput{
		AccountId: &t.account, Name: &t.name, Policy: &body,
	})
	return err
}

func (t accessPointPolicy) Delete(ctx context.Context) error {
	in := &s3control.DeleteAccessPointPolicyInput{AccountId: &t.account, Name: &t.name}
	_, err := t.ctl.DeleteAccessPointPolicy(ctx, in)
	return err
}

// keyPolicy is a KMS key's "default" policy: it always exists.
type keyPolicy struct {
	kms KMSAPI
	key string
}

const keyPolicyName = "default"

func (t keyPolicy) Read(ctx context.Context) (Doc, error) {
	out, err := t.kms.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &t.key, PolicyName: ptr(keyPolicyName)})
	if err != nil {
		return Doc{}, err
	}
	return readDoc(out.Policy, nil)
}

func (t keyPolicy) Write(ctx context.Context, _ Doc, body string) error {
	_, err := t.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{
		KeyId: &t.key, PolicyName: ptr(keyPolicyName), Policy: &body,
	})
	return err
}

func (keyPolicy) Delete(context.Context) error { return errNoDelete }

func ptr[T any](v T) *T { return &v }
