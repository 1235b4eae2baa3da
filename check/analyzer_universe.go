package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// policyUniverse is the proof's universe around standalone documents (the
// first is the one under test, the others only add their constants): a
// bucket policy when any statement has a Principal (the bucket it names,
// every account it names as a consumer, each caller's administrator
// allowing everything), else an identity policy held by a principal of the
// bucket's account (so it alone decides).
func policyUniverse(docs ...*policy.Policy) *universe {
	s := spec.Spec{
		Method: spec.MethodBucketPolicy, Bucket: namedBucket(docs), Region: "us-east-1",
		Access: spec.AccessRead, NoRequireTLS: true,
	}
	named := map[string]bool{}
	for _, d := range docs {
		for _, st := range d.Statement {
			for _, pr := range []*policy.Principal{st.Principal, st.NotPrincipal} {
				for _, v := range pr.Values("AWS") {
					p := policy.ParsePrincipal(v)
					if p.Account == "" || slices.Contains(s.ConsumerPrincipals, v) {
						continue
					}
					if p.Kind == "role" || p.Kind == "user" {
						s.ConsumerPrincipals = append(s.ConsumerPrincipals, v)
					}
					if !named[p.Account] {
						named[p.Account] = true
						s.ConsumerAccounts = append(s.ConsumerAccounts, p.Account)
					}
				}
			}
		}
	}
	s.OwnerAccount = unnamedAccount(named, 111111111111)
	w := &world{
		s: s, apPolicies: map[string]*policy.Policy{}, trust: map[string]*policy.Policy{},
		identity: map[string][]policy.Doc{}, managed: map[string][]policy.Doc{},
		canonical: map[string]string{}, ownership: policy.OwnershipBucketOwnerEnforced,
	}
	u := &universe{
		s: s, w: w, apPolicies: map[string]*policy.Policy{}, consts: policy.ConditionConstants{},
		ownerDocs: docs, holder: !hasPrincipal(docs[0]),
	}
	if u.holder {
		u.roleDocs = []policy.Doc{{Name: "the policy under test", Kind: policy.KindIdentityPolicy, Policy: docs[0]}}
	} else {
		w.bucketPolicy = docs[0]
	}
	for _, d := range docs {
		u.consts.AddPolicy(d)
		u.collectNames(d)
	}
	return u
}

func hasPrincipal(p *policy.Policy) bool {
	return slices.ContainsFunc(p.Statement, func(s policy.Statement) bool {
		return s.Principal != nil || s.NotPrincipal != nil
	})
}

// namedBucket is the first bucket a document names without wildcards.
func namedBucket(docs []*policy.Policy) string {
	for _, d := range docs {
		for _, st := range d.Statement {
			for _, r := range append(slices.Clone(st.Resource.Values), st.NotResource.Values...) {
				if rest, ok := strings.CutPrefix(r, "arn:"+arn.PartitionOf(r)+":s3:::"); ok {
					name, _, _ := strings.Cut(rest, "/")
					if name != "" && !strings.ContainsAny(name, "*?$") {
						return name
					}
				}
			}
		}
	}
	return "s3grant-bucket"
}

func unnamedAccount(taken map[string]bool, from int) string {
	for n := from; ; n++ {
		if id := fmt.Sprintf("%012d", n); !taken[id] {
			return id
		}
	}
}

// holderPrincipal is the caller an identity policy under test is attached to.
func (u *universe) holderPrincipal() who {
	return who{
		label:   "the policy's holder (a principal of account " + u.s.OwnerAccount + ")",
		arn:     arn.AssumedRole(u.s.Partition(), u.s.OwnerAccount, "s3grant-holder", checkSession),
		account: u.s.OwnerAccount,
	}
}
