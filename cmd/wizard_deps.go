package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/tui"
	"github.com/s3grant/s3grant/wizard"
)

// The wizard's dependencies, wired to the same code as the commands:
// Plan as in `s3grant check`, the aws package as in `s3grant apply`.

// planChecker builds the access matrix and lint findings of a plan.
type planChecker struct{}

func (planChecker) Check(p *plan.Plan) ([]tui.MatrixRow, []tui.Finding, error) {
	m := check.Plan(p)
	rows := make([]tui.MatrixRow, 0, len(m.Expectations))
	for _, e := range m.Expectations {
		reasons := make([]string, len(e.Reasons))
		for i, r := range e.Reasons {
			reasons[i] = r.String()
		}
		resource := e.Resource
		if e.AccessPoint != "" {
			resource += " via " + e.AccessPoint
		}
		rows = append(rows, tui.MatrixRow{
			WantAllow: e.Want == check.WantAllow, Why: e.Why, Principal: e.Principal, Action: e.Action,
			Resource: resource, Decision: string(e.Decision), Holds: e.Pass, Reason: strings.Join(reasons, "; "),
		})
	}
	if m.Proof != nil { // access beyond the spec: rows that do not hold
		for _, e := range m.Proof.Extra {
			rows = append(rows, tui.MatrixRow{
				Why: "the proof over every request: " + e.Why, Principal: e.Principal, Action: e.Action,
				Resource: e.Resource, Decision: "Allowed", Holds: false,
				Reason: "granted by " + strings.Join(e.Statements, "; "),
			})
		}
	}
	findings := make([]tui.Finding, len(m.Findings))
	for i, f := range m.Findings {
		msg := f.Message
		if f.Document != "" {
			where := f.Document
			if f.Statement != "" {
				where += ", statement " + f.Statement
			}
			msg = where + ": " + msg
		}
		findings[i] = tui.Finding{Code: f.Code, Severity: string(f.Severity), Message: msg}
	}
	return rows, findings, nil
}

// awsConnector connects both accounts from their profiles, as the app
// says (the sandbox's endpoint and files under --sandbox).
type awsConnector struct{ app *App }

func (c awsConnector) Connect(ctx context.Context, ownerProfile, consumerProfile string) (*tui.Session, error) {
	flags := awsFlags{ownerProfile: ownerProfile, consumerProfiles: []string{consumerProfile}}
	accts, err := c.app.connectAccounts(ctx, flags, accountsWanted{owner: needAlways, consumers: needAlways})
	if err != nil {
		return nil, err
	}
	if len(accts.Consumers) == 0 {
		return nil, fmt.Errorf("both profiles act in account %s: the consumer profile must be another account",
			accts.Owner.ID)
	}
	consumer := accts.Consumers[consumerIDs(accts)[0]]
	apply := liveApplier{accts: accts, journal: c.app.journal, conn: journal.Connection{
		OwnerProfile:     ownerProfile,
		ConsumerProfiles: []string{consumerProfile}, Endpoint: c.app.AWS.EndpointURL,
	}}
	return &tui.Session{
		OwnerAccount: accts.Owner.ID, ConsumerAccount: consumer.ID, ConsumerARN: consumer.ARN,
		Suggest: nameLister{accts.Owner, consumer}, State: liveState{accts}, Verify: liveVerifier{accts},
		Apply: apply, Undo: apply,
	}, nil
}

// nameLister offers the buckets, roles and access points that exist, and
// the defaults the accounts give the questions.
type nameLister struct{ owner, consumer *aws.Account }

func (n nameLister) Suggest(ctx context.Context) (tui.Suggestions, error) {
	names, err := aws.SuggestNames(ctx, n.owner, n.consumer, "")
	if len(names.Buckets)+len(names.Roles)+len(names.AccessPoints) == 0 && err != nil {
		return tui.Suggestions{}, err
	}
	return tui.Suggestions{Buckets: names.Buckets, Roles: names.Roles, AccessPoints: names.AccessPoints}, nil
}

// Bucket reads the bucket's region and default key, as the owner.
func (n nameLister) Bucket(ctx context.Context, bucket string) (region, key wizard.Finding) {
	return aws.SuggestBucket(ctx, n.owner, bucket)
}

// CanonicalID reads the consumer's canonical user ID, as the consumer.
func (n nameLister) CanonicalID(ctx context.Context) wizard.Finding {
	return aws.CanonicalID(ctx, n.consumer)
}

// liveVerifier probes the grant from the consumer side, as
// `s3grant verify` does with both profiles: read probes only (writes stay
// opt-in with s3grant verify --write-probe).
type liveVerifier struct{ accts aws.Accounts }

func (l liveVerifier) Verify(ctx context.Context, p *plan.Plan) ([]tui.Probe, error) {
	facts, err := aws.ReadFacts(ctx, l.accts.Owner, p.Spec.Bucket, p.Spec.KMSKey)
	if err != nil {
		return nil, err
	}
	var out []tui.Probe
	for _, c := range l.accts.Consumers {
		for _, pr := range aws.Verify(ctx, p, c, aws.VerifyOptions{Facts: facts, Owner: l.accts.Owner}) {
			detail := string(pr.Result)
			if pr.Error != "" {
				detail += ": " + pr.Error
			}
			out = append(out, tui.Probe{
				Name: pr.Request, WantAllow: pr.Expect == aws.ExpectAllow, OK: pr.OK,
				Detail: detail, NextStep: pr.Next, Classified: pr.Class, Skipped: pr.Result == aws.ResultSkipped,
			})
		}
	}
	return out, nil
}

