package policy

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// The differential test's case generator: random but seeded (so every run
// and every disagreement is reproducible), drawing requests, statements and
// conditions from pools that cover the evaluator's rules.

const (
	genA   = "111122223333"
	genB   = "222233334444"
	genC   = "333344445555"
	genAP  = "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap"
	genKey = "arn:aws:kms:eu-west-1:111122223333:key/k1"
)

// family is one kind of request with the pools its statements draw from.
type family struct {
	name      string
	actions   []string // requested actions
	resources []string // requested resources
	account   string   // resource owner
	kind      Kind     // resource policy kind
	actPool   []string
	resPool   []string // "" means: no Resource element (trust policies)
	condPool  []genCond
}

type genCond struct{ op, key, val string }

var genPrincipals = []string{
	"arn:aws:iam::222233334444:role/analytics", "arn:aws:sts::222233334444:assumed-role/analytics/s1",
	"arn:aws:iam::222233334444:user/etl", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:user/alice",
	"arn:aws:sts::111122223333:assumed-role/app/s2", "arn:aws:iam::333344445555:role/other",
}

var genPrincipalValues = []string{
	"*", genB, "arn:aws:iam::222233334444:root", "arn:aws:iam::222233334444:role/analytics",
	"arn:aws:sts::222233334444:assumed-role/analytics/s1", "arn:aws:iam::222233334444:user/etl", genA,
	"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:user/alice",
	"arn:aws:iam::333344445555:root",
}

var globalConds = []genCond{
	{"Bool", "aws:SecureTransport", "false"},
	{"Bool", "aws:SecureTransport", "true"},
	{"IpAddress", "aws:SourceIp", "203.0.113.0/24"},
	{"NotIpAddress", "aws:SourceIp", "203.0.113.0/24"},
	{"StringEquals", "aws:PrincipalOrgID", "o-aaaaaaaaaa"},
	{"StringNotEquals", "aws:PrincipalOrgID", "o-aaaaaaaaaa"},
	{"StringEqualsIfExists", "aws:PrincipalOrgID", "o-aaaaaaaaaa"},
	{"StringNotEqualsIfExists", "aws:PrincipalOrgID", "o-bbbbbbbbbb"},
	{"Null", "aws:PrincipalOrgID", "true"},
	{"Null", "aws:PrincipalOrgID", "false"},
	{"ArnLike", "aws:PrincipalArn", "arn:aws:iam::222233334444:role/*"},
	{"ArnEquals", "aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice"},
	{"ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::*:user/*"},
	{"StringEquals", "aws:PrincipalAccount", genB},
	{"StringLike", "aws:PrincipalArn", "arn:aws:iam::*:user/${aws:username}"},
	{"StringNotLike", "aws:PrincipalArn", "arn:aws:iam::*:user/${aws:username}"},
	{"StringEqualsIgnoreCase", "aws:PrincipalType", "user"},
	{"DateLessThan", "aws:CurrentTime", "2026-01-01T00:00:00Z"},
	{"DateGreaterThanEquals", "aws:CurrentTime", "2026-01-01T00:00:00Z"},
	{"ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-aaaaaaaaaa/r-ab12/ou-ab12-1/*"},
	{"ForAllValues:StringLike", "aws:PrincipalOrgPaths", "o-aaaaaaaaaa/*"},
	{"Bool", "AWS:securetransport", "false"},
	{"BoolIfExists", "aws:MultiFactorAuthPresent", "false"},
	{"IpAddress", "aws:SourceIp", "198.51.100.9"},
	{"DateLessThan", "aws:CurrentTime", "1767225600"},
	{"StringEqualsIgnoreCase", "aws:PrincipalOrgID", "O-AAAAAAAAAA"},
	{"Null", "aws:MultiFactorAuthPresent", "true"},
}

func s3Conds(extra ...genCond) []genCond {
	return append(append([]genCond{{"StringEquals", "s3:ResourceAccount", genA}, {"StringNotEquals", "s3:ResourceAccount", genA}}, globalConds...), extra...)
}

