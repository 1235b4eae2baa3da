package check

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// The classes of principals, access points and resources the proof asks
// about, built from the spec and from the constants of the owner's
// documents.

// who is a class of caller.
type who struct {
	label    string
	arn      string // "" for anonymous
	account  string
	identity []policy.Doc
	// grantee: the spec gives this caller access.
	grantee bool
	// consumer: a principal of a consumer account, whose documents the
	// consumer's administrator writes.
	consumer bool
	// owner: a principal of the owner account other than the plan's role.
	owner bool
	// outsider: anyone (anonymous, or an account no document names).
	outsider bool
}

// everything is the identity policy of a caller whose own administrator
// allows every action on every resource: the consumer's, or any other
// account's, worst case.
var everything = []policy.Doc{{Name: adversaryDoc, Kind: policy.KindIdentityPolicy, Policy: allowEverything(nil)}}

// adversaryDoc names the documents the proof writes for the worst consumer.
const adversaryDoc = "identity policy its own administrator writes (allows everything)"

func allowEverything(principal *policy.Principal) *policy.Policy {
	return &policy.Policy{Version: policy.Version2012, Statement: []policy.Statement{{
		Effect:    policy.Allow,
		Principal: principal, Action: policy.One("*"), Resource: policy.One("*"),
	}}}
}

// principals lists the classes of caller: each named consumer principal,
// another principal and the root of each consumer account, another
// principal of the owner account (holding no identity policy: the owner's
// own IAM is not the grant's), another account, each principal the
// owner's documents name that is none of those, anonymous, and an AWS
// service (each service the documents name, and one they do not).
func (u *universe) principals() []who {
	if u.holder {
		return []who{u.holderPrincipal()}
	}
	s := u.s
	part := s.Partition()
	var out []who
	for _, acct := range s.ConsumerAccounts {
		named := s.PrincipalsIn(acct)
		// ACL grants and a consumer-owned access point go to the account as a
		// whole: which of its principals use them is the consumer's to say.
		wholeAccount := len(named) == 0 || s.APOwnerIsConsumer() || s.Method == spec.MethodACL
		for _, p := range named {
			c := who{
				label: "consumer principal " + p, arn: p, account: acct,
				identity: everything, grantee: true, consumer: true,
			}
			if strings.Contains(p, ":role/") {
				c.arn = policy.RoleSession(p, checkSession)
			}
			out = append(out, c)
		}
		out = append(out,
			who{
				label:   "another principal of consumer account " + acct,
				arn:     arn.AssumedRole(part, acct, "s3grant-not-named", checkSession),
				account: acct, identity: everything, grantee: wholeAccount, consumer: true,
			},
			who{
				label: "the root of consumer account " + acct, arn: s.RootARN(acct),
				account: acct, identity: everything, grantee: wholeAccount, consumer: true,
			})
	}
	other := outsiderAccount(s)
	out = append(out,
		who{
			label:   "a principal of the owner account " + s.OwnerAccount + " (no identity policy)",
			arn:     arn.AssumedRole(part, s.OwnerAccount, "s3grant-owner-other", checkSession),
			account: s.OwnerAccount, owner: true,
		},
		who{
			label:   "a principal of another account " + other,
			arn:     arn.AssumedRole(part, other, "outsider", checkSession),
			account: other, identity: everything, outsider: true,
		})
	out = append(out, u.namedPrincipals(out)...)
	out = append(out, who{label: "anonymous", outsider: true})
	for _, svc := range u.services {
		out = append(out, who{label: "the AWS service " + svc, arn: svc})
	}
	return out
}

// namedPrincipals are the AWS principals the owner's documents name (in
// Principal, or as aws:PrincipalArn/aws:PrincipalAccount constants) that no
// class covers yet: foreign statements may name anyone.
func (u *universe) namedPrincipals(have []who) []who {
	known := maps.Clone(u.skip)
	if known == nil {
		known = map[string]bool{}
	}
	for _, w := range have {
		known[w.account] = true
	}
	var out []who
	for _, v := range u.awsNamed {
		p := policy.ParsePrincipal(v)
		if p.Account == "" || known[p.Account] || p.Account == u.s.OwnerAccount {
			continue
		}
		known[p.Account] = true
		caller := v
		if p.Kind == "role" {
			caller = policy.RoleSession(v, checkSession)
		}
		out = append(out, who{
			label: "a principal the owner's documents name, " + v,
			arn:   caller, account: p.Account, identity: everything,
		})
	}
	return out
}

// path is how a request reaches the bucket: directly, through an access
// point, or by assuming the plan's role first.
type path struct {
	label string
	ap    string         // the access point ARN; "" directly
	apDoc *policy.Policy // its policy
	// consumerAP: the access point belongs to a consumer (or another)
	// account, whose administrator writes its policy.
	consumerAP bool
	planned    bool // the access point the plan creates
	viaRole    bool // assume the plan's role, then call as its session
}

