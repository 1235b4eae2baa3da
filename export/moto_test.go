package export_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/export"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// The exported script is run with the real AWS CLI against moto, and what
// it leaves must be what `s3grant apply` leaves from the same plan.

// Each AWS CLI call starts Python (about a second here), so the examples are
// the few that between them take every kind of step: several consumer
// accounts with a role and a user policy, a managed policy, a role with its
// trust and key policy, access points in both accounts, and an ACL.
var scriptExamples = []string{
	"bucket-policy/several-consumers", "bucket-policy/whole-account",
	"iam-role/kms-read-write", "access-point/cross-account-kms-write", "access-point/read",
	"acl/write",
}

func TestScriptMatchesApply(t *testing.T) {
	env := testenv.Start(t)
	for _, name := range scriptExamples {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, env, name)
			s := w.example(t, name)
			p := w.livePlan(t, s)

			out := w.runScript(t, p, true)
			if strings.Contains(out, "already done") {
				t.Errorf("first run skipped a step:\n%s", out)
			}
			byScript := w.read(t, p)

			// A second run finds everything done and changes nothing.
			again := w.runScript(t, p, true)
			if n := strings.Count(again, "already done"); n != countDocs(p) {
				t.Errorf("second run skipped %d documents, the plan has %d:\n%s", n, countDocs(p), again)
			}
			w.sameState(t, "after the second run", byScript, w.read(t, p))

			// The same grant through s3grant apply, from the same start. A new
			// world has a new key: plan again and compare with its ARN swapped.
			old := w.keyARN
			w = newWorld(t, env, name)
			p = w.livePlan(t, w.example(t, name))
			prep, err := aws.Prepare(ctx, p, w.accts, aws.PrepareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := aws.Apply(ctx, prep, w.accts, aws.ApplyOptions{Store: w.store, Backoff: []time.Duration{time.Millisecond}})
			if err != nil || res.Outcome != journal.OutcomeApplied {
				t.Fatalf("apply: %v %+v", err, res)
			}
			swapKey(byScript, old, w.keyARN)
			w.sameState(t, "script vs apply", byScript, w.read(t, p))
		})
	}
}

// TestScriptStopsOnDrift: a document that changed after the plan was made
// stops the script before it writes it, and the change is kept.
func TestScriptStopsOnDrift(t *testing.T) {
	env := testenv.Start(t)
	w := newWorld(t, env, "bucket-policy/read")
	p := w.livePlan(t, w.example(t, "bucket-policy/read"))
	changed := strings.Replace(foreignBucketPolicy, `"Id":"Legacy"`, `"Id":"ChangedSincePlan"`, 1)
	env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", plan.ExBucket, "--policy", changed)
	out := w.runScript(t, p, false)
	if !strings.Contains(out, "changed since the plan was made") {
		t.Fatalf("the script did not stop on drift:\n%s", out)
	}
	got := env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", plan.ExBucket)
	if !strings.Contains(string(got), "ChangedSincePlan") || strings.Contains(string(got), p.SidPrefix) {
		t.Fatalf("the bucket policy was overwritten: %s", got)
	}
}

// TestScriptFromOfflinePlan: a plan made without reading the accounts must
// not replace the bucket's foreign policy.
func TestScriptFromOfflinePlan(t *testing.T) {
	env := testenv.Start(t)
	w := newWorld(t, env, "bucket-policy/read")
	p, err := plan.New(w.example(t, "bucket-policy/read"), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := w.runScript(t, p, false)
	if !strings.Contains(out, "a document exists that the plan did not see") {
		t.Fatalf("the script did not stop before replacing the foreign policy:\n%s", out)
	}
	got := env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", plan.ExBucket)
	if !strings.Contains(string(got), "Legacy") {
		t.Fatalf("the foreign bucket policy was replaced: %s", got)
	}
}

func countDocs(p *plan.Plan) int { return len(p.Documents) }

// swapKey rewrites one key ARN for another in documents read from AWS.
func swapKey(l *aws.Live, from, to string) {
	if from == "" {
		return
	}
	for i := range l.Docs {
		l.Docs[i].Raw = strings.ReplaceAll(l.Docs[i].Raw, from, to)
	}
}

// livePlan is `s3grant plan` against the live accounts, through a plan file.
func (w *world) livePlan(t *testing.T, s spec.Spec) *plan.Plan {
	t.Helper()
	offline, err := plan.New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	live, err := aws.ReadLive(context.Background(), offline, w.accts)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.New(s, live.State)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(p)
	var back plan.Plan
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	return &back
}

// runScript exports the plan and runs the script with the AWS CLI and the
// harness's profiles; ok says whether it must succeed.
func (w *world) runScript(t *testing.T, p *plan.Plan, ok bool) string {
	t.Helper()
	o := export.Options{ConsumerProfiles: map[string]string{}}
	for _, a := range w.env.Accounts() {
		o.ConsumerProfiles[a.ID] = a.Profile
	}
	b, err := export.Export(p, export.FormatCLI, o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range b.Files {
		path := filepath.Join(dir, f.Path)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, os.FileMode(f.Mode)); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", filepath.Join(dir, export.ScriptName))
	cmd.Env = w.env.Environ("HTTP_PROXY="+w.env.ProxyURL(), "http_proxy="+w.env.ProxyURL())
	out, err := cmd.CombinedOutput()
	if ok && err != nil {
		t.Fatalf("the script failed: %v\n%s", err, out)
	}
	if !ok && err == nil {
		t.Fatalf("the script succeeded, it should have stopped:\n%s", out)
	}
	return string(out)
}

// read is every document the plan's steps touch, as AWS holds it now.
func (w *world) read(t *testing.T, p *plan.Plan) *aws.Live {
	t.Helper()
	live, err := aws.ReadLive(context.Background(), p, w.accts)
	if err != nil {
		t.Fatal(err)
	}
	return live
}

func (w *world) sameState(t *testing.T, what string, a, b *aws.Live) {
	t.Helper()
	for i, ref := range a.Refs {
		if !aws.Same(ref.Type, a.Docs[i], b.Docs[i]) {
			t.Errorf("%s: %s %s differs:\n%s\n--- vs ---\n%s", what, ref.Type, ref.Resource, a.Docs[i].Raw, b.Docs[i].Raw)
		}
		if !a.Docs[i].Exists {
			t.Errorf("%s: %s %s does not exist", what, ref.Type, ref.Resource)
		}
	}
}
