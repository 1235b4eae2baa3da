package aws_test

import (
	"context"
	"slices"
	"testing"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
)

// TestSuggestNamesAgainstMoto lists what exists in both accounts, as the
// wizard offers it while typing.
func TestSuggestNamesAgainstMoto(t *testing.T) {
	env := testenv.Start(t)
	env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", "suggest-me", "--create-bucket-configuration", "LocationConstraint="+env.Region)
	env.CLI(t, "consumer", "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	ctx := context.Background()
	connect := func(profile string) *aws.Account {
		a, err := aws.Connect(ctx, aws.ConnectOptions{Profile: profile, EndpointURL: env.URL})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	t.Setenv("AWS_CONFIG_FILE", env.ConfigFile())
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", env.CredentialsFile())
	owner := connect("owner")
	if _, err := owner.S3Control(env.Region).CreateAccessPoint(ctx, &s3control.CreateAccessPointInput{
		AccountId: sdk.String(owner.ID), Bucket: sdk.String("suggest-me"), Name: sdk.String("suggest-ap"),
	}); err != nil {
		t.Fatal(err)
	}
	alias, err := aws.AccessPointAlias(ctx, owner, env.Region, "suggest-ap")
	if err != nil || alias == "" {
		t.Errorf("access point alias %q, %v", alias, err)
	}
	n, err := aws.SuggestNames(ctx, owner, connect("consumer"), env.Region)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(n.Buckets, "suggest-me") {
		t.Errorf("buckets %v lack suggest-me", n.Buckets)
	}
	if !slices.Contains(n.AccessPoints, "suggest-ap") {
		t.Errorf("access points %v lack suggest-ap", n.AccessPoints)
	}
	if !slices.Contains(n.Roles, "arn:aws:iam::"+testenv.ConsumerAccount+":role/analytics") {
		t.Errorf("roles %v lack the consumer's analytics role", n.Roles)
	}
}
