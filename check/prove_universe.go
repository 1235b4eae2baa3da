package check

import (
	"slices"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// universe is what the proof ranges over: the owner's documents (the only
// ones that may hold a line), and the constants they compare against.
type universe struct {
	s          spec.Spec
	w          *world
	sidPrefix  string
	planAP     string
	apPolicies map[string]*policy.Policy // owner-owned access points only
	aclGrants  []policy.Grant            // the ACL grants s3grant adds
	ownerDocs  []*policy.Policy
	consts     policy.ConditionConstants
	// services and awsNamed are the principals the owner's documents name.
	services    []string
	awsNamed    []string
	keyPatterns []string // object key patterns of the owner's documents
	apAccounts  []string // accounts the documents' access point conditions name
	buckets     []string // buckets other than the spec's the documents name
	roleDocs    []policy.Doc
	// holder: the documents are one identity policy, held by a principal
	// of the bucket's account (standalone policy checks).
	holder  bool
	assumed map[[2]int]policy.Result // AssumeRole, by caller and context combination
	// skip: accounts whose principals, named by statements the plan does
	// not own, need no class of their own (a grants plan's other grants'
	// consumers: what those statements give them is the other grants' to
	// prove; the plan's own statements reaching them is what "a principal
	// of another account", allowed everything, already asks).
	skip map[string]bool
	// compiled: the documents compiled for the proof's loop (prove_fast.go).
	compiled compiled
}

func newUniverse(p *plan.Plan, facts plan.Facts) *universe {
	w := newWorld(p, facts)
	u := &universe{
		s: p.Spec, w: w, sidPrefix: p.SidPrefix, planAP: w.accessPointARN(),
		apPolicies: map[string]*policy.Policy{}, consts: policy.ConditionConstants{},
	}
	for _, d := range p.Documents {
		if d.AccountID != p.Spec.OwnerAccount {
			continue // the consumer's: its administrator rewrites them at will
		}
		switch d.Kind {
		case policy.KindBucketACL:
			u.aclGrants = d.ACLGrants
		case policy.KindAccessPointPolicy:
			u.apPolicies[d.Target] = d.Policy
			u.ownerDocs = append(u.ownerDocs, d.Policy)
		default:
			u.ownerDocs = append(u.ownerDocs, d.Policy)
		}
	}
	if p.Spec.Method == spec.MethodIAMRole {
		u.roleDocs = w.identity[w.roleARN()]
	}
	for _, d := range u.ownerDocs {
		u.consts.AddPolicy(d)
		u.collectNames(d)
	}
	return u
}

// collectNames gathers the principals and object patterns a document names.
func (u *universe) collectNames(p *policy.Policy) {
	if p == nil {
		return
	}
	add := func(list *[]string, v string) {
		if !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	objects := u.s.BucketARN() + "/"
	for _, st := range p.Statement {
		for _, pr := range []*policy.Principal{st.Principal, st.NotPrincipal} {
			for _, v := range pr.Values("Service") {
				add(&u.services, v)
			}
			for _, v := range pr.Values("AWS") {
				if v != "*" {
					add(&u.awsNamed, v)
				}
			}
		}
		for _, r := range append(slices.Clone(st.Resource.Values), st.NotResource.Values...) {
			if k, ok := strings.CutPrefix(r, objects); ok {
				add(&u.keyPatterns, k)
			} else if _, k, ok := strings.Cut(r, ":accesspoint/"); ok {
				if _, k, ok := strings.Cut(k, "/object/"); ok {
					add(&u.keyPatterns, k)
				}
			} else if _, rest, ok := strings.Cut(r, ":s3:::"); ok {
				b, k, hasKey := strings.Cut(rest, "/")
				if hasKey {
					add(&u.keyPatterns, k) // a pattern over several buckets
				}
				if b = policy.Instantiate(b); b != u.s.Bucket && b != "" {
					add(&u.buckets, b)
				}
			}
		}
	}
	for _, k := range []string{"s3:dataaccesspointarn", "s3:dataaccesspointaccount"} {
		if kc := u.consts[k]; kc != nil {
			for _, v := range kc.Values {
				if acct := policy.ParsePrincipal(policy.Instantiate(v)).Account; acct != "" {
					add(&u.apAccounts, acct)
				} else if policy.IsAccountID(v) {
					add(&u.apAccounts, v)
				}
			}
		}
	}
	for _, k := range []string{"aws:principalarn", "aws:principalaccount"} {
		if kc := u.consts[k]; kc != nil {
			for _, v := range kc.Values {
				add(&u.awsNamed, policy.Instantiate(v))
			}
		}
	}
	if !slices.Contains(u.services, "s3grant-check.amazonaws.com") {
		u.services = append(u.services, "s3grant-check.amazonaws.com") // a service no document names
	}
}

// freeKeys returns the condition keys a caller chooses (or that describe
// it, like its organization), sorted, with their value classes; TLS is
// always among them.
func (u *universe) freeKeys() ([]string, map[string][]string) {
	classes := map[string][]string{"aws:securetransport": {"true", "false"}}
	for k, kc := range u.consts {
		if policy.DerivedKey(k) {
			continue
		}
		classes[k] = kc.Representatives()
	}
	if u.s.Method == spec.MethodIAMRole && u.s.ExternalID != "" && classes["sts:externalid"] == nil {
		classes["sts:externalid"] = []string{u.s.ExternalID, otherValue, absent}
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, classes
}

// actionClass is a set of S3 actions every owner document treats alike.
type actionClass struct {
	rep     policy.S3Action
	members []policy.S3Action
}

// actionClasses groups the catalogue: two actions with the same resource
// types, the same evaluator traits, the same supported free keys, the same
// standing in the spec, that every statement of every owner document
// matches alike, are decided alike for every principal, resource and
// context, so the first of each class stands for all.
func (u *universe) actionClasses() []actionClass {
	var stmts []policy.Statement
	for _, d := range u.ownerDocs {
		if d != nil {
			stmts = append(stmts, d.Statement...)
		}
	}
	freeKeys, _ := u.freeKeys()
	allowed := allowedActions(u.s)
	index := map[string]int{}
	var out []actionClass
	for _, a := range policy.S3Actions() {
		var sig strings.Builder
		sig.WriteString(strings.Join(a.Resources, ",") + "|" + policy.S3ActionTraits(a.IAMName()))
		for _, k := range append(freeKeys, "s3:prefix") {
			if strings.HasPrefix(k, "s3:") && a.Supports(k) {
				sig.WriteString("|" + k)
			}
		}
		if slices.ContainsFunc(allowed, func(x string) bool { return strings.EqualFold(x, a.IAMName()) }) {
			sig.WriteString("|granted:" + a.Name)
		}
		sig.WriteByte('|')
		for _, st := range stmts {
			if policy.ActionMatches(st, a.IAMName()) {
				sig.WriteByte('1')
			} else {
				sig.WriteByte('0')
			}
		}
		if i, ok := index[sig.String()]; ok {
			out[i].members = append(out[i].members, a)
			continue
		}
		index[sig.String()] = len(out)
		out = append(out, actionClass{rep: a, members: []policy.S3Action{a}})
	}
	return out
}

// requestsFor lists the resource classes of an action by the resource types
// it takes.
func (u *universe) requestsFor(a policy.S3Action, keys, prefixes []string) []proofReq {
	var out []proofReq
	if a.Takes(policy.S3ResObject) || a.Takes(policy.S3ResAccessPointObject) {
		for _, b := range u.bucketList() {
			for _, k := range keys {
				out = append(out, proofReq{kind: policy.S3ResObject, bucket: b, key: k, prefix: absent})
			}
		}
	}
	if a.Takes(policy.S3ResBucket) {
		ps := []string{absent}
		if a.Supports("s3:prefix") {
			ps = prefixes
		}
		for _, p := range ps {
			out = append(out, proofReq{kind: policy.S3ResBucket, bucket: u.s.Bucket, prefix: p})
		}
		for _, b := range u.bucketList()[1:] {
			out = append(out, proofReq{kind: policy.S3ResBucket, bucket: b, prefix: absent})
		}
	}
	if a.Takes(policy.S3ResAccessPoint) && !a.Takes(policy.S3ResBucket) && u.planAP != "" {
		out = append(out, proofReq{kind: policy.S3ResAccessPoint, arn: u.planAP, prefix: absent})
	}
	for _, rt := range a.Resources {
		switch rt {
		case policy.S3ResObject, policy.S3ResAccessPointObject, policy.S3ResBucket, policy.S3ResAccessPoint:
		default:
			resource := "arn:" + u.s.Partition() + ":s3:" + u.s.Region + ":" + u.s.OwnerAccount + ":" +
				rt + "/s3grant-check"
			out = append(out, proofReq{kind: "other", arn: resource, prefix: absent})
		}
	}
	if len(a.Resources) == 0 {
		out = append(out, proofReq{kind: "other", arn: "*", prefix: absent})
	}
	return out
}

// applies reports whether a request class exists: access points only serve
// their own bucket and the actions that take them; anonymous callers cannot
// assume a role; requests on the owner's other resources (jobs, Storage
// Lens, ...) have no resource policy, so only the plan's role can reach
// them; the plan's own access point is managed by its owner.
func (u *universe) applies(a policy.S3Action, req proofReq, w who, pa path) bool {
	if pa.viaRole && w.arn == "" {
		return false
	}
	switch req.kind {
	case policy.S3ResObject, policy.S3ResBucket:
		if pa.ap == "" {
			return true
		}
		apType := policy.S3ResAccessPointObject
		if req.kind == policy.S3ResBucket {
			apType = policy.S3ResAccessPoint
		}
		return req.bucket == u.s.Bucket && a.Takes(apType)
	case policy.S3ResAccessPoint:
		return pa.planned && !pa.consumerAP
	}
	return pa.viaRole
}

// bucketList is the spec's bucket, each other bucket the documents name,
// and one they do not.
func (u *universe) bucketList() []string {
	return append(append([]string{u.s.Bucket}, u.buckets...), otherBucket)
}
