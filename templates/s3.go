package templates

import (
	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// Actions of each access level, split by the resource they apply to.
const (
	ActListBucket        = "s3:ListBucket"
	ActGetBucketLocation = "s3:GetBucketLocation"
	ActGetObject         = "s3:GetObject"
	ActPutObject         = "s3:PutObject"
	ActAbortMultipart    = "s3:AbortMultipartUpload"
	ActKMSDecrypt        = "kms:Decrypt"
	ActKMSGenerateKey    = "kms:GenerateDataKey"
	ActAssumeRole        = "sts:AssumeRole"
)

// ObjectActions are the object-level actions an access level needs.
func ObjectActions(a spec.Access) []string {
	var out []string
	if a.Reads() {
		out = append(out, ActGetObject)
	}
	if a.Writes() {
		out = append(out, ActPutObject, ActAbortMultipart)
	}
	return out
}

// BucketActions are the bucket-level actions an access level needs on a
// bucket ARN (an access point takes ListBucket only).
func BucketActions(a spec.Access) []string {
	if a.Lists() {
		return []string{ActListBucket, ActGetBucketLocation}
	}
	return []string{ActGetBucketLocation}
}

// KMSActions are the key actions an access level needs: Decrypt to read,
// GenerateDataKey and Decrypt to write (multipart uploads decrypt parts).
func KMSActions(a spec.Access) []string {
	switch {
	case a.Writes():
		return []string{ActKMSDecrypt, ActKMSGenerateKey}
	case a.Reads():
		return []string{ActKMSDecrypt}
	}
	return nil
}

// AllowedActions is every action an access level grants.
func AllowedActions(a spec.Access) []string {
	return append(BucketActions(a), ObjectActions(a)...)
}

// s3Target says where the S3 statements point: a bucket or an access point.
type s3Target struct {
	listARN    string   // bucket ARN or access point ARN
	objectARNs []string // one per prefix
	location   bool     // GetBucketLocation applies (bucket ARNs only)
}

func (b *builder) bucketTarget() s3Target {
	t := s3Target{listARN: b.bucketARN(), location: true}
	for _, p := range b.s.PrefixList() {
		t.objectARNs = append(t.objectARNs, b.bucketARN()+"/"+p+"*")
	}
	return t
}

// s3Allows returns the statements that grant the access level on t: List
// (ListBucket narrowed by s3:prefix), Location (never narrowed: it takes no
// prefix) and Objects. principal is nil for identity policies.
func (b *builder) s3Allows(principal *policy.Principal, t s3Target, cond policy.Conditions) []policy.Statement {
	var out []policy.Statement
	allow := func(sid string, actions []string, resources []string, c policy.Conditions) {
		out = append(out, policy.Statement{
			Sid: b.sid(sid), Effect: policy.Allow, Principal: principal,
			Action: strs(actions), Resource: strs(resources), Condition: c,
		})
	}
	if b.s.Access.Lists() {
		c := cloneCond(cond)
		if !b.s.WholeBucket() {
			var pats []string
			for _, p := range b.s.PrefixList() {
				pats = append(pats, p+"*")
			}
			c = c.Add("StringLike", "s3:prefix", policy.CondStrings(pats...))
		}
		allow("List", []string{ActListBucket}, []string{t.listARN}, c)
	}
	if t.location {
		allow("Location", []string{ActGetBucketLocation}, []string{t.listARN}, cloneCond(cond))
	}
	if acts := ObjectActions(b.s.Access); len(acts) > 0 {
		allow("Objects", acts, t.objectARNs, cloneCond(cond))
	}
	return out
}

// denyInsecureTransport is the bucket policy statement that refuses plain
// HTTP for everyone.
func (b *builder) denyInsecureTransport() policy.Statement {
	return policy.Statement{
		Sid: b.sid("DenyInsecureTransport"), Effect: policy.Deny,
		Principal: &policy.Principal{Wildcard: true},
		Action:    policy.One("s3:*"),
		Resource:  policy.List(b.bucketARN(), b.bucketARN()+"/*"),
		Condition: policy.Conditions{}.Add("Bool", "aws:SecureTransport", policy.CondStrings("false")),
	}
}

// bucketPolicyStep writes the owner's bucket policy with the given statements
// (plus the TLS deny unless the user opted out).
func (b *builder) bucketPolicyStep(why string, stmts ...policy.Statement) {
	if b.s.RequireTLS() {
		stmts = append(stmts, b.denyInsecureTransport())
	}
	if len(stmts) == 0 {
		return
	}
	b.add(Step{
		Side: Owner, Account: b.s.OwnerAccount, Operation: OpPutBucketPolicy, Target: b.bucketARN(), Why: why,
		Doc: &Doc{
			Side: Owner, Account: b.s.OwnerAccount, Kind: policy.KindBucketPolicy, Target: b.bucketARN(),
			Statements: stmts,
		},
	})
}

func strs(v []string) policy.Strings {
	if len(v) == 1 {
		return policy.One(v[0])
	}
	return policy.List(v...)
}

func cloneCond(c policy.Conditions) policy.Conditions {
	if c == nil {
		return nil
	}
	return policy.Statement{Condition: c}.Clone().Condition
}
