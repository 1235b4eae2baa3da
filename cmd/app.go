package cmd

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/wizard"
)

// App is what every command's options share, as gh's factory: build info,
// the standard streams and how to reach what lies outside the process (AWS
// accounts, the journal, the AWS profiles). Execute fills it from the
// process; --sandbox fills it with the sandbox's endpoint and files, so no
// command reads the process's environment to find them.
type App struct {
	Build  BuildInfo
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// AWS is the base of every connection: the endpoint and the files to
	// use instead of the environment's. Commands add the profile, the
	// region and their own --endpoint-url.
	AWS aws.ConnectOptions
	// JournalDir is where runs are kept; "" is journal.DefaultStore's
	// ($S3GRANT_HOME/runs or the user's config directory).
	JournalDir string
}

// journal is the store of apply runs.
func (a *App) journal() (journal.Store, error) {
	if a.JournalDir != "" {
		return journal.Store{Dir: a.JournalDir}, nil
	}
	return journal.DefaultStore()
}

// profiles lists the AWS profiles the wizard offers: from the app's config
// files when set (the sandbox's), the user's otherwise.
func (a *App) profiles() wizard.ConfigProfiles {
	p := wizard.DefaultConfigProfiles()
	if f := a.AWS.Files; f != nil {
		p.ConfigFile, p.CredentialsFile = f.Config, f.Credentials
	}
	return p
}

// connect signs in to one account with profile ("" = the default chain).
func (a *App) connect(ctx context.Context, profile, endpoint, region string) (*aws.Account, error) {
	o := a.AWS
	o.Profile, o.Region = profile, region
	if endpoint != "" {
		o.EndpointURL = endpoint
	}
	return aws.Connect(ctx, o)
}

// need says when a command signs in to an account.
type need int

const (
	needNone      need = iota // never
	needIfProfile             // only when its profile is given
	needAlways                // always: the default chain without a profile
)

// accountsWanted are the accounts a command signs in to.
type accountsWanted struct {
	region    string
	owner     need
	consumers need
	// ownerID is the owner's account when it is known without signing in
	// (undo reads it from the run): a consumer profile acting in it adds
	// no consumer.
	ownerID string
}

// connectAccounts signs in to the accounts a command needs with the
// profiles of f; each account is known by what sts:GetCallerIdentity says,
// never by the profile's name. A consumer profile acting in the owner's
// account adds no consumer (one profile may serve both).
func (a *App) connectAccounts(ctx context.Context, f awsFlags, w accountsWanted) (aws.Accounts, error) {
	accts := aws.Accounts{Consumers: map[string]*aws.Account{}}
	ownerID := w.ownerID
	if w.owner == needAlways || (w.owner == needIfProfile && f.ownerProfile != "") {
		owner, err := a.connect(ctx, f.ownerProfile, f.endpoint, w.region)
		if err != nil {
			return accts, fmt.Errorf("owner account: %w", err)
		}
		accts.Owner = owner
		ownerID = owner.ID
	}
	if w.consumers == needNone || (w.consumers == needIfProfile && len(f.consumerProfiles) == 0) {
		return accts, nil
	}
	profiles := f.consumerProfiles
	if len(profiles) == 0 {
		profiles = []string{""}
	}
	for _, p := range profiles {
		c, err := a.connect(ctx, p, f.endpoint, w.region)
		if err != nil {
			return accts, fmt.Errorf("consumer account: %w", err)
		}
		if c.ID != ownerID {
			accts.Consumers[c.ID] = c
		}
	}
	return accts, nil
}

// consumerIDs are the connected consumer accounts in a stable order.
func consumerIDs(accts aws.Accounts) []string { return slices.Sorted(maps.Keys(accts.Consumers)) }
