package aws

import (
	"context"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// roleSTS sends the STS calls of the SDK's role credential providers (a
// profile's role_arn with source_profile or credential_source, and
// web_identity_token_file) to the endpoint s3grant's own STS client uses.
//
// The SDK builds those STS clients while it is still resolving the
// configuration, before it reads AWS_ENDPOINT_URL, the profile's
// endpoint_url or config.WithBaseEndpoint (only AWS_ENDPOINT_URL_STS and a
// services section reach them), so without this the AssumeRole of a
// profile pointed at a local AWS (moto, LocalStack, the sandbox) goes to
// the real sts.amazonaws.com: issue 12, item 8.
//
// Credentials are retrieved lazily, on the first call, so the endpoint can
// be filled in once LoadDefaultConfig has resolved it (setEndpoint), by the
// SDK's own rules for STS.
type roleSTS struct {
	endpoint *string // nil: the SDK's default (AWS's STS)
}

// loadOptions wrap the role providers' STS clients.
func (r *roleSTS) loadOptions() []func(*config.LoadOptions) error {
	return []func(*config.LoadOptions) error{
		config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			o.Client = assumeRoleClient{next: o.Client, r: r}
		}),
		config.WithWebIdentityRoleCredentialOptions(func(o *stscreds.WebIdentityRoleOptions) {
			o.Client = webIdentityClient{next: o.Client, r: r}
		}),
	}
}

// setEndpoint records where STS calls go for cfg: what the SDK resolves for
// an STS client of the finished configuration (--endpoint-url,
// AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's services section
// and endpoint_url, in the SDK's order of precedence).
func (r *roleSTS) setEndpoint(cfg sdk.Config) {
	r.endpoint = sts.NewFromConfig(cfg).Options().BaseEndpoint
}

func (r *roleSTS) apply(o *sts.Options) {
	if r.endpoint != nil {
		o.BaseEndpoint = r.endpoint
	}
}

type assumeRoleClient struct {
	next stscreds.AssumeRoleAPIClient
	r    *roleSTS
}

func (c assumeRoleClient) AssumeRole(
	ctx context.Context, in *sts.AssumeRoleInput, fns ...func(*sts.Options),
) (*sts.AssumeRoleOutput, error) {
	return c.next.AssumeRole(ctx, in, append(fns, c.r.apply)...)
}

type webIdentityClient struct {
	next stscreds.AssumeRoleWithWebIdentityAPIClient
	r    *roleSTS
}

func (c webIdentityClient) AssumeRoleWithWebIdentity(
	ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, fns ...func(*sts.Options),
) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return c.next.AssumeRoleWithWebIdentity(ctx, in, append(fns, c.r.apply)...)
}
