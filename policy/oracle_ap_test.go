package policy

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/internal/oracle"
)

const genAPB = "arn:aws:s3:eu-west-1:222233334444:accesspoint/ap"

// delegations are bucket policy statements that hand access control to
// access points, the shapes AWS documents (Principal "*" bound by
// s3:DataAccessPointAccount or s3:DataAccessPointArn), plus a TLS deny.
var delegations = []string{
	`{"Sid":"DelegateA","Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`,
	`{"Sid":"DelegateB","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:DataAccessPointAccount":"222233334444"}}}`,
	`{"Sid":"DelegateArn","Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/reports/*","Condition":{"StringEquals":{"s3:DataAccessPointArn":"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap"}}}`,
	`{"Sid":"DelegateArnB","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:DataAccessPointArn":"arn:aws:s3:eu-west-1:222233334444:accesspoint/ap"}}}`,
	`{"Sid":"DelegateLike","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:Get*","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:eu-west-1:111122223333:accesspoint/*"}}}`,
	`{"Sid":"OnlyViaAP","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`,
	`{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
}

// genBucketPolicy mixes delegation statements with random ones.
func genBucketPolicy(r *rand.Rand, f family) json.RawMessage {
	var stmts []json.RawMessage
	for n := 1 + r.IntN(3); n > 0; n-- {
		if r.IntN(3) > 0 {
			stmts = append(stmts, json.RawMessage(delegations[r.IntN(len(delegations))]))
			continue
		}
		b, _ := json.Marshal(genStatement(r, f, true, n))
		stmts = append(stmts, b)
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return b
}

// generateAccessPointCases draws two kinds of cases: the bucket half of an
// access point request alone (through the oracle's core engine, which keeps
// the s3:DataAccessPoint* keys on object ARNs), and whole access point
// requests, which the oracle decides stage by stage (identity + access point
// policy, then the bucket policy with the identity side taken as allowed)
// while s3grant's AuthorizeS3 decides them at once.
func generateAccessPointCases(r *rand.Rand, id *int, n int) []*oracleCase {
	fams := families()
	obj, ap := fams[0], fams[4]
	var out []*oracleCase
	for i := 0; i < n; i++ {
		*id++
		principal := genPrincipals[r.IntN(len(genPrincipals))]
		apARN := []string{genAP, genAPB}[r.IntN(2)]
		c := &oracleCase{
			Case: oracle.Case{
				ID: *id, Engine: oracle.EngineCore, Principal: principal,
				Action: []string{"s3:GetObject", "s3:PutObject"}[r.IntN(2)], Resource: "arn:aws:s3:::b/reports/q1.csv", AccountID: genA,
			},
			family: "bucket-via-access-point", kind: KindBucketPolicy,
		}
		c.Context = genContext(r, obj, principal, genA)
		c.Context["s3:DataAccessPointArn"] = apARN
		c.Context["s3:DataAccessPointAccount"] = ParsePrincipal(apARN).Account
		c.IdentityPolicies = []json.RawMessage{genPolicy(r, obj, false, 2)}
		c.ResourcePolicy = genBucketPolicy(r, obj)
		c.decide = c.decideSingle
		out = append(out, c)
	}
	for i := 0; i < n; i++ {
		out = append(out, composedAccessPointCase(r, id, obj, ap))
	}
	return out
}

func composedAccessPointCase(r *rand.Rand, id *int, obj, ap family) *oracleCase {
	*id++
	principal := genPrincipals[r.IntN(len(genPrincipals))]
	apARN, apAccount := genAP, genA
	owned := func(raw json.RawMessage) json.RawMessage { return raw }
	if r.IntN(3) == 0 { // a cross-account access point, owned by B
		apARN, apAccount = genAPB, genB
		owned = func(raw json.RawMessage) json.RawMessage {
			return json.RawMessage(strings.ReplaceAll(string(raw), "111122223333:accesspoint", "222233334444:accesspoint"))
		}
	}
	key := []string{"reports/q1.csv", "private/x.txt"}[r.IntN(2)]
	action := []string{"s3:GetObject", "s3:PutObject"}[r.IntN(2)]
	ctx := genContext(r, ap, principal, apAccount)
	ctx["s3:DataAccessPointArn"] = apARN
	ctx["s3:DataAccessPointAccount"] = apAccount
	ctx["s3:AccessPointNetworkOrigin"] = "Internet"
	identity := []json.RawMessage{owned(genPolicy(r, ap, false, 2))}
	apPolicy := owned(genPolicy(r, ap, true, 2))
	bucketPolicy := genBucketPolicy(r, obj)
	stage1 := &oracleCase{Case: oracle.Case{
		ID: *id*1000 + 1, Engine: oracle.EngineSimulate, Principal: principal, Action: action, Resource: apARN + "/object/" + key,
		AccountID: apAccount, Context: ctx, IdentityPolicies: identity, ResourcePolicy: apPolicy,
	}}
	bucketCtx := map[string]any{}
	for k, v := range ctx {
		bucketCtx[k] = v
	}
	bucketCtx["aws:ResourceAccount"] = genA
	stage2 := &oracleCase{Case: oracle.Case{
		ID: *id*1000 + 2, Engine: oracle.EngineCore, Principal: principal, Action: action, Resource: "arn:aws:s3:::b/" + key,
		AccountID: genA, Context: bucketCtx, IdentityPolicies: []json.RawMessage{json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)},
		ResourcePolicy: bucketPolicy,
	}}
	c := &oracleCase{Case: oracle.Case{
		ID: *id, Principal: principal, Action: action, Resource: apARN + "/object/" + key,
		AccountID: apAccount, Context: ctx, IdentityPolicies: identity, ResourcePolicy: apPolicy,
	}, family: "access-point-request", stages: []*oracleCase{stage1, stage2}}
	c.decide = func(t testing.TB) Decision {
		req := S3Request{Principal: principal, Action: action, Bucket: "b", Key: key, BucketAccount: genA, AccessPoint: apARN, Context: goContext(ctx)}
		set := S3Setup{Identity: docsOf(t, identity, KindIdentityPolicy), AccessPointPolicy: mustParse(t, string(apPolicy)), BucketPolicy: mustParse(t, string(bucketPolicy))}
		return AuthorizeS3(req, set).Decision
	}
	return c
}