func families() []family {
	objRes := []string{
		"arn:aws:s3:::b/*", "arn:aws:s3:::b/reports/*", "arn:aws:s3:::b/private/*", "arn:aws:s3:::b", "*",
		"arn:aws:s3:::b/Reports/*", "arn:aws:s3:::b/reports/q?.csv", "arn:aws:s3:::b/home/${aws:username}/*", "arn:aws:s3:::other/*", "arn:aws:s3:::b*",
	}
	apRes := []string{
		genAP + "/object/*", genAP + "/object/reports/*", genAP, "arn:aws:s3:*:111122223333:accesspoint/*", "*",
		"arn:aws:s3:eu-west-1:111122223333:accesspoint/other/object/*", genAP + "/object/reports/${aws:username, 'q1.csv'}",
	}
	return []family{
		{
			name: "s3-object", actions: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
			resources: []string{"arn:aws:s3:::b/reports/q1.csv", "arn:aws:s3:::b/private/x.txt", "arn:aws:s3:::b/home/etl/notes.txt"},
			account:   genA, kind: KindBucketPolicy,
			actPool: []string{"s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*", "*", "S3:GETOBJECT", "s3:?utObject", "s3:Delete*", "ec2:*", "s3:List*"},
			resPool: objRes, condPool: s3Conds(),
		},
		{
			name: "s3-list", actions: []string{"s3:ListBucket"}, resources: []string{"arn:aws:s3:::b"}, account: genA, kind: KindBucketPolicy,
			actPool: []string{"s3:ListBucket", "s3:List*", "s3:*", "*", "s3:listbucket", "s3:GetObject"},
			resPool: []string{"arn:aws:s3:::b", "arn:aws:s3:::b/*", "*", "arn:aws:s3:::b?", "arn:aws:s3:::c", "arn:aws:s3:::?"},
			condPool: s3Conds(genCond{"StringLike", "s3:prefix", "reports/*"}, genCond{"StringNotLike", "s3:prefix", "private/*"},
				genCond{"StringEquals", "s3:prefix", "reports/"}, genCond{"NumericLessThanEquals", "s3:max-keys", "100"},
				genCond{"NumericGreaterThan", "s3:max-keys", "10"}),
		},
		{
			name: "sts-trust", actions: []string{"sts:AssumeRole"}, resources: []string{"arn:aws:iam::111122223333:role/app"}, account: genA, kind: KindTrustPolicy,
			actPool:  []string{"sts:AssumeRole", "sts:*", "sts:Assume*", "*", "sts:TagSession"},
			resPool:  []string{"arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/*", "*", "arn:aws:iam::111122223333:role/other"},
			condPool: append([]genCond{{"StringEquals", "sts:ExternalId", "partner-1"}, {"StringNotEquals", "sts:ExternalId", "partner-1"}}, globalConds...),
		},
		{
			name: "kms-key", actions: []string{"kms:Decrypt"}, resources: []string{genKey}, account: genA, kind: KindKeyPolicy,
			actPool:  []string{"kms:Decrypt", "kms:*", "kms:Encrypt", "*", "kms:De*"},
			resPool:  []string{genKey, "arn:aws:kms:*:111122223333:key/*", "*", "arn:aws:kms:eu-west-1:111122223333:key/k2"},
			condPool: append([]genCond{{"StringEquals", "kms:ViaService", "s3.eu-west-1.amazonaws.com"}, {"StringEquals", "kms:CallerAccount", genB}}, globalConds...),
		},
		{
			name: "access-point", actions: []string{"s3:GetObject", "s3:PutObject"}, resources: []string{genAP + "/object/reports/q1.csv", genAP + "/object/private/x.txt"},
			account: genA, kind: KindAccessPointPolicy,
			actPool: []string{"s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*", "*"}, resPool: apRes, condPool: s3Conds(),
		},
	}
}

