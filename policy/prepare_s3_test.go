package policy

import (
	"fmt"
	"strings"
	"testing"
)

// TestPreparedS3MatchesAuthorizeS3: the compiled S3 decision is
// AuthorizeS3's on the generated requests (direct object and list
// requests, whole access point requests), each also with ACLs enabled (a
// bucket ACL, an object another account wrote), Block Public Access, an
// SSE-KMS key (customer managed with a generated key policy, AWS managed,
// an alias), and anonymous and service callers.
func TestPreparedS3MatchesAuthorizeS3(t *testing.T) {
	seen := map[Decision]int{}
	n := 0
	for seed := uint64(1); seed <= 4; seed++ {
		cases := generateCases(seed, 60)
		var keyPolicies []*Policy
		for _, c := range cases {
			if c.family == "kms-key" && len(c.ResourcePolicy) > 0 && string(c.ResourcePolicy) != "null" {
				keyPolicies = append(keyPolicies, mustParse(t, string(c.ResourcePolicy)))
			}
		}
		for i, c := range cases {
			req, set, ok := s3Of(t, c)
			if !ok {
				continue
			}
			for name, v := range s3Variants(req, set, keyPolicies[i%len(keyPolicies)]) {
				res := AuthorizeS3(v.req, v.set)
				want := res.Decision
				got, near := PrepareS3(v.set).DecideNear(v.req)
				seen[want]++
				if near {
					seen["near"]++
				}
				n++
				if got != want || near != res.NearMiss() {
					t.Fatalf("seed %d case %d (%s, %s): Decide %s (near miss %v), AuthorizeS3 %s (%v)\nrequest %+v\nreasons:\n%s",
						seed, c.ID, c.family, name, got, near, want, res.NearMiss(), v.req, reasonText(res))
				}
			}
		}
	}
	for _, d := range []Decision{Allowed, ExplicitlyDenied, ImplicitlyDenied, "near"} {
		if seen[d] < 100 {
			t.Errorf("only %d of %d requests decided %s: the comparison does not cover it", seen[d], n, d)
		}
	}
}

// s3Of reads a generated case as an S3 request: the object and list
// families directly on bucket b, the composed access point requests
// through their access point.
func s3Of(t *testing.T, c *oracleCase) (S3Request, S3Setup, bool) {
	ctx := goContext(c.Context)
	identity := docsOf(t, c.IdentityPolicies, KindIdentityPolicy)
	var policy *Policy
	if len(c.ResourcePolicy) > 0 && string(c.ResourcePolicy) != "null" {
		policy = mustParse(t, string(c.ResourcePolicy))
	}
	switch {
	case c.stages != nil:
		apARN := c.Resource[:strings.Index(c.Resource, "/object/")]
		req := S3Request{Principal: c.Principal, Action: c.Action, Bucket: "b", Key: strings.TrimPrefix(c.Resource, apARN+"/object/"), BucketAccount: genA, AccessPoint: apARN, Context: ctx}
		return req, S3Setup{Identity: identity, AccessPointPolicy: policy, BucketPolicy: mustParse(t, string(c.stages[1].ResourcePolicy))}, true
	case strings.HasPrefix(c.Resource, "arn:aws:s3:::b"):
		bucket, key, _ := strings.Cut(strings.TrimPrefix(c.Resource, "arn:aws:s3:::"), "/")
		req := S3Request{Principal: c.Principal, Action: c.Action, Bucket: bucket, Key: key, BucketAccount: c.AccountID, Context: ctx}
		return req, S3Setup{Identity: identity, BucketPolicy: policy}, true
	}
	return S3Request{}, S3Setup{}, false
}

type s3Variant struct {
	req S3Request
	set S3Setup
}

func s3Variants(req S3Request, set S3Setup, keyPolicy *Policy) map[string]s3Variant {
	out := map[string]s3Variant{"as generated": {req, set}}
	if ParsePrincipal(req.Principal).Account == genB {
		req.CanonicalID = canonB
	}
	grants := []*ACL{
		{Grants: []Grant{{Type: GranteeCanonicalUser, ID: canonB, Permission: PermRead}, {Type: GranteeCanonicalUser, ID: canonB, Permission: PermWrite}}},
		{Grants: []Grant{{Type: GranteeGroup, URI: GroupAllUsers, Permission: PermRead}}},
		{Grants: []Grant{{Type: GranteeGroup, URI: GroupAuthenticatedUsers, Permission: PermFullControl}}},
	}
	for i, acl := range grants {
		s := set
		s.ObjectOwnership, s.BucketACL, s.ObjectACL = OwnershipObjectWriter, acl, grants[(i+1)%len(grants)]
		out[fmt.Sprintf("bucket ACL %d", i)] = s3Variant{req, s}
		s.ObjectWriter = genB
		out[fmt.Sprintf("object written by B, ACL %d", i)] = s3Variant{req, s}
		s.BPA = BlockPublicAccess{IgnorePublicAcls: true, RestrictPublicBuckets: true}
		out[fmt.Sprintf("object written by B, ACL %d, BPA", i)] = s3Variant{req, s}
	}
	s := set
	s.BPA.RestrictPublicBuckets = true
	out["restrict public buckets"] = s3Variant{req, s}
	for name, key := range map[string]*KeySetup{
		"customer key": {ARN: genKey, Policy: keyPolicy},
		"AWS-managed":  {ARN: genKey, AWSManaged: true},
		"alias":        {ARN: "arn:aws:kms:eu-west-1:111122223333:alias/k", Policy: keyPolicy},
	} {
		s := set
		s.Key = key
		out[name] = s3Variant{req, s}
	}
	for name, p := range map[string]string{"anonymous": "", "service": "logging.s3.amazonaws.com"} {
		r := req
		r.Principal = p
		out[name] = s3Variant{r, set}
		s := set
		s.ObjectOwnership, s.BucketACL = OwnershipBucketOwnerPreferred, grants[1]
		out[name+" with a public ACL"] = s3Variant{r, s}
	}
	return out
}

// TestPreparedS3Defaults: the context keys AuthorizeS3 adds to every stage
// (and the key stage's own) are the view's, value for value, when the
// request's context lacks them.
func TestPreparedS3Defaults(t *testing.T) {
	keys := map[string]string{
		"s3:ResourceAccount": acctA, "s3:DataAccessPointArn": apA, "s3:DataAccessPointAccount": acctA,
		"s3:AccessPointNetworkOrigin": "Internet", "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:CallerAccount": acctB,
	}
	allowAll := mustParse(t, stmts(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`))
	for key, val := range keys {
		for _, v := range []string{val, "other"} {
			cond := mustParse(t, stmts(fmt.Sprintf(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{%q:%q}}}`, key, v)))
			req := via(getReport(roleB), apA)
			set := S3Setup{Identity: []Doc{{Name: "id", Policy: allowAll}}, AccessPointPolicy: allowAll, BucketPolicy: allowAll, Key: &KeySetup{ARN: keyARN, Policy: allowAll}}
			switch {
			case strings.HasPrefix(key, "kms:"):
				set.Key.Policy = cond
			default:
				set.BucketPolicy = cond
			}
			want := AuthorizeS3(req, set).Decision
			if got := PrepareS3(set).Decide(req); got != want || (v == val) != (want == Allowed) {
				t.Errorf("%s = %s: Decide %s, AuthorizeS3 %s", key, v, got, want)
			}
		}
	}
}
