// Package aws is the only package that talks to AWS (aws-sdk-go-v2, imported
// as sdk): it connects the owner and consumer accounts, reads what exists
// into a plan.State, applies a plan step by step with a journal, rolls back
// and undoes runs, and probes access from the consumer side. Every call goes
// through the narrow interfaces in api.go, which the SDK clients satisfy.
//
// The flow every front end (commands, TUI) follows:
//
//	owner, _ := aws.Connect(ctx, aws.ConnectOptions{Profile: "prod-data"})
//	accts := aws.Accounts{Owner: owner, Consumers: map[string]*aws.Account{c.ID: c}}
//	// Prepare reads, re-merges, diffs; it writes nothing.
//	prep, err := aws.Prepare(ctx, plan, accts, aws.PrepareOptions{AllowACLDowngrade: true})
//	// show prep.Steps (Desc, Diff, Changes) and prep.Plan.Warnings; ask the user
//	res, err := aws.Apply(ctx, prep, accts, aws.ApplyOptions{Store: store, Progress: onEvent})
//	// onEvent gets step-started, waiting (why and how long), step-done,
//	// step-failed, rolling-back, step-restored and finished events.
//	// Cancelling ctx lets the AWS call in flight finish, then rolls back.
//	res, err = aws.Undo(ctx, res.RunID, accts, aws.UndoOptions{ApplyOptions: aws.ApplyOptions{Store: store}})
//	probes := aws.Verify(ctx, prep.Plan, consumer, aws.VerifyOptions{WriteProbe: true})
//
// The state readers (ReadLive, ReadFacts, BucketRegion, ReadBucketACL,
// ReadOwnership, DescribeKey) are exported for audit. A failed Apply returns
// a *RunError whose Result says what was and was not changed.
package aws

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
)

// Clients hands out the service clients of one account. Region-bound
// services take the region (the bucket's, the key's).
type Clients interface {
	S3(region string) S3API
	S3Control(region string) S3ControlAPI
	IAM() IAMAPI
	KMS(region string) KMSAPI
	STS() STSAPI
	// WithCredentials returns clients for the same endpoint and region
	// signing with other credentials (an assumed role's).
	WithCredentials(creds sdk.CredentialsProvider) Clients
}

// Account is one connected AWS account.
type Account struct {
	ID      string // from sts:GetCallerIdentity
	ARN     string // the caller
	Profile string // "" for the default chain
	Clients
}

// ConnectOptions say how to reach an account.
type ConnectOptions struct {
	Profile     string         // shared config profile; "" = default chain (env, shared config, SSO)
	EndpointURL string         // custom endpoint (moto, LocalStack); AWS_ENDPOINT_URL is honoured too
	Region      string         // used when the profile names none
	HTTPClient  sdk.HTTPClient // nil = the SDK's
	// RetryMaxAttempts overrides the SDK's attempts per call (1 = no SDK
	// retries; s3grant's own backoff still applies); 0 keeps the default.
	RetryMaxAttempts int
	// Files, when set, replaces what the environment says about profiles:
	// the sandbox passes its own instead of changing the process's
	// environment.
	Files *ConfigFiles
}

// ConfigFiles are the AWS settings to use instead of the process's: each
// one given wins over its environment variable and the shared files.
type ConfigFiles struct {
	Config      string // the shared config file (AWS_CONFIG_FILE)
	Credentials string // the shared credentials file (AWS_SHARED_CREDENTIALS_FILE)
	CABundle    string // a PEM file of the CAs to trust (AWS_CA_BUNDLE)
	Region      string // wins over AWS_REGION and the profile's region
	// NoInstanceMetadata keeps the EC2 instance metadata service out of the
	// credential chain (AWS_EC2_METADATA_DISABLED).
	NoInstanceMetadata bool
}

