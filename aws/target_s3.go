package aws

import (
	"context"
	"encoding/json"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/policy"
)

type bucketPolicy struct {
	s3            S3API
	bucket, owner string
}

func (t bucketPolicy) Read(ctx context.Context) (Doc, error) {
	out, err := t.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &t.bucket, ExpectedBucketOwner: &t.owner})
	if err != nil {
		return readDoc(nil, err)
	}
	return readDoc(out.Policy, nil)
}

func (t bucketPolicy) Write(ctx context.Context, _ Doc, body string) error {
	_, err := t.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{
		Bucket: &t.bucket, Policy: &body, ExpectedBucketOwner: &t.owner,
	})
	return err
}

func (t bucketPolicy) Delete(ctx context.Context) error {
	in := &s3.DeleteBucketPolicyInput{Bucket: &t.bucket, ExpectedBucketOwner: &t.owner}
	_, err := t.s3.DeleteBucketPolicy(ctx, in)
	return err
}

type bucketACL struct {
	s3            S3API
	bucket, owner string
}

// ReadBucketACL returns the bucket's ACL with the owner's canonical ID.
func ReadBucketACL(ctx context.Context, c S3API, bucket, owner string) (*policy.ACL, error) {
	out, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: &bucket, ExpectedBucketOwner: &owner})
	if err != nil {
		return nil, err
	}
	a := &policy.ACL{}
	if out.Owner != nil {
		a.Owner = sdk.ToString(out.Owner.ID)
	}
	for _, g := range out.Grants {
		if g.Grantee == nil {
			continue
		}
		a.Grants = append(a.Grants, policy.Grant{
			Type: string(g.Grantee.Type), ID: sdk.ToString(g.Grantee.ID),
			URI: sdk.ToString(g.Grantee.URI), Permission: string(g.Permission),
		})
	}
	return a, nil
}

func (t bucketACL) Read(ctx context.Context) (Doc, error) {
	a, err := ReadBucketACL(ctx, t.s3, t.bucket, t.owner)
	if err != nil {
		return Doc{}, err
	}
	return Doc{Exists: true, Raw: string(a.Canonical())}, nil
}

func (t bucketACL) Write(ctx context.Context, _ Doc, body string) error {
	a, err := parseACL(body)
	if err != nil {
		return err
	}
	acp := &types.AccessControlPolicy{Owner: &types.Owner{ID: sdk.String(a.Owner)}}
	for _, g := range a.Grants {
		gr := &types.Grantee{Type: types.Type(g.Type)}
		if g.ID != "" {
			gr.ID = sdk.String(g.ID)
		}
		if g.URI != "" {
			gr.URI = sdk.String(g.URI)
		}
		acp.Grants = append(acp.Grants, types.Grant{Grantee: gr, Permission: types.Permission(g.Permission)})
	}
	_, err = t.s3.PutBucketAcl(ctx, &s3.PutBucketAclInput{
		Bucket: &t.bucket, AccessControlPolicy: acp, ExpectedBucketOwner: &t.owner,
	})
	return err
}

func (bucketACL) Delete(context.Context) error { return errNoDelete }

type ownership struct {
	s3            S3API
	bucket, owner string
}

// ReadOwnership returns the bucket's Object Ownership rule, "" when not set.
func ReadOwnership(ctx context.Context, c S3API, bucket, owner string) (string, error) {
	in := &s3.GetBucketOwnershipControlsInput{Bucket: &bucket, ExpectedBucketOwner: &owner}
	out, err := c.GetBucketOwnershipControls(ctx, in)
	if err != nil {
		if IsNotSet(err) {
			return "", nil
		}
		return "", err
	}
	if out.OwnershipControls == nil || len(out.OwnershipControls.Rules) == 0 {
		return "", nil
	}
	return string(out.OwnershipControls.Rules[0].ObjectOwnership), nil
}

func (t ownership) Read(ctx context.Context) (Doc, error) {
	rule, err := ReadOwnership(ctx, t.s3, t.bucket, t.owner)
	if err != nil || rule == "" {
		return Doc{}, err
	}
	return Doc{Exists: true, Raw: rule}, nil
}

func (t ownership) Write(ctx context.Context, _ Doc, body string) error {
	_, err := t.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
		Bucket: &t.bucket, ExpectedBucketOwner: &t.owner,
		OwnershipControls: &types.OwnershipControls{
			Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnership(body)}},
		},
	})
	return err
}

func (t ownership) Delete(ctx context.Context) error {
	in := &s3.DeleteBucketOwnershipControlsInput{Bucket: &t.bucket, ExpectedBucketOwner: &t.owner}
	_, err := t.s3.DeleteBucketOwnershipControls(ctx, in)
	return err
}

// aclJSON is the document form of an ACL that the journal keeps.
func aclJSON(a *policy.ACL) string {
	b, _ := json.Marshal(a)
	return string(b)
}