// genStatement draws one statement; resource says whether it belongs to a
// resource policy (and so carries a principal).
func genStatement(r *rand.Rand, f family, resource bool, i int) map[string]any {
	s := map[string]any{"Effect": "Allow"}
	if r.IntN(4) == 0 {
		s["Effect"] = "Deny"
	}
	if r.IntN(3) == 0 {
		s["Sid"] = fmt.Sprintf("S%d", i)
	}
	key := "Action"
	if r.IntN(10) == 0 {
		key = "NotAction"
	}
	s[key] = pickSome(r, f.actPool)
	// Trust policies carry no Resource.
	if f.kind == KindKeyPolicy && resource {
		s["Resource"] = "*"
	} else {
		key = "Resource"
		if r.IntN(10) == 0 {
			key = "NotResource"
		}
		s[key] = pickSome(r, f.resPool)
	}
	if resource {
		s["Principal"] = genPrincipal(r)
		if s["Effect"] == "Deny" && r.IntN(8) == 0 {
			delete(s, "Principal")
			s["NotPrincipal"] = map[string]any{"AWS": pickSome(r, genPrincipalValues[1:])}
		}
	}
	if r.IntN(5) < 2 {
		cond := map[string]map[string]any{}
		for n := 1 + r.IntN(2); n > 0; n-- {
			c := f.condPool[r.IntN(len(f.condPool))]
			if cond[c.op] == nil {
				cond[c.op] = map[string]any{}
			}
			cond[c.op][c.key] = c.val
		}
		s["Condition"] = cond
	}
	return s
}

func genPrincipal(r *rand.Rand) any {
	if r.IntN(10) == 0 {
		return "*"
	}
	return map[string]any{"AWS": pickSome(r, genPrincipalValues)}
}

// pickSome returns one value (as a bare string) or two (as a list).
func pickSome(r *rand.Rand, pool []string) any {
	if r.IntN(3) > 0 {
		return pool[r.IntN(len(pool))]
	}
	a, b := pool[r.IntN(len(pool))], pool[r.IntN(len(pool))]
	return []string{a, b}
}

func genPolicy(r *rand.Rand, f family, resource bool, most int) json.RawMessage {
	var stmts []map[string]any
	for i, n := 0, 1+r.IntN(most); i < n; i++ {
		stmts = append(stmts, genStatement(r, f, resource, i))
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return b
}

// genContext draws the request's context with canonical key names: the
// keys the request implies (as ImpliedContext fills them) plus a random
// network, organization and time, and the family's own keys.
func genContext(r *rand.Rand, f family, principal, resourceAccount string) map[string]any {
	p := ParsePrincipal(principal)
	ctx := map[string]any{
		"aws:SecureTransport": []string{"true", "false"}[r.IntN(2)],
		"aws:SourceIp":        []string{"203.0.113.7", "198.51.100.9"}[r.IntN(2)],
		"aws:CurrentTime":     []string{"2025-06-01T00:00:00Z", "2026-06-01T00:00:00Z"}[r.IntN(2)],
		"aws:ResourceAccount": resourceAccount, "aws:PrincipalAccount": p.Account,
	}
	implied := ImpliedContext(Request{Principal: principal})
	for _, k := range []string{"aws:PrincipalArn", "aws:PrincipalType", "aws:username"} {
		if v, ok := implied.Get(k); ok {
			ctx[k] = v[0]
		}
	}
	switch r.IntN(4) {
	case 0, 1:
		ctx["aws:PrincipalOrgID"] = "o-aaaaaaaaaa"
		ctx["aws:PrincipalOrgPaths"] = []string{"o-aaaaaaaaaa/r-ab12/ou-ab12-1/"}
	case 2:
		ctx["aws:PrincipalOrgID"] = "o-bbbbbbbbbb"
		ctx["aws:PrincipalOrgPaths"] = []string{"o-bbbbbbbbbb/r-cd34/ou-cd34-1/", "o-aaaaaaaaaa/r-ab12/"}
	}
	switch {
	case strings.HasPrefix(f.name, "s3") || f.name == "access-point":
		ctx["s3:ResourceAccount"] = genA
	case f.name == "sts-trust" && r.IntN(2) == 0:
		ctx["sts:ExternalId"] = "partner-1"
	case f.name == "kms-key":
		ctx["kms:CallerAccount"] = p.Account
		if r.IntN(3) > 0 {
			ctx["kms:ViaService"] = "s3.eu-west-1.amazonaws.com"
		}
	}
	if f.name == "s3-list" {
		ctx["s3:prefix"] = []string{"reports/", "private/", "reports/2024/"}[r.IntN(3)]
		ctx["s3:max-keys"] = []string{"50", "1000"}[r.IntN(2)]
	}
	return ctx
}