// liveState reads what exists for a spec: everything the plan touches when
// the answers are complete, the bucket's facts alone before that (the
// method screen recommends from them).
type liveState struct{ accts aws.Accounts }

func (l liveState) ReadState(ctx context.Context, s spec.Spec) (*plan.State, error) {
	p, err := plan.New(s, nil)
	if err != nil {
		facts, ferr := aws.ReadFacts(ctx, l.accts.Owner, s.Bucket, s.KMSKey)
		if ferr != nil {
			return nil, ferr
		}
		return &plan.State{Facts: facts}, nil
	}
	live, err := aws.ReadLive(ctx, p, l.accts)
	if err != nil {
		return nil, err
	}
	return live.State, nil
}

// liveApplier prepares and applies a plan with a journal, as
// `s3grant apply --yes` does after the user confirmed in the preview.
type liveApplier struct {
	accts   aws.Accounts
	journal func() (journal.Store, error)
	conn    journal.Connection // recorded in the run, for undo
}

func (l liveApplier) Apply(
	ctx context.Context, p *plan.Plan, c tui.ApplyChoices, progress func(tui.ApplyEvent),
) (tui.ApplyResult, error) {
	prep, err := aws.Prepare(ctx, p, l.accts, aws.PrepareOptions{AllowACLDowngrade: c.AllowACLDowngrade})
	if err != nil {
		return tui.ApplyResult{Unchanged: []string{"everything: stopped before any write"}}, err
	}
	store, err := l.journal()
	if err != nil {
		return tui.ApplyResult{}, err
	}
	conn := l.conn
	opts := aws.ApplyOptions{Store: store, Connection: &conn, Progress: func(ev aws.Event) {
		if st, ok := eventStatus(ev.Type); ok {
			progress(tui.ApplyEvent{StepID: ev.Step, Status: st, Message: ev.Message})
		}
	}}
	res, err := aws.Apply(ctx, prep, l.accts, opts)
	var runErr *aws.RunError
	if res == nil && errors.As(err, &runErr) {
		res = runErr.Result
	}
	if err == nil && ctx.Err() != nil && res != nil && res.Outcome == journal.OutcomeApplied {
		// The user quit while the last call was in flight: it finished and
		// the run completed, but they asked for nothing to stay applied.
		return l.undo(res, opts)
	}
	out := applyResult(res)
	if err == nil && p.Spec.Method == spec.MethodAccessPoint {
		out.AccessPointAlias = l.alias(ctx, prep.Plan.Spec)
	}
	return out, err
}

// alias reads the access point's alias for the summary; it is a
// convenience, so a failure leaves it out.
func (l liveApplier) alias(ctx context.Context, s spec.Spec) string {
	acct := l.accts.Owner
	if s.APOwnerIsConsumer() {
		acct = l.accts.For(s.ConsumerAccounts[0])
	}
	if acct == nil {
		return ""
	}
	alias, err := aws.AccessPointAlias(ctx, acct, s.Region, s.AccessPoint)
	if err != nil {
		return ""
	}
	return alias
}

// Undo restores what run id wrote, from the wizard's summary.
func (l liveApplier) Undo(ctx context.Context, id string) (tui.ApplyResult, error) {
	store, err := l.journal()
	if err != nil {
		return tui.ApplyResult{}, err
	}
	res, err := aws.Undo(ctx, id, l.accts, aws.UndoOptions{ApplyOptions: aws.ApplyOptions{Store: store}})
	var runErr *aws.RunError
	if res == nil && errors.As(err, &runErr) {
		res = runErr.Result
	}
	return applyResult(res), err
}

// undo restores what a completed run wrote, with a context of its own (the
// apply's was cancelled).
func (l liveApplier) undo(res *aws.Result, opts aws.ApplyOptions) (tui.ApplyResult, error) {
	undone, err := aws.Undo(context.Background(), res.RunID, l.accts, aws.UndoOptions{ApplyOptions: opts})
	if err != nil {
		out := applyResult(res)
		return out, fmt.Errorf("stopped at your request after the last write, but undoing run %s failed: %w "+
			"(run s3grant undo %s)", res.RunID, err, res.RunID)
	}
	out := applyResult(undone)
	out.RolledBack, out.Changed = true, nil
	return out, fmt.Errorf("the last write finished as you quit, so run %s was undone: %w", res.RunID, context.Canceled)
}

func eventStatus(t aws.EventType) (tui.StepStatus, bool) {
	switch t {
	case aws.EventStepStarted:
		return tui.StepRunning, true
	case aws.EventWaiting:
		return tui.StepWaiting, true
	case aws.EventStepDone:
		return tui.StepDone, true
	case aws.EventStepFailed:
		return tui.StepFailed, true
	case aws.EventStepRestored:
		return tui.StepRolledBack, true
	case aws.EventRollingBack, aws.EventFinished:
		return "", false // the result says it
	}
	return "", false
}

func applyResult(res *aws.Result) tui.ApplyResult {
	if res == nil {
		return tui.ApplyResult{}
	}
	out := tui.ApplyResult{RunID: res.RunID, Message: res.Message, RolledBack: res.Outcome == journal.OutcomeRolledBack}
	for _, st := range res.Steps {
		what := fmt.Sprintf("step %d %s %s", st.Step, st.Operation, st.Description)
		if st.Status.MayHaveChanged() {
			out.Changed = append(out.Changed, what)
		} else {
			out.Unchanged = append(out.Unchanged, what+" ("+string(st.Status)+")")
		}
	}
	return out
}
