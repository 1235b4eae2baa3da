package cmd

import "github.com/spf13/pflag"

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
