package export_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// world is moto with the starting point of a real grant: the owner's bucket
// with a foreign bucket policy (which both the script and apply must keep),
// a customer managed key, and the consumers' roles and user.
type world struct {
	env    *testenv.Env
	accts  aws.Accounts
	keyARN string
	store  journal.Store
}

const foreignBucketPolicy = `{"Version":"2008-10-17","Id":"Legacy","Statement":[` +
	`{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::analytics-exports"}]}`

// newWorld resets moto and seeds what the example needs.
func newWorld(t *testing.T, env *testenv.Env, example string) *world {
	t.Helper()
	env.Reset(t)
	env.Assume(t, plan.ExConsumer2)
	// In-process SDK clients (ReadLive, Apply) read the same shared files.
	for _, kv := range env.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	w := &world{
		env: env, store: journal.Store{Dir: filepath.Join(t.TempDir(), "runs")},
		accts: aws.Accounts{Consumers: map[string]*aws.Account{}},
	}
	for _, a := range env.Accounts() {
		acct, err := aws.Connect(context.Background(), aws.ConnectOptions{Profile: a.Profile, EndpointURL: env.URL})
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == testenv.OwnerAccount {
			w.accts.Owner = acct
		} else {
			w.accts.Consumers[a.ID] = acct
		}
	}
	w.seed(t, w.spec(t, example))
	return w
}

// seed makes the starting point with the AWS CLI: only what the example
// needs, as each call costs a Python start.
func (w *world) seed(t *testing.T, s spec.Spec) {
	t.Helper()
	cli := w.env.CLI
	cli(t, "owner", "s3api", "create-bucket", "--bucket", plan.ExBucket,
		"--create-bucket-configuration", "LocationConstraint="+testenv.Region)
	ownership := "BucketOwnerEnforced" // what AWS gives a new bucket; moto sets none, which write grants refuse
	if s.Method == spec.MethodACL {
		// ACLs on: s3grant apply would ask to turn them on, the script never does.
		ownership = "BucketOwnerPreferred"
	}
	cli(t, "owner", "s3api", "put-bucket-ownership-controls", "--bucket", plan.ExBucket,
		"--ownership-controls", "Rules=[{ObjectOwnership="+ownership+"}]")
	cli(t, "owner", "s3api", "put-bucket-policy", "--bucket", plan.ExBucket, "--policy", foreignBucketPolicy)
	if s.KMSKey != "" {
		var key struct{ KeyMetadata struct{ Arn string } }
		if err := json.Unmarshal(cli(t, "owner", "kms", "create-key", "--description", "s3grant export test"), &key); err != nil {
			t.Fatal(err)
		}
		w.keyARN = key.KeyMetadata.Arn
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	for _, arn := range s.ConsumerPrincipals {
		profile := w.profileOf(strings.Split(arn, ":")[4])
		name := arn[strings.LastIndex(arn, "/")+1:]
		if strings.Contains(arn, ":user/") {
			cli(t, profile, "iam", "create-user", "--user-name", name)
			continue
		}
		cli(t, profile, "iam", "create-role", "--role-name", name, "--assume-role-policy-document", trust)
	}
}

func (w *world) profileOf(account string) string {
	for _, a := range w.env.Accounts() {
		if a.ID == account {
			return a.Profile
		}
	}
	return ""
}

// spec returns the gallery spec of an example.
func (w *world) spec(t *testing.T, name string) spec.Spec {
	t.Helper()
	for _, ex := range plan.Examples() {
		if ex.Name == name {
			return ex.Spec
		}
	}
	t.Fatalf("no example %q", name)
	return spec.Spec{}
}

// example returns the gallery spec with the world's key for the example's.
func (w *world) example(t *testing.T, name string) spec.Spec {
	t.Helper()
	s := w.spec(t, name)
	if s.KMSKey != "" {
		s.KMSKey = w.keyARN
	}
	return s
}
