package tui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// RunAccessible is the wizard without the full-screen UI: the same
// questions, asked line by line on plain text, with the same validators and
// the same plan. huh's accessible mode only works through form.Run() and
// ignores hidden groups, so this path is its own flow.
func RunAccessible(ctx context.Context, opts Options, in io.Reader, out io.Writer) error {
	l := newLiner(ctx, in, out)
	a := newAnswers(opts.Spec, opts.OwnerProfile, opts.ConsumerProfile)
	l.say("s3grant wizard (plain mode). Press enter to keep the value in brackets; type %s to clear it.", clearWord)
	sess, err := plainAccounts(ctx, l, a, opts)
	if err != nil {
		return err
	}
	var p *planMsg
	for p == nil {
		if err := plainMethod(l, a); err != nil {
			return err
		}
		if err := plainQuestions(l, a); err != nil {
			return err
		}
		if p, err = plainPlan(ctx, l, a, sess, opts.Checker); err != nil {
			return err
		}
	}
	if err := plainReview(l, a, p, opts); err != nil {
		return err
	}
	return plainApply(ctx, l, p.plan, sess)
}

func plainAccounts(ctx context.Context, l *liner, a *answers, opts Options) (*Session, error) {
	var profiles []string
	var why string
	if opts.Connector == nil {
		why = cmpOr(opts.NoApplyReason, "this build cannot connect to AWS")
	} else if opts.Profiles != nil {
		profiles, _ = opts.Profiles.Profiles()
		if len(profiles) == 0 {
			why = "no AWS profiles were found in your AWS configuration"
		}
	}
	if why == "" {
		use, err := l.confirm("Connect with AWS profiles (no: offline dry run)?", a.connect)
		if err != nil {
			return nil, err
		}
		if use {
			return plainConnect(ctx, l, a, opts, profiles)
		}
	} else {
		l.say("Offline dry run: %s, so apply is disabled.", why)
	}
	a.connect = false
	var err error
	if a.ownerAcct, err = l.ask("Owner account ID (12 digits)", a.ownerAcct, a.check("owner-account")); err != nil {
		return nil, err
	}
	a.consumers, err = l.ask("Consumer account IDs, comma-separated", a.consumers, a.check("consumer-account"))
	return nil, err
}

func plainConnect(ctx context.Context, l *liner, a *answers, opts Options, profiles []string) (*Session, error) {
	for {
		i, err := l.choose("Owner profile (the bucket's account):", profiles, indexOf(profiles, a.ownerProfile))
		if err != nil {
			return nil, err
		}
		j, err := l.choose("Consumer profile (the account that needs access):", profiles, indexOf(profiles, a.consumerProfile))
		if err != nil {
			return nil, err
		}
		a.ownerProfile, a.consumerProfile = profiles[i], profiles[j]
		l.say("Connecting as %s and %s…", a.ownerProfile, a.consumerProfile)
		sess, err := opts.Connector.Connect(ctx, a.ownerProfile, a.consumerProfile)
		if err != nil {
			l.say("Could not connect: %v", err)
			continue
		}
		a.ownerAcct, a.consumers = sess.OwnerAccount, sess.ConsumerAccount
		l.say("Owner account %s, consumer account %s.", sess.OwnerAccount, sess.ConsumerAccount)
		return sess, nil
	}
}

func plainMethod(l *liner, a *answers) error {
	rec, reason := wizard.RecommendMethod(a.spec(), nil)
	infos := wizard.MethodInfos()
	options := make([]string, len(spec.Methods))
	def := 0
	for i, m := range spec.Methods {
		options[i] = fmt.Sprintf("%s (%s): %s Pick it when: %s", infos[m].Title, m, infos[m].Summary, infos[m].PickIf)
		if m == rec && a.method == "" || m == a.method {
			def = i
		}
	}
	l.say("Recommended: %s, because %s.", rec, reason)
	i, err := l.choose("How should the consumer get in?", options, def)
	if err != nil {
		return err
	}
	a.method = spec.Methods[i]
	if a.method == spec.MethodACL && !a.aclAccepted {
		l.say("Warning: ACLs are a legacy access model that AWS recommends keeping disabled. A bucket ACL cannot grant reading objects, cannot be limited to prefixes, and apply stops if ACLs are disabled on the bucket.")
		v, err := l.ask("Type "+aclConfirmWord+" to use ACLs anyway, or anything else to pick another method", "", nil)
		if err != nil {
			return err
		}
		if strings.ToLower(v) != aclConfirmWord {
			return plainMethod(l, a)
		}
		a.aclAccepted = true
	}
	return nil
}

// plainQuestions asks the same questions as the questions screen, in the
// same order, with the same checks.
func plainQuestions(l *liner, a *answers) error {
	q := &plainAsker{l: l, a: a}
	m := a.method
	q.text("Bucket name", "bucket")
	q.text("Region (required for access points)", "region")
	q.access()
	if m != spec.MethodACL {
		q.text("Prefixes, comma-separated, ending in / (empty: the whole bucket)", "prefix")
	}
	q.text("Consumer principal ARNs, comma-separated (empty: the whole account)", "consumer-principal")
	switch m {
	case spec.MethodIAMRole:
		q.text("Role name (empty: "+spec.Spec{Method: m, Bucket: a.bucket}.WithDefaults().RoleName+")", "role-name")
		if q.yes("Is the consumer a third party acting for several customers (require an ExternalId)?", &a.useExternalID) {
			q.text("ExternalId", "external-id")
		}
	case spec.MethodAccessPoint:
		q.text("Access point name (empty: s3grant-CONSUMER)", "access-point")
		if len(split(a.consumers)) == 1 {
			q.apOwner()
		}
	case spec.MethodACL:
		q.text("Canonical user IDs, comma-separated", "canonical-id")
	}
	if q.yes("Are the objects encrypted with a customer managed KMS key?", &a.useKMS) {
		q.text("KMS key ARN", "kms-key")
	}
	q.text("Organization ID (optional)", "org-id")
	q.yes("Deny plain-HTTP requests (recommended)?", &a.requireTLS)
	return q.err
}

func plainPlan(ctx context.Context, l *liner, a *answers, sess *Session, checker Checker) (*planMsg, error) {
	msg := buildPlan(ctx, sess, checker, a.spec())().(planMsg)
	if probs := spec.AsFieldErrors(msg.err); probs != nil {
		l.say("These answers do not fit together:")
		for _, p := range probs {
			l.say("  %s: %s%s", p.Field, p.Rule, exampleSuffix(p))
		}
		l.say("The questions are asked again, with your answers as defaults.")
		return nil, nil
	}
	if msg.err != nil {
		return nil, msg.err
	}
	return &msg, nil
}

func indexOf(vals []string, v string) int {
	for i, x := range vals {
		if x == v {
			return i
		}
	}
	return 0
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
