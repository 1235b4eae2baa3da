package sandbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// The demo's names: the accounts, bucket, key, role and user of s3grant's
// example gallery, so every example plan applies to the sandbox as is.
const (
	OwnerAccount     = plan.ExOwner
	ConsumerAccount  = plan.ExConsumer
	PartnerAccount   = plan.ExConsumer2
	Region           = plan.ExRegion
	DemoBucket       = plan.ExBucket
	DemoKeyID        = "1234abcd-12ab-34cd-56ef-1234567890ab"
	ConsumerRoleName = "analytics"
)

// demoObject is one object of the demo bucket.
type demoObject struct {
	key, body, contentType string
	kms                    bool
}

// demoObjects are the demo bucket's objects: two prefixes, and one object
// under exports/ encrypted with the customer managed key.
func demoObjects() []demoObject {
	return []demoObject{
		{"reports/2026-01.csv", "month,revenue\n2026-01,1200\n", "text/csv", false},
		{"reports/2026-02.csv", "month,revenue\n2026-02,1350\n", "text/csv", false},
		{"exports/daily/2026-01-01.json", `{"day":"2026-01-01","rows":42}` + "\n", "application/json", true},
		{"exports/daily/2026-01-02.json", `{"day":"2026-01-02","rows":17}` + "\n", "application/json", false},
	}
}

