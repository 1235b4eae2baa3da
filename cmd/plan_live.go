package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// state is what the plan merges with: what the user gave (offline), or
// what exists in both accounts (--live).
func (o *planOptions) state(ctx context.Context, s spec.Spec) (*plan.State, error) {
	if !o.live {
		if o.aws.ownerProfile != "" || len(o.aws.consumerProfiles) > 0 || o.aws.endpoint != "" {
			return nil, badInput(errors.New("live: --owner-profile, --consumer-profile and --endpoint-url " +
				"are read only with --live (e.g. --live --owner-profile prod-data)"))
		}
		st, err := o.offlineState(s)
		if err != nil {
			return nil, badInput(err)
		}
		return st, nil
	}
	if o.existingBucket != "" {
		return nil, badInput(errors.New("live: --existing-bucket-policy and --live exclude each other: " +
			"--live reads the bucket policy itself"))
	}
	// The offline plan names every document to read; a bad spec stops here.
	offline, err := plan.New(s, nil)
	if err != nil {
		if spec.AsFieldErrors(err) != nil {
			return nil, badInput(err)
		}
		return nil, err
	}
	wanted := accountsWanted{region: offline.Spec.Region, owner: needAlways, consumers: needAlways}
	accts, err := o.app.connectAccounts(ctx, o.aws, wanted)
	if err != nil {
		return nil, err
	}
	if err := aws.CheckAccounts(offline, accts); err != nil {
		return nil, badInput(fmt.Errorf("live: %w", err))
	}
	live, err := aws.ReadLive(ctx, offline, accts)
	if err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	return live.State, nil
}
