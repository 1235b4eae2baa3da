package export

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// ScriptName is the exported script's file name; the documents go in DocsDir
// beside it.
const (
	ScriptName = "s3grant-apply.sh"
	DocsDir    = "documents"
)

// script accumulates the bash script and the document files it names.
type script struct {
	p     *plan.Plan
	o     Options
	b     strings.Builder
	files []File
}

func (s *script) line(format string, a ...any) { fmt.Fprintf(&s.b, format+"\n", a...) }

// doc adds a document file and returns the script's path to it.
func (s *script) doc(name string, data []byte) string {
	s.files = append(s.files, File{Path: DocsDir + "/" + name, Data: append(data, '\n'), Mode: 0o600})
	return `"$DOCS/` + name + `"`
}

func cliBundle(p *plan.Plan, o Options) (*Bundle, error) {
	s := &script{p: p, o: o}
	s.header()
	for _, st := range p.Steps {
		if err := s.step(st); err != nil {
			return nil, err
		}
	}
	s.line(`echo "s3grant export: all %d steps done for grant %s"`, len(p.Steps), p.GrantID)
	files := append([]File{{Path: ScriptName, Data: []byte(s.b.String()), Mode: 0o700}}, s.files...)
	return &Bundle{Format: FormatCLI, Files: files}, nil
}

func (s *script) header() {
	p := s.p
	s.line("#!/usr/bin/env bash")
	s.line("# s3grant %s: grant %s, %s access to %s for %s by %s.", s.o.Version, p.GrantID, p.Spec.Access,
		p.Spec.Scope(), strings.Join(p.Spec.ConsumerAccounts, ", "), p.Spec.Method)
	s.line("#")
	s.line("# The files in %s/ are the plan's merged documents, written exactly as planned.", DocsDir)
	if p.StateKnown {
		s.line("# They merge s3grant's statements into the documents as they were when the plan was made.")
	} else {
		s.line("# The plan was made WITHOUT reading the accounts: the documents hold s3grant's statements")
		s.line("# alone. A step whose document already exists stops rather than replace it: run")
		s.line("# s3grant plan --live (it reads both accounts) and export again to merge.")
	}
	s.line("# Before each write the script reads the current document: it skips a step that is")
	s.line("# already done, and stops when the document is neither what the plan found nor what it")
	s.line("# writes (it changed since the plan was made). Re-running the script is safe.")
	s.line("# Needs the AWS CLI and jq. Set the profile variables below (or in the environment).")
	s.line("set -euo pipefail")
	s.line("")
	for _, a := range accounts(p) {
		v := profileVar(a)
		s.line(`%s="${%s:-%s}"  # %s account %s`, v, v, s.o.Profile(a.side, a.id), a.side, a.id)
	}
	s.line(`DOCS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/%s"`, DocsDir)
	s.line("")
	s.b.WriteString(cliHelpers)
	s.line("")
	for _, a := range accounts(p) {
		s.line(`check_account "$%s" %s`, profileVar(a), a.id)
	}
}

// profileVar names the shell variable holding an account's profile.
func profileVar(a account) string {
	if a.side == templates.Owner {
		return "OWNER_PROFILE"
	}
	return "CONSUMER_" + a.id + "_PROFILE"
}

// aws builds an aws command line for the step's account.
func (s *script) aws(st plan.Step, args ...string) string {
	parts := []string{"aws", `--profile "$` + profileVar(account{side: st.Account, id: st.AccountID}) + `"`}
	for _, a := range args {
		if a != "" {
			parts = append(parts, a)
		}
	}
	return strings.Join(parts, " ")
}

func (s *script) step(st plan.Step) error {
	s.line("")
	s.line("# Step %d (%s account %s): %s %s", st.ID, st.Account, st.AccountID, st.Operation, st.Target)
	s.line("# %s", st.Why)
	d := s.p.DocumentFor(st)
	if d != nil {
		for _, l := range wrap(mergeNote(s.p, d), 96) {
			s.line("# %s", l)
		}
	}
	switch st.Operation {
	case templates.OpCreateAccessPoint:
		s.createAccessPoint(st)
		return nil
	case templates.OpPutBucketACL:
		s.bucketACL(st, d)
		return nil
	default: // no special case
	}
	if d == nil || d.Policy == nil {
		return fmt.Errorf("step %d %s: the plan has no policy document for it", st.ID, st.Operation)
	}
	return s.policyStep(st, d)
}

func (s *script) createAccessPoint(st plan.Step) {
	name, bucket, bucketAcct := st.Params["Name"], st.Params["Bucket"], st.Params["BucketAccountId"]
	region := regionFlag(s.p.Spec.Region)
	s.line("if [ -z \"$(read_current NoSuchAccessPoint %s)\" ]; then", s.aws(st, "s3control get-access-point", region,
		"--account-id", st.AccountID, "--name", q(name), "--query Name --output text"))
	args := []string{
		"s3control create-access-point", region,
		"--account-id", st.AccountID, "--name", q(name), "--bucket", q(bucket),
	}
	if bucketAcct != "" && bucketAcct != st.AccountID {
		args = append(args, "--bucket-account-id", bucketAcct)
	}
	s.line("  %s >/dev/null", s.aws(st, args...))
	s.line(`  echo "step %d: created access point %s"`, st.ID, name)
	s.line("else")
	s.line(`  echo "step %d: access point %s exists, keeping it"`, st.ID, name)
	s.line("fi")
}

func regionFlag(region string) string {
	if region == "" {
		return ""
	}
	return "--region " + region
}

// q quotes a value for bash. The plan's names and ARNs are validated and
// hold no quotes, but a quoted word stays one word whatever it holds.
func q(v string) string { return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'" }