// paths lists the ways in: directly; through the plan's access point; for
// iam-role, through the role; and through an access point the documents
// do not own, in each account their access point conditions name and in
// one they do not. Such an access point's policy allows everyone
// everything (its account's administrator writes it), so its stage admits
// any caller alike and only its ARN and account can matter to the bucket
// policy: one access point per named account, and one in an unnamed
// account, cover every access point anyone may create on the bucket.
func (u *universe) paths() []path {
	if u.holder {
		return []path{{label: "as the policy's holder", viaRole: true}}
	}
	s := u.s
	out := []path{{label: "directly"}}
	if s.Method == spec.MethodIAMRole {
		out = append(out, path{label: "through the role " + s.RoleARN(), viaRole: true})
	}
	if ap := u.planAP; ap != "" {
		p := path{label: "through the plan's access point " + ap, ap: ap, apDoc: u.apPolicies[ap], planned: true}
		if s.APOwnerIsConsumer() {
			p.apDoc, p.consumerAP = allowEverything(&policy.Principal{Wildcard: true}), true
			p.label = "through the consumer's access point " + ap + " (its policy rewritten to allow everyone)"
		}
		out = append(out, p)
	}
	accounts := append(slices.Clone(u.apAccounts), outsiderAccount(s))
	for _, acct := range accounts {
		ap := arn.AccessPoint(s.Partition(), s.Region, acct, "s3grant-other-ap")
		if acct == s.OwnerAccount {
			continue // the owner's other access points are the owner's
		}
		out = append(out, path{
			label: "through an access point account " + acct + " creates on the bucket, allowing everyone", ap: ap,
			apDoc: allowEverything(&policy.Principal{Wildcard: true}), consumerAP: true,
		})
	}
	return out
}

// objectKeys lists the key classes: under each prefix, a sibling of each
// prefix (reports-s3grant/ for reports/), each parent of a nested prefix,
// elsewhere in the bucket, and a key each object pattern of the owner's
// documents matches.
func (u *universe) objectKeys() []string {
	var out []string
	add := func(k string) {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, p := range u.s.PrefixList() {
		add(p + checkKeyName)
		if p == "" {
			continue
		}
		add(sibling(p) + checkKeyName)
		for i := strings.LastIndexByte(strings.TrimSuffix(p, "/"), '/'); i >= 0; i = strings.LastIndexByte(p[:i], '/') {
			add(p[:i+1] + checkKeyName)
		}
	}
	add("s3grant-elsewhere/" + checkKeyName)
	for _, pat := range u.keyPatterns {
		add(policy.Instantiate(pat))
	}
	return u.oneper(out, u.keyPatterns)
}

// oneper keeps one value per cell: two values under the same spec
// prefixes that every pattern matches alike are decided alike.
func (u *universe) oneper(values, patterns []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		var sig strings.Builder
		if v == absent {
			sig.WriteString("absent")
		}
		for _, p := range u.s.PrefixList() {
			fmt.Fprint(&sig, v != absent && strings.HasPrefix(v, p))
		}
		sig.WriteByte('|')
		for _, p := range patterns {
			fmt.Fprint(&sig, v != absent && policy.WildcardMatch(p, v))
		}
		if !seen[sig.String()] {
			seen[sig.String()] = true
			out = append(out, v)
		}
	}
	return out
}

// sibling is a prefix that shares p's text but is not under it:
// reports/ -> reports-s3grant/.
func sibling(p string) string { return strings.TrimSuffix(p, "/") + "-s3grant/" }

// listPrefixes lists the s3:prefix classes for listing: absent, empty,
// each prefix, under each prefix, a sibling of each, elsewhere, and each
// s3:prefix constant of the owner's documents.
func (u *universe) listPrefixes() []string {
	out := []string{absent, "", "s3grant-elsewhere/"}
	add := func(v string) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, p := range u.s.PrefixList() {
		add(p)
		add(p + "s3grant")
		if p != "" {
			add(sibling(p))
		}
	}
	var patterns []string
	if kc := u.consts["s3:prefix"]; kc != nil {
		patterns = kc.Values
		for _, v := range kc.Representatives() {
			add(v)
		}
	}
	return u.oneper(out, patterns)
}

// otherBucket is a bucket of the owner account the grant is not about.
const otherBucket = "s3grant-other-bucket"

// The value classes' two special values (policy/valueclass.go).
const (
	absent     = policy.AbsentValue // the request does not carry the key
	otherValue = policy.OtherValue  // a value no document names
)