// Seed builds the demo: the owner account with the bucket, its objects and a
// customer managed key; the consumer account with the analytics role and
// the etl user; a partner account with the reporting role. Each account has
// an admin user (AdministratorAccess) with an access key, and the consumer's
// analytics role has a ready session, the consumer's everyday credentials.
func Seed() (*State, error) {
	st := &State{Accounts: map[string]*Account{}, Buckets: map[string]*Bucket{}, Keys: map[string]*Cred{}}
	now := time.Now().UTC().Truncate(time.Second)
	owner := st.AddAccount(OwnerAccount, "owner")
	consumer := st.AddAccount(ConsumerAccount, "consumer")
	partner := st.AddAccount(PartnerAccount, "partner")
	// The gallery's canonical IDs, so ACL example plans apply as they are.
	consumer.CanonicalID = plan.ExCanonical
	partner.CanonicalID = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
	for _, a := range []*Account{owner, consumer, partner} {
		st.addUser(a, "admin", now).Attached = []string{adminPolicy}
		st.NewAccessKey(a.ID, arn.User(partition, a.ID, "admin"))
	}

	key := &Key{
		ID: DemoKeyID, Description: "s3grant sandbox: customer managed key for analytics-exports",
		Policy: defaultKeyPolicy(OwnerAccount), Created: now, Material: randomBytes(32), Enabled: true,
	}
	owner.KMSKeys[key.ID] = key
	owner.KMSAliases["alias/analytics-exports"] = key.ID
	b := newBucket(DemoBucket, OwnerAccount, Region, now)
	st.Buckets[b.Name] = b
	for _, o := range demoObjects() {
		obj := &Object{
			Key: o.key, Data: []byte(o.body), ETag: etagOf([]byte(o.body)), Modified: now,
			ContentType: o.contentType, Writer: OwnerAccount, SSE: "AES256",
		}
		if o.kms {
			obj.SSE, obj.KMSKeyARN = "aws:kms", keyARN(OwnerAccount, Region, key.ID)
		}
		b.Objects[o.key] = obj
	}

	trust := func(account string) string {
		return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[`+
			`{"Sid":"AccountUsers","Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}`,
			arn.Root(partition, account))
	}
	st.addRole(consumer, ConsumerRoleName, trust(ConsumerAccount), now)
	st.addUser(consumer, "etl", now)
	st.addRole(partner, "reporting", trust(PartnerAccount), now)
	st.NewSession(ConsumerAccount, ConsumerRoleName, "sandbox", time.Time{})
	m, err := newTLSMaterial(sortedKeys(st.Accounts))
	if err != nil {
		return nil, err
	}
	st.TLS = m
	return st, nil
}

// emptyState keeps only the accounts, their admin users and those users'
// keys from a seeded state.
func emptyState(seeded *State) *State {
	st := &State{
		Accounts: map[string]*Account{}, Buckets: map[string]*Bucket{}, Keys: map[string]*Cred{},
		TLS: seeded.TLS,
	}
	for id, a := range seeded.Accounts {
		fresh := st.AddAccount(id, a.Alias)
		fresh.CanonicalID = a.CanonicalID
		fresh.Users["admin"] = a.Users["admin"]
	}
	for id, k := range seeded.Keys {
		if strings.HasSuffix(k.Principal, ":user/admin") {
			st.Keys[id] = k
		}
	}
	return st
}

// AddAccount creates an empty account (or returns the existing one).
func (st *State) AddAccount(id, alias string) *Account {
	if a := st.Accounts[id]; a != nil {
		return a
	}
	a := &Account{
		ID: id, Alias: alias, CanonicalID: canonicalIDFor(id), Region: Region,
		Users: map[string]*User{}, Roles: map[string]*Role{}, Policies: map[string]*ManagedPol{},
		KMSKeys: map[string]*Key{}, KMSAliases: map[string]string{}, AccessPoints: map[string]*AccessPoint{},
	}
	st.Accounts[id] = a
	return a
}

func (st *State) addUser(a *Account, name string, now time.Time) *User {
	u := &User{Name: name, Path: "/", ID: randomID("AIDA", 17), Created: now, Inline: map[string]string{}}
	a.Users[name] = u
	return u
}

func (st *State) addRole(a *Account, name, trust string, now time.Time) *Role {
	r := &Role{
		Name: name, Path: "/", ID: randomID("AROA", 17), Created: now, Trust: trust,
		MaxSessionDuration: 3600, Inline: map[string]string{},
	}
	a.Roles[name] = r
	return r
}

// NewAccessKey issues a long-term access key for a principal of account.
func (st *State) NewAccessKey(account, principal string) *Cred {
	c := &Cred{AccessKeyID: randomID("AKIA", 16), Secret: randomSecret(), Principal: principal, Account: account}
	st.Keys[c.AccessKeyID] = c
	return c
}

// NewSession issues temporary credentials for a session of role in account;
// a zero expiry never expires (the demo's ready consumer session).
func (st *State) NewSession(account, role, session string, expires time.Time) *Cred {
	c := &Cred{
		AccessKeyID: randomID("ASIA", 16), Secret: randomSecret(), Token: "SANDBOX" + randomSecret() + randomSecret(),
		Principal: arn.AssumedRole(partition, account, role, session), Account: account,
		Issued: time.Now().UTC(), Expires: expires,
	}
	st.Keys[c.AccessKeyID] = c
	return c
}

func newBucket(name, owner, region string, now time.Time) *Bucket {
	// New buckets since April 2023: ACLs disabled, Block Public Access on,
	// SSE-S3 by default.
	return &Bucket{
		Name: name, Owner: owner, Region: region, Created: now,
		Ownership:  policy.OwnershipBucketOwnerEnforced,
		PAB:        blockAllPublic(),
		Encryption: &Encryption{Algorithm: "AES256"},
		Objects:    map[string]*Object{},
	}
}

// blockAllPublic is Block Public Access with its four settings on: the
// default of a new bucket and of a new access point.
func blockAllPublic() *PublicAccessBlockConfig {
	return &PublicAccessBlockConfig{
		BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
	}
}

func keyARN(account, region, id string) string {
	return arn.Key(partition, region, account, id)
}

// defaultKeyPolicy is the policy KMS gives a key created without one: the
// account's IAM decides.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
func defaultKeyPolicy(account string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Id":"key-default-1","Statement":[`+
		`{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"%s"},`+
		`"Action":"kms:*","Resource":"*"}]}`,
		arn.Root(partition, account))
}
