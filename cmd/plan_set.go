package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// runSet plans a grants file: one plan for every grant, each bucket's
// policy merged once, checked alone and combined; a set that fails its
// check is refused (exit 3) and nothing is written.
func (o *planOptions) runSet(ctx context.Context, specs []spec.Spec) error {
	if o.existingBucket != "" {
		return badInput(errors.New("existing-bucket-policy: not with a grants file (which bucket's?): " +
			"use --live to merge with what exists"))
	}
	set, err := plan.NewSet(specs, nil)
	if err != nil {
		return badInput(err)
	}
	if o.live {
		if set, err = o.liveSet(ctx, set); err != nil {
			return err
		}
	} else if o.aws.ownerProfile != "" || len(o.aws.consumerProfiles) > 0 || o.aws.endpoint != "" {
		return badInput(errors.New("live: --owner-profile, --consumer-profile and --endpoint-url " +
			"are read only with --live (e.g. --live --owner-profile prod-data)"))
	}
	res := check.Set(set)
	if !res.OK {
		if err := printSet(o.app.Out, set, res, o.output, true); err != nil {
			return err
		}
		refused := fmt.Errorf("plan refused: %s (see above); nothing was written", res.Verdict())
		return &ExitError{Code: ExitCheckFail, Err: refused}
	}
	if o.outFile != "" {
		if err := plan.WriteSetFile(o.outFile, set); err != nil {
			if spec.AsFieldErrors(err) != nil {
				return badInput(err)
			}
			return err
		}
	}
	return printSet(o.app.Out, set, res, o.output, o.check)
}

// liveSet plans the set again merged with what exists in every account.
func (o *planOptions) liveSet(ctx context.Context, offline *plan.Set) (*plan.Set, error) {
	want := accountsWanted{region: offline.Grants[0].Spec.Region, owner: needAlways, consumers: needAlways}
	accts, err := o.app.connectAccounts(ctx, o.aws, want)
	if err != nil {
		return nil, err
	}
	if err := aws.CheckSetAccounts(offline, accts); err != nil {
		return nil, badInput(fmt.Errorf("live: %w", err))
	}
	lives, err := aws.ReadSetLive(ctx, offline, accts, aws.DefaultParallel)
	if err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	states := make([]*plan.State, len(lives))
	for i, l := range lives {
		states[i] = l.State
	}
	set, err := plan.NewSet(offline.Specs(), states)
	if err != nil {
		if spec.AsFieldErrors(err) != nil {
			return nil, badInput(err)
		}
		return nil, err
	}
	return set, nil
}

// setCheckJSON is plan --check -o json for a grants file: the set's plan
// file fields and its check.
type setCheckJSON struct {
	*plan.Set
	Check *check.SetResult `json:"check"`
}

func printSet(w io.Writer, set *plan.Set, res *check.SetResult, format outputFormat, withCheck bool) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if withCheck {
			return enc.Encode(setCheckJSON{Set: set, Check: res})
		}
		return enc.Encode(set)
	}
	if err := set.WriteText(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if withCheck || !res.OK {
		return res.WriteText(w)
	}
	_, err := fmt.Fprintf(w, "Check: %s.\n", res.Verdict())
	return err
}
