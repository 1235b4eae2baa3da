package aws_test

import (
	"encoding/json"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/policy"
)

// checkCLI reads every document back with each AWS CLI (an independent
// client) and compares it with the SDK's snapshot.
func (w *world) checkCLI(t *testing.T, prep *aws.Prepared, want map[string]string) {
	t.Helper()
	for _, cli := range w.env.CLIs(t) {
		for _, ps := range prep.Steps {
			if ps.Ref.Type == journal.ObjectOwnership {
				continue
			}
			key := refKey(ps.Ref)
			got := w.cliRead(t, cli, ps.Ref)
			if ps.Ref.Type == journal.AccessPoint {
				if got != ps.Ref.Bucket {
					t.Errorf("%s: %s sees the access point on bucket %q", key, cli, got)
				}
				continue
			}
			if got != want[key] {
				t.Errorf("%s: %s reads\n%s\nthe SDK read\n%s", key, cli, got, want[key])
			}
		}
	}
}

func (w *world) cliRead(t *testing.T, cli string, ref journal.Ref) string {
	t.Helper()
	profile := w.profileOf(ref.AccountID)
	run := func(args ...string) map[string]any {
		var out map[string]any
		if err := json.Unmarshal(w.env.RunCLI(t, cli, profile, args...), &out); err != nil {
			t.Fatalf("%s %v: %v", cli, args, err)
		}
		return out
	}
	switch ref.Type {
	case journal.BucketPolicy:
		return policyText(t, run("s3api", "get-bucket-policy", "--bucket", ref.Bucket)["Policy"])
	case journal.BucketACL:
		return cliACL(run("s3api", "get-bucket-acl", "--bucket", ref.Bucket))
	case journal.Role:
		return policyText(t, run("iam", "get-role", "--role-name", ref.Resource)["Role"].(map[string]any)["AssumeRolePolicyDocument"])
	case journal.RolePolicy:
		return policyText(t, run("iam", "get-role-policy", "--role-name", ref.Resource, "--policy-name", ref.PolicyName)["PolicyDocument"])
	case journal.UserPolicy:
		return policyText(t, run("iam", "get-user-policy", "--user-name", ref.Resource, "--policy-name", ref.PolicyName)["PolicyDocument"])
	case journal.ManagedPolicy:
		v := run("iam", "get-policy", "--policy-arn", ref.Resource)["Policy"].(map[string]any)["DefaultVersionId"].(string)
		return policyText(t, run("iam", "get-policy-version", "--policy-arn", ref.Resource, "--version-id", v)["PolicyVersion"].(map[string]any)["Document"])
	case journal.AccessPoint:
		return run("s3control", "get-access-point", "--account-id", ref.AccountID, "--name", ref.Resource)["Bucket"].(string)
	case journal.AccessPointPolicy:
		return policyText(t, run("s3control", "get-access-point-policy", "--account-id", ref.AccountID, "--name", ref.Resource)["Policy"])
	case journal.KeyPolicy:
		return policyText(t, run("kms", "get-key-policy", "--key-id", ref.Resource, "--policy-name", "default")["Policy"])
	default: // no special case
	}
	t.Fatalf("cliRead: unknown type %s", ref.Type)
	return ""
}

func (w *world) profileOf(account string) string {
	for _, a := range w.env.Accounts() {
		if a.ID == account {
			return a.Profile
		}
	}
	return ""
}

// policyText canonicalises a policy the CLI printed as a string or object.
func policyText(t *testing.T, v any) string {
	t.Helper()
	var raw []byte
	if s, ok := v.(string); ok {
		raw = []byte(s)
	} else {
		raw, _ = json.Marshal(v)
	}
	p, err := policy.Parse(raw)
	if err != nil {
		t.Fatalf("the CLI printed an unparseable policy %s: %v", raw, err)
	}
	return string(p.Canonical())
}

func cliACL(out map[string]any) string {
	a := &policy.ACL{Owner: out["Owner"].(map[string]any)["ID"].(string)}
	grants, _ := out["Grants"].([]any)
	for _, g := range grants {
		gm := g.(map[string]any)
		ge := gm["Grantee"].(map[string]any)
		str := func(k string) string { s, _ := ge[k].(string); return s }
		a.Grants = append(a.Grants, policy.Grant{Type: str("Type"), ID: str("ID"), URI: str("URI"), Permission: gm["Permission"].(string)})
	}
	return string(a.Canonical())
}
