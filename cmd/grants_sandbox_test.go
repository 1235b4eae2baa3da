package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// TestGrantsFileCommandsInSandbox: the demonstration with the
// commands a user types, in the sandbox (which enforces policies): the
// 30-grant file plans and proves, applies in one run, status is clean
// (exit 0), a statement removed by hand is drift (exit 5, naming its Sid),
// and one undo brings every bucket policy back to exactly what it was.
func TestGrantsFileCommandsInSandbox(t *testing.T) {
	testenv.SandboxToo(t)
	t.Setenv(testenv.BackendEnv, "sandbox")
	env := motoEnv(t)
	data, err := os.ReadFile(grants30)
	if err != nil {
		t.Fatal(err)
	}
	set, err := plan.NewSet(must(plan.ParseGrants(data))(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	profiles := []string{"--owner-profile", "owner"}
	for _, id := range set.Accounts()[1:] {
		p := env.Assume(t, id).Profile
		profiles = append(profiles, "--consumer-profile", p)
	}
	const foreign = `{"Version":"2012-10-17","Statement":[{"Sid":"AuditorsList","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::s3grant-demo-raw"}]}`
	for i, b := range set.Buckets() {
		env.CLI(t, "owner", "s3api", "create-bucket", "--bucket", b, "--create-bucket-configuration", "LocationConstraint="+env.Region)
		if i == 0 {
			env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", b, "--policy", foreign)
		}
	}
	for _, id := range set.Accounts()[1:] {
		if strings.HasSuffix(id, "44") || id[len(id)-1]%2 == 0 {
			// The account's admin (the consumer profile) may assume it, as verify does.
			env.CLI(t, env.Assume(t, id).Profile, "iam", "create-role", "--role-name", "analytics", "--assume-role-policy-document",
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},`+
					`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+id+`:root"},"Action":"sts:AssumeRole"}]}`)
		}
	}
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, out, errOut := runCLI(t, "plan", "--spec", grants30, "--out", planFile); code != 0 {
		t.Fatalf("plan: %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, append([]string{"apply", planFile, "--yes", "--parallel", "4"}, profiles...)...)
	runID := regexp.MustCompile(`run (\S+): applied`).FindStringSubmatch(out)
	if code != 0 || runID == nil || !strings.Contains(errOut, "account 300000000009: 3/3 written") {
		t.Fatalf("apply: %d\n%s\n%s", code, out, errOut)
	}
	status := append([]string{"status", "--spec", grants30}, profiles...)
	if code, out, errOut := runCLI(t, status...); code != 0 || !strings.Contains(out, "30 grants: 30 in place, 0 missing, 0 changed; 0 extra") {
		t.Fatalf("status after apply: %d\n%s\n%s", code, out, errOut)
	}

	verify := append([]string{"verify", planFile}, profiles...)
	if code, out, errOut := runCLI(t, verify...); code != 0 || strings.Count(out, " ok   ") != len(set.Grants) {
		t.Fatalf("verify of the grants plan after apply: %d, want 0 and %d grants ok\n%s\n%s", code, len(set.Grants), out, errOut)
	}

	// Planned again merged with what is there (--live), it changes nothing.
	liveFile := filepath.Join(t.TempDir(), "live.json")
	if code, out, errOut := runCLI(t, append([]string{"plan", "--spec", grants30, "--live", "--out", liveFile}, profiles...)...); code != 0 {
		t.Fatalf("plan --live: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, append([]string{"apply", liveFile, "--yes"}, profiles...)...); code != 0 || !strings.Contains(out, "nothing to change") {
		t.Fatalf("apply of the live plan after apply: %d\n%s\n%s", code, out, errOut)
	}

	// By hand: take grants[2]'s first statement out of its bucket's policy.
	g2 := set.Grants[2]
	var got struct{ Policy string }
	if err := json.Unmarshal(env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", g2.Spec.Bucket), &got); err != nil {
		t.Fatal(err)
	}
	pol := must(policy.Parse([]byte(got.Policy)))(t)
	removed := ""
	for i, s := range pol.Statement {
		if policy.Owned(s.Sid, g2.SidPrefix) {
			removed = s.Sid
			pol.Statement = append(pol.Statement[:i], pol.Statement[i+1:]...)
			break
		}
	}
	env.CLI(t, "owner", "s3api", "put-bucket-policy", "--bucket", g2.Spec.Bucket, "--policy", string(pol.Minified()))
	code, out, errOut = runCLI(t, status...)
	if code != ExitDrift || !strings.Contains(out, "grants[2] "+g2.GrantID+" changed") || !strings.Contains(out, removed) {
		t.Fatalf("status after a statement was removed by hand: %d, want 5 naming %s\n%s\n%s", code, removed, out, errOut)
	}

	code, out, errOut = runCLI(t, verify...)
	if code != ExitCheckFail || !strings.Contains(out, "grants[2] "+g2.GrantID+" FAIL") ||
		strings.Count(out, " ok   ") != len(set.Grants)-1 || !strings.Contains(out, "verify: 1 of 30 grants failed: grants[2]") &&
		!strings.Contains(errOut, "verify: 1 of 30 grants failed: grants[2]") {
		t.Fatalf("verify after grants[2]'s %s was removed by hand: %d, want 3 naming grants[2]\n%s\n%s", removed, code, out, errOut)
	}
	pruneLastBucket(t, set, profiles)

	// One undo, from the drifted state: back to exactly what was there.
	if code, out, errOut := runWithInput(t, "yes\n", "undo", runID[1]); code != 0 {
		t.Fatalf("undo: %d\n%s\n%s", code, out, errOut)
	}
	if err := json.Unmarshal(env.CLI(t, "owner", "s3api", "get-bucket-policy", "--bucket", set.Buckets()[0]), &got); err != nil {
		t.Fatal(err)
	}
	if !policy.Equal(must(policy.Parse([]byte(got.Policy)))(t), must(policy.Parse([]byte(foreign)))(t)) {
		t.Fatalf("bucket policy after undo:\n%s\nwant exactly what was there before:\n%s", got.Policy, foreign)
	}
	for _, b := range set.Buckets()[1:] {
		if _, stderr, err := env.TryCLI(env.CLIs(t)[0], "owner", "s3api", "get-bucket-policy", "--bucket", b); err == nil || !strings.Contains(stderr, "NoSuchBucketPolicy") {
			t.Fatalf("bucket %s has a policy after undo (%v %s)", b, err, stderr)
		}
	}
	code, out, _ = runCLI(t, append(status, "-o", "json")...)
	var st struct {
		Drifted bool
		Grants  []struct{ State string }
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != ExitDrift || !st.Drifted || st.Grants[0].State != "missing" {
		t.Fatalf("status -o json after undo: %d %v\n%s", code, err, out)
	}
}

// pruneLastBucket takes the last bucket's grants out of the file: status
// names each statement they left (exit 5: account, document, Sid), apply
// --prune of the smaller file removes exactly them (the bucket policy only
// they were in is deleted) and undo of that run puts them all back.
func pruneLastBucket(t *testing.T, set *plan.Set, profiles []string) {
	t.Helper()
	last := set.Buckets()[len(set.Buckets())-1]
	var keep []any
	var sids []string
	for _, g := range set.Grants {
		if g.Spec.Bucket != last {
			keep = append(keep, g.Spec)
			continue
		}
		for _, d := range g.Documents {
			for _, st := range d.Generated.Statement {
				sids = append(sids, d.AccountID+": statement "+st.Sid)
			}
		}
	}
	smaller := filepath.Join(t.TempDir(), "grants.json")
	if err := os.WriteFile(smaller, must(json.Marshal(map[string]any{"grants": keep}))(t), 0o600); err != nil {
		t.Fatal(err)
	}
	status := append([]string{"status", "--spec", smaller}, profiles...)
	code, out, errOut := runCLI(t, status...)
	if code != ExitDrift || strings.Count(out, "  extra: ") != len(sids) {
		t.Fatalf("status without %s's grants: %d, want 5 and %d extras\n%s\n%s", last, code, len(sids), out, errOut)
	}
	for _, sid := range sids {
		if !strings.Contains(out, " in "+sid+" (added by run ") {
			t.Fatalf("status does not name the extra %s:\n%s", sid, out)
		}
	}
	planFile := filepath.Join(t.TempDir(), "smaller.json")
	if code, out, errOut := runCLI(t, "plan", "--spec", smaller, "--out", planFile); code != 0 {
		t.Fatalf("plan: %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, append([]string{"apply", planFile, "--prune", "--yes"}, profiles...)...)
	runID := regexp.MustCompile(`run (\S+): applied`).FindStringSubmatch(out)
	if code != 0 || runID == nil || strings.Count(out, "\nprune: ") != len(sids) {
		t.Fatalf("apply --prune: %d\n%s\n%s", code, out, errOut)
	}
	// The apply also put back grants[2]'s statement removed by hand.
	if code, out, _ := runCLI(t, status...); !strings.Contains(out, "; 0 extra statements") || code != 0 {
		t.Fatalf("status after the prune: %d\n%s", code, out)
	}
	if code, out, errOut := runWithInput(t, "yes\n", "undo", runID[1]); code != 0 {
		t.Fatalf("undo of the prune: %d\n%s\n%s", code, out, errOut)
	}
	if _, out, _ := runCLI(t, status...); strings.Count(out, "  extra: ") != len(sids) {
		t.Fatalf("status after undo of the prune:\n%s", out)
	}
}

// must fails the test on err and returns v: must(call())(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
