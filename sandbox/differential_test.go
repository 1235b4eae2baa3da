package sandbox

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

const (
	diffAP      = "diff-ap"
	diffAlias   = "diff-ap-0123456789abcdef-s3alias"
	sessionARN  = "arn:aws:sts::" + ConsumerAccount + ":assumed-role/" + ConsumerRoleName + "/sandbox"
	bucketARN   = "arn:aws:s3:::" + DemoBucket
	diffKeyARN  = "arn:aws:kms:" + Region + ":" + OwnerAccount + ":key/" + DemoKeyID
	diffAPARN   = "arn:aws:s3:" + Region + ":" + OwnerAccount + ":accesspoint/" + diffAP
	readReports = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"` + bucketARN + `","Condition":{"StringLike":{"s3:prefix":["reports/*"]}}},{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + bucketARN + `/reports/*"}]}`
)

// diffBucketPolicies are bucket policies a differential case picks from:
// none, the gallery's plans, an account-wide grant, an explicit deny, a
// public statement (Block Public Access matters), and delegation to the
// owner's access points.
func diffBucketPolicies(t *testing.T) []string {
	t.Helper()
	out := []string{
		"",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + ConsumerAccount + `"},"Action":["s3:ListBucket","s3:GetObject","s3:PutObject"],"Resource":["` + bucketARN + `","` + bucketARN + `/*"]}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + plan.ExRole + `"},"Action":"s3:*","Resource":["` + bucketARN + `","` + bucketARN + `/*"]},{"Effect":"Deny","Principal":{"AWS":"` + plan.ExRole + `"},"Action":"s3:GetObject","Resource":"` + bucketARN + `/exports/*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"` + bucketARN + `/reports/*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":["` + bucketARN + `","` + bucketARN + `/*"],"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"` + OwnerAccount + `"}}}]}`,
	}
	for _, name := range []string{"bucket-policy/read", "bucket-policy/read-write", "bucket-policy/prefixes", "bucket-policy/org-kms-no-tls", "access-point/read"} {
		out = append(out, string(planDoc(t, name, policy.KindBucketPolicy, "")))
	}
	return out
}

// planDoc returns the merged document of kind in an example's plan
// (targeted at target when given).
func planDoc(t testing.TB, example string, kind policy.Kind, target string) []byte {
	t.Helper()
	for _, ex := range plan.Examples() {
		if ex.Name != example {
			continue
		}
		s := ex.Spec
		if s.KMSKey != "" {
			s.KMSKey = diffKeyARN
		}
		p, err := plan.New(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Documents {
			if d.Kind == kind && (target == "" || d.Target == target) && d.Policy != nil {
				return d.Policy.Minified()
			}
		}
	}
	t.Fatalf("no %s in %s", kind, example)
	return nil
}

func diffIdentities(t *testing.T) []string {
	return []string{
		"", readReports,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:Decrypt"],"Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`,
		string(planDoc(t, "bucket-policy/kms-read-write", policy.KindIdentityPolicy, plan.ExRole)),
		string(planDoc(t, "access-point/read", policy.KindIdentityPolicy, plan.ExRole)),
	}
}

var diffAPPolicies = []string{
	"",
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + plan.ExRole + `"},"Action":"s3:*","Resource":["` + diffAPARN + `","` + diffAPARN + `/object/*"]}]}`,
}

var diffKeyPolicies = []string{
	defaultKeyPolicy(OwnerAccount),
	`{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + OwnerAccount + `:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"` + plan.ExRole + `"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}`,
}

// diffCase is one configuration of documents and settings.
type diffCase struct {
	bucket, identity, ap, key string
	bpa, viaAP, secure        bool
}

type diffReq struct {
	action, method, key, query string
}

var diffRequests = []diffReq{
	{"s3:ListBucket", "GET", "", "list-type=2&prefix=reports%2F"},
	{"s3:ListBucket", "GET", "", "list-type=2&prefix=exports%2F"},
	{"s3:GetObject", "GET", "reports/2026-01.csv", ""},
	{"s3:GetObject", "GET", "exports/daily/2026-01-01.json", ""},
	{"s3:GetObject", "GET", "exports/daily/2026-01-02.json", ""},
	{"s3:PutObject", "PUT", "reports/new.csv", ""},
	{"s3:DeleteObject", "DELETE", "reports/ghost.csv", ""},
}

// TestDifferential: the same requests, answered by the sandbox over HTTP
// (signature, principal, identity policies, documents, access point, Block
// Public Access, KMS key, all resolved by the sandbox) and by the evaluator
// called directly with the documents, agree.
func TestDifferential(t *testing.T) {
	sb, srv, tls := running(t, Options{})
	plain := newTestClient(t, sb, srv.PlainURL())
	session := credsOf(sb.keyFor(sessionARN))
	bps, ids := diffBucketPolicies(t), diffIdentities(t)
	sb.mu.Lock()
	sb.st.Accounts[OwnerAccount].AccessPoints[diffAP] = &AccessPoint{
		Name: diffAP, Bucket: DemoBucket, BucketAccount: OwnerAccount, Alias: diffAlias,
		Region: Region, PAB: &PublicAccessBlockConfig{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true},
	}
	sb.mu.Unlock()
	rng := rand.New(rand.NewSource(7))
	counts := map[bool]int{}
	const cases = 640
	for i := 0; i < cases; i++ {
		c := diffCase{
			bucket: bps[rng.Intn(len(bps))], identity: ids[rng.Intn(len(ids))], ap: diffAPPolicies[rng.Intn(2)],
			key: diffKeyPolicies[rng.Intn(2)], bpa: rng.Intn(2) == 0, viaAP: rng.Intn(3) == 0, secure: rng.Intn(4) != 0,
		}
		configure(sb, c)
		client := tls
		if !c.secure {
			client = plain
		}
		r := diffRequests[rng.Intn(len(diffRequests))]
		bucket := DemoBucket
		if c.viaAP {
			bucket = diffAlias
		}
		path := "/" + bucket
		if r.key != "" {
			path += "/" + r.key
		}
		st, body := client.do(t, session, "s3", r.method, path, r.query, []byte("x"), nil)
		got := st == 200 || st == 204
		if !got && st != 403 {
			t.Fatalf("case %d %+v %s %s: unexpected %d %s", i, c, r.method, path, st, body)
		}
		want := direct(t, c, r)
		counts[want.Allowed()]++
		if got != want.Allowed() {
			t.Errorf("case %d: %s %s (via AP %v, TLS %v, BPA %v)\nbucket policy %s\nidentity %s\nAP policy %s\nkey policy %s\nsandbox %d %s\nevaluator %s %v",
				i, r.method, path, c.viaAP, c.secure, c.bpa, c.bucket, c.identity, c.ap, c.key, st, body, want.Decision, want.Reasons)
		}
	}
	t.Logf("%d cases: %d allowed, %d denied", cases, counts[true], counts[false])
	if counts[true] < cases/10 || counts[false] < cases/10 {
		t.Errorf("the cases are lopsided (%v): widen the pools", counts)
	}
}

func configure(sb *Sandbox, c diffCase) {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	b := sb.st.Buckets[DemoBucket]
	b.Policy = c.bucket
	b.PAB = nil
	if c.bpa {
		b.PAB = &PublicAccessBlockConfig{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
	}
	role := sb.st.Accounts[ConsumerAccount].Roles[ConsumerRoleName]
	role.Inline = map[string]string{}
	if c.identity != "" {
		role.Inline["diff"] = c.identity
	}
	sb.st.Accounts[OwnerAccount].AccessPoints[diffAP].Policy = c.ap
	sb.st.Accounts[OwnerAccount].KMSKeys[DemoKeyID].Policy = c.key
}

// direct asks the evaluator, building its inputs from the case alone.
func direct(t *testing.T, c diffCase, r diffReq) policy.Result {
	t.Helper()
	parse := func(doc string) *policy.Policy {
		if doc == "" {
			return nil
		}
		p, err := policy.Parse([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := policy.Context{}.Set("aws:SecureTransport", fmt.Sprint(c.secure))
	if r.action == "s3:ListBucket" {
		ctx.Set("s3:prefix", map[bool]string{true: "reports/", false: "exports/"}[r.query == diffRequests[0].query])
		ctx.Set("s3:max-keys", "1000")
	}
	req := policy.S3Request{
		Principal: sessionARN, CanonicalID: plan.ExCanonical, Action: r.action, Bucket: DemoBucket, Key: r.key,
		BucketAccount: OwnerAccount, Context: ctx,
	}
	set := policy.S3Setup{
		BucketPolicy: parse(c.bucket), ObjectOwnership: policy.OwnershipBucketOwnerEnforced,
		BPA: policy.BlockPublicAccess{RestrictPublicBuckets: c.bpa, IgnorePublicAcls: c.bpa},
	}
	if c.identity != "" {
		set.Identity = []policy.Doc{{Name: "identity", Kind: policy.KindIdentityPolicy, Policy: parse(c.identity)}}
	}
	if c.viaAP {
		req.AccessPoint = diffAPARN
		set.AccessPointPolicy = parse(c.ap)
		set.BPA = policy.BlockPublicAccess{RestrictPublicBuckets: true, IgnorePublicAcls: true} // the access point's own setting
	}
	if r.key == "exports/daily/2026-01-01.json" {
		set.Key = &policy.KeySetup{ARN: diffKeyARN, Policy: parse(c.key)}
	}
	return policy.AuthorizeS3(req, set)
}
