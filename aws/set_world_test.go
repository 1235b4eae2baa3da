package aws_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/internal/testenv"
	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// setForeign is someone else's statement in the first bucket's policy
// before any grant: it must survive apply, drift, prune and undo.
const setForeign = `{"Version":"2012-10-17","Statement":[{"Sid":"AuditorsList","Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::s3grant-demo-raw"}]}`

// setWorld is the sandbox (which enforces policies and refuses principals
// that do not exist) with the grants file's owner, its 10 consumer
// accounts, its 5 buckets and the consumers' analytics roles, and the
// grants file planned offline and read back as s3grant plan --out writes it.
type setWorld struct {
	env   *testenv.Env
	accts aws.Accounts
	store journal.Store
	file  *plan.Set
}

func newSetWorld(t testing.TB) *setWorld {
	t.Helper()
	t.Setenv(testenv.BackendEnv, "sandbox")
	env := testenv.Start(t)
	data, err := os.ReadFile("../plan/testdata/grants30.yaml")
	if err != nil {
		t.Fatal(err)
	}
	specs := must(plan.ParseGrants(data))(t)
	offline := must(plan.NewSet(specs, nil))(t)
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := plan.WriteSetFile(path, offline); err != nil {
		t.Fatal(err)
	}
	_, file, err := plan.ReadAnyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range file.Accounts() {
		env.Assume(t, id)
	}
	w := &setWorld{env: env, file: file}
	w.reset(t)
	return w
}

// reset empties the sandbox, connects every account again and seeds it.
func (w *setWorld) reset(t testing.TB) {
	t.Helper()
	env := w.env
	env.Reset(t)
	for _, kv := range env.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		os.Unsetenv(k)
	}
	w.store = journal.Store{Dir: filepath.Join(t.TempDir(), "runs")}
	w.accts = aws.Accounts{Consumers: map[string]*aws.Account{}}
	ctx := context.Background()
	for _, a := range env.Accounts() {
		acct := must(aws.Connect(ctx, aws.ConnectOptions{Profile: a.Profile, EndpointURL: env.URL}))(t)
		if a.ID == testenv.OwnerAccount {
			w.accts.Owner = acct
		} else {
			w.accts.Consumers[a.ID] = acct
		}
	}
	w.seed(t)
}

func (w *setWorld) seed(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	s3c := w.accts.Owner.S3(testenv.Region).(*s3.Client)
	for _, b := range w.file.Buckets() {
		must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{
			Bucket:                    sdk.String(b),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(testenv.Region)},
		}))(t)
	}
	must(s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: sdk.String(w.file.Buckets()[0]), Policy: sdk.String(setForeign)}))(t)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	made := map[string]bool{}
	for _, g := range w.file.Grants {
		for _, p := range g.Spec.ConsumerPrincipals {
			if made[p] {
				continue
			}
			made[p] = true
			c := w.accts.For(g.Spec.ConsumerAccounts[0]).IAM().(*iam.Client)
			must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: sdk.String(p[strings.LastIndex(p, "/")+1:]), AssumeRolePolicyDocument: &trust}))(t)
		}
	}
}

// snapshot is every document the set writes, canonical, by ref.
func (w *setWorld) snapshot(t testing.TB) map[journal.Ref]string {
	t.Helper()
	lives := must(aws.ReadSetLive(context.Background(), w.file, w.accts, 4))(t)
	out := map[journal.Ref]string{}
	for _, l := range lives {
		for i, ref := range l.Refs {
			d := l.Docs[i]
			switch {
			case !d.Exists:
				out[ref] = "(none)"
			default:
				p, err := policy.Parse([]byte(d.Raw))
				if err != nil {
					t.Fatal(err)
				}
				out[ref] = string(p.Canonical())
			}
		}
	}
	return out
}

func (w *setWorld) apply(t testing.TB, o aws.SetOptions) *aws.Result {
	t.Helper()
	ctx := context.Background()
	if o.Prune {
		o.Runs = must(w.store.List())(t)
	}
	prep := must(aws.PrepareSet(ctx, w.file, w.accts, o))(t)
	if res := check.Written(prep.Set); !res.OK {
		var b strings.Builder
		_ = res.WriteText(&b)
		t.Fatalf("the merged set fails its check: %s", b.String())
	}
	opts := aws.ApplyOptions{Store: w.store, Backoff: []time.Duration{time.Millisecond}, Settle: time.Millisecond}
	res, err := aws.ApplySet(ctx, prep, w.accts, opts, aws.DefaultParallel)
	if err != nil || res.Outcome != journal.OutcomeApplied {
		t.Fatalf("apply: %v %+v", err, res)
	}
	return res
}

func (w *setWorld) status(t testing.TB) *aws.SetStatus {
	t.Helper()
	runs := must(w.store.List())(t)
	return must(aws.Status(context.Background(), w.file, w.accts, 4, runs))(t)
}
