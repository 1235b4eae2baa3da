package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
)

// awsFlags say how to reach the two accounts: shared by apply, verify and
// undo.
type awsFlags struct {
	ownerProfile     string
	consumerProfiles []string
	endpoint         string
}

func (f *awsFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.ownerProfile, "owner-profile", "", "AWS profile of the bucket owner account (default: the default credential chain: env, shared config, SSO)")
	fs.StringSliceVar(&f.consumerProfiles, "consumer-profile", nil, "AWS profile of a consumer account (repeatable, one per consumer account; default: the default chain)")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "send every AWS call to this endpoint (LocalStack, moto); AWS_ENDPOINT_URL works too")
}

// connect signs in to the owner and every consumer profile; each account is
// known by what sts:GetCallerIdentity says, never by the profile's name.
func (f *awsFlags) connect(ctx context.Context, region string) (aws.Accounts, error) {
	opts := func(profile string) aws.ConnectOptions {
		return aws.ConnectOptions{Profile: profile, EndpointURL: f.endpoint, Region: region}
	}
	owner, err := aws.Connect(ctx, opts(f.ownerProfile))
	if err != nil {
		return aws.Accounts{}, fmt.Errorf("owner account: %w", err)
	}
	accts := aws.Accounts{Owner: owner, Consumers: map[string]*aws.Account{}}
	profiles := f.consumerProfiles
	if len(profiles) == 0 {
		profiles = []string{""}
	}
	for _, p := range profiles {
		c, err := aws.Connect(ctx, opts(p))
		if err != nil {
			return aws.Accounts{}, fmt.Errorf("consumer account: %w", err)
		}
		if c.ID != owner.ID {
			accts.Consumers[c.ID] = c
		}
	}
	return accts, nil
}

// journalStore is where runs are kept ($S3GRANT_HOME/runs or the user's
// config directory).
func journalStore() (journal.Store, error) { return journal.DefaultStore() }
