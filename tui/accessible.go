package tui

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
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
	a := wizard.NewAnswers(opts.Spec, opts.OwnerProfile, opts.ConsumerProfile)
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
		if err := plainQuestions(l, a, sess); err != nil {
			return err
		}
		if p, err = plainPlan(ctx, l, a, sess, opts.Checker); err != nil {
			return err
		}
	}
	if err := plainReview(l, a, p, opts); err != nil {
		return err
	}
	return plainApply(ctx, l, a, p.plan, sess)
}

func plainAccounts(ctx context.Context, l *liner, a *wizard.Answers, opts Options) (*Session, error) {
	var profiles []string
	var why string
	if opts.Connector == nil {
		why = cmp.Or(opts.NoApplyReason, "this build cannot connect to AWS")
	} else if opts.Profiles != nil {
		profiles, _ = opts.Profiles.Profiles()
		if len(profiles) == 0 {
			why = "no AWS profiles were found in your AWS configuration"
		}
	}
	if why == "" {
		use, err := l.confirm("Connect with AWS profiles (no: offline dry run)?", a.Connect)
		if err != nil {
			return nil, err
		}
		if use {
			return plainConnect(ctx, l, a, opts, profiles)
		}
	} else {
		l.say("Offline dry run: %s, so apply is disabled.", why)
	}
	a.Connect = false
	for _, q := range wizard.AccountQuestions() {
		if err := plainAsk(l, a, q); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func plainConnect(ctx context.Context, l *liner, a *wizard.Answers, opts Options, profiles []string) (*Session, error) {
	for {
		owner := max(0, slices.Index(profiles, a.OwnerProfile))
		i, err := l.choose("Owner profile (the bucket's account):", profiles, owner)
		if err != nil {
			return nil, err
		}
		consumer := max(0, slices.Index(profiles, a.ConsumerProfile))
		j, err := l.choose("Consumer profile (the account that needs access):", profiles, consumer)
		if err != nil {
			return nil, err
		}
		a.OwnerProfile, a.ConsumerProfile = profiles[i], profiles[j]
		l.say("Connecting as %s and %s…", a.OwnerProfile, a.ConsumerProfile)
		sess, err := opts.Connector.Connect(ctx, a.OwnerProfile, a.ConsumerProfile)
		if err != nil {
			l.say("Could not connect: %v", err)
			continue
		}
		a.OwnerAcct, a.Consumers = sess.OwnerAccount, sess.ConsumerAccount
		l.say("Owner account %s, consumer account %s.", sess.OwnerAccount, sess.ConsumerAccount)
		return sess, nil
	}
}

func plainMethod(l *liner, a *wizard.Answers) error {
	rec, reason := wizard.RecommendMethod(a.Spec(), nil)
	infos := wizard.MethodInfos()
	options := make([]string, len(spec.Methods))
	def := 0
	for i, m := range spec.Methods {
		options[i] = fmt.Sprintf("%s (%s): %s Pick it when: %s", infos[m].Title, m, infos[m].Summary, infos[m].PickIf)
		if m == rec && a.Method == "" || m == a.Method {
			def = i
		}
	}
	l.say("Recommended: %s, because %s.", rec, reason)
	i, err := l.choose("How should the consumer get in?", options, def)
	if err != nil {
		return err
	}
	a.Method = spec.Methods[i]
	if a.Method == spec.MethodACL && !a.ACLAccepted {
		l.say("Warning: ACLs are a legacy access model that AWS recommends keeping disabled. " +
			"A bucket ACL cannot grant reading objects, cannot be limited to prefixes, " +
			"and if ACLs are disabled on the bucket apply stops unless you consent " +
			"(the Object Ownership question) to turn them back on.")
		v, err := l.ask("Type "+aclConfirmWord+" to use ACLs anyway, or anything else to pick another method", "", nil)
		if err != nil {
			return err
		}
		if strings.ToLower(v) != aclConfirmWord {
			// Declined: the default is the recommendation again, not ACL.
			a.Method = ""
			return plainMethod(l, a)
		}
		a.ACLAccepted = true
	}
	return nil
}

// plainQuestions asks the question table, as the questions screen does, in
// the same order, with the same checks. Connected, what the accounts say
// (the bucket's region and key, the consumer's canonical ID) is read as
// soon as it can be, and offered as the default.
func plainQuestions(l *liner, a *wizard.Answers, sess *Session) error {
	var finder Suggester
	if sess != nil {
		finder = sess.Suggest
	}
	if finder != nil && a.Method == spec.MethodACL && a.Found.CanonicalID == (wizard.Finding{}) {
		a.SetCanonicalFinding(finder.CanonicalID(l.ctx))
	}
	for _, q := range wizard.Questions() {
		if !q.Shown(a) || q.Gate != "" && !*a.Bool(q.Gate) {
			continue
		}
		if err := plainAsk(l, a, q); err != nil {
			return err
		}
		if b := strings.TrimSpace(a.Bucket); q.Key == spec.FlagBucket && finder != nil && a.LookUp(b) {
			region, key := finder.Bucket(l.ctx, b)
			a.SetBucketFindings(b, region, key)
		}
	}
	return nil
}

func plainPlan(ctx context.Context, l *liner, a *wizard.Answers, sess *Session, checker Checker) (*planMsg, error) {
	msg := buildPlan(ctx, sess, checker, a.Spec())().(planMsg)
	if probs := spec.AsFieldErrors(msg.err); probs != nil {
		l.say("These answers do not fit together:")
		for _, p := range probs {
			l.say("  %s: %s%s", p.Field, p.Rule, wizard.ExampleSuffix(p))
		}
		l.say("The questions are asked again, with your answers as defaults.")
		return nil, nil
	}
	if msg.err != nil {
		return nil, msg.err
	}
	return &msg, nil
}