// loadOptions turns the files into the SDK's options.
func (f *ConfigFiles) loadOptions() ([]func(*config.LoadOptions) error, error) {
	if f == nil {
		return nil, nil
	}
	var opts []func(*config.LoadOptions) error
	if f.Config != "" {
		opts = append(opts, config.WithSharedConfigFiles([]string{f.Config}))
	}
	if f.Credentials != "" {
		opts = append(opts, config.WithSharedCredentialsFiles([]string{f.Credentials}))
	}
	if f.CABundle != "" {
		pem, err := os.ReadFile(f.CABundle)
		if err != nil {
			return nil, fmt.Errorf("CA bundle: %w", err)
		}
		opts = append(opts, config.WithCustomCABundle(bytes.NewReader(pem)))
	}
	if f.Region != "" {
		opts = append(opts, config.WithRegion(f.Region))
	}
	if f.NoInstanceMetadata {
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	return opts, nil
}

// Connect loads the account's configuration and asks sts:GetCallerIdentity
// who it is. Credentials stay inside the SDK: they are never printed or
// stored.
func Connect(ctx context.Context, o ConnectOptions) (*Account, error) {
	opts, err := o.Files.loadOptions()
	if err != nil {
		return nil, err
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(o.HTTPClient))
	}
	if o.RetryMaxAttempts > 0 {
		opts = append(opts, config.WithRetryMaxAttempts(o.RetryMaxAttempts))
	}
	if o.EndpointURL != "" {
		if u, err := url.Parse(o.EndpointURL); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("endpoint-url: must be an absolute URL such as http://127.0.0.1:5000, got %q",
				o.EndpointURL)
		}
		opts = append(opts, config.WithBaseEndpoint(o.EndpointURL))
	}
	role := &roleSTS{}
	opts = append(opts, role.loadOptions()...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration%s: %w", profileNote(o.Profile), err)
	}
	role.setEndpoint(cfg)
	cfg.APIOptions = append(cfg.APIOptions, withPlainRequestBody)
	if cfg.Region == "" {
		cfg.Region = o.Region
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	c := &sdkClients{cfg: cfg}
	id, err := c.STS().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("sts:GetCallerIdentity%s: %w", profileNote(o.Profile), err)
	}
	return &Account{ID: sdk.ToString(id.Account), ARN: sdk.ToString(id.Arn), Profile: o.Profile, Clients: c}, nil
}

func profileNote(p string) string {
	if p == "" {
		return " (default credential chain)"
	}
	return fmt.Sprintf(" (profile %s)", p)
}

// sdkClients builds the SDK's clients from one configuration.
type sdkClients struct{ cfg sdk.Config }

// custom reports whether the S3 clients go to a custom endpoint (the
// flag's, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's).
func (c *sdkClients) custom() bool { return c.S3("").(*s3.Client).Options().BaseEndpoint != nil }

func (c *sdkClients) S3(region string) S3API {
	return s3.NewFromConfig(c.cfg, func(o *s3.Options) {
		if region != "" {
			o.Region = region
		}
		// 127.0.0.1 or localhost has no bucket subdomains.
		o.UsePathStyle = o.BaseEndpoint != nil
		// moto (and a ranged GET) return no checksum: not worth a log line.
		o.DisableLogOutputChecksumValidationSkipped = true
	})
}

func (c *sdkClients) S3Control(region string) S3ControlAPI {
	return s3control.NewFromConfig(c.cfg, func(o *s3control.Options) {
		if region != "" {
			o.Region = region
		}
		if o.BaseEndpoint != nil {
			o.EndpointResolverV2 = keepBaseEndpoint{next: s3control.NewDefaultEndpointResolverV2()}
		}
	})
}

// keepBaseEndpoint stops the s3control rules from putting the account ID in
// front of a custom endpoint's host ({AccountId}.127.0.0.1 does not
// resolve); the account still travels in the X-Amz-Account-Id header.
type keepBaseEndpoint struct{ next s3control.EndpointResolverV2 }

func (k keepBaseEndpoint) ResolveEndpoint(
	ctx context.Context, p s3control.EndpointParameters,
) (smithyendpoints.Endpoint, error) {
	p.RequiresAccountId = sdk.Bool(false)
	return k.next.ResolveEndpoint(ctx, p)
}

func (c *sdkClients) IAM() IAMAPI { return iam.NewFromConfig(c.cfg) }

func (c *sdkClients) KMS(region string) KMSAPI {
	return kms.NewFromConfig(c.cfg, func(o *kms.Options) {
		if region != "" {
			o.Region = region
		}
	})
}

func (c *sdkClients) STS() STSAPI { return sts.NewFromConfig(c.cfg) }

func (c *sdkClients) WithCredentials(creds sdk.CredentialsProvider) Clients {
	cfg := c.cfg.Copy()
	cfg.Credentials = sdk.NewCredentialsCache(creds)
	return &sdkClients{cfg: cfg}
}
