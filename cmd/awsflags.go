package cmd

import (
	"cmp"
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
	fs.StringVar(&f.ownerProfile, "owner-profile", "",
		"AWS profile of the bucket owner account (default: the default credential chain: env, shared config, SSO)")
	fs.StringSliceVar(&f.consumerProfiles, "consumer-profile", nil,
		"AWS profile of a consumer account (repeatable, one per consumer account; default: the default chain)")
	fs.StringVar(&f.endpoint, "endpoint-url", "",
		"send every AWS call to this endpoint (LocalStack, moto); AWS_ENDPOINT_URL works too")
}

// connection is what the run records of how it reached the accounts (names
// only), so `s3grant undo RUN_ID` uses the same profiles and endpoint.
func (f awsFlags) connection(appEndpoint string) *journal.Connection {
	return &journal.Connection{
		OwnerProfile: f.ownerProfile, ConsumerProfiles: f.consumerProfiles,
		Endpoint: cmp.Or(f.endpoint, appEndpoint),
	}
}

// maxParallel bounds --parallel for the commands that work on many accounts
// at once (apply, status and verify of a grants plan).
const maxParallel = 64

// checkParallel refuses a --parallel outside 1..maxParallel (exit 2).
func checkParallel(n int) error {
	if n < 1 || n > maxParallel {
		return badInput(fmt.Errorf("parallel: %d is not between 1 and %d (e.g. --parallel %d)",
			n, maxParallel, aws.DefaultParallel))
	}
	return nil
}
