// Package templates builds every policy document a method needs, for both
// accounts, from a validated spec. One file per method; this file holds what
// they share. The documents hold only s3grant's own statements: merging with
// what already exists is the plan's job.
package templates

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// Side is the account a step or document belongs to.
type Side string

// The two sides.
const (
	Owner    Side = "owner"
	Consumer Side = "consumer"
)

// Operation is the AWS call a step makes, named as IAM names its action.
type Operation string

// AWS operations the steps name.
const (
	OpPutBucketPolicy      Operation = "s3:PutBucketPolicy"
	OpPutBucketACL         Operation = "s3:PutBucketAcl"
	OpCreateRole           Operation = "iam:CreateRole"
	OpPutRolePolicy        Operation = "iam:PutRolePolicy"
	OpPutUserPolicy        Operation = "iam:PutUserPolicy"
	OpCreatePolicy         Operation = "iam:CreatePolicy"
	OpCreateAccessPoint    Operation = "s3control:CreateAccessPoint"
	OpPutAccessPointPolicy Operation = "s3control:PutAccessPointPolicy"
	OpPutKeyPolicy         Operation = "kms:PutKeyPolicy"
)

// Doc is one document of the plan, holding only s3grant's part of it.
type Doc struct {
	Side       Side
	Account    string
	Kind       policy.Kind
	Target     string // ARN of the bucket, role, access point, key or principal it is attached to
	Name       string // policy name for identity policies; "default" for key policies
	Managed    bool   // a managed identity policy (iam:CreatePolicy) rather than an inline one
	Statements []policy.Statement
	ACLGrants  []policy.Grant // for bucket-acl documents
}

// SizeKind is the kind whose size limit applies to the document.
func (d *Doc) SizeKind() policy.Kind {
	if d.Managed {
		return policy.KindManagedPolicy
	}
	return d.Kind
}

// Step is one AWS write, in the order the method needs.
type Step struct {
	Side      Side
	Account   string
	Operation Operation
	Target    string
	Doc       *Doc              // nil for steps that create a resource without a document
	Params    map[string]string // extra inputs (access point bucket account, ...)
	Why       string            // why it is needed or why it comes at this point
}

// Grant is what a method builds: the grant's ID, Sid prefix and steps.
type Grant struct {
	ID        string
	SidPrefix string
	Steps     []Step
}

// Docs returns the documents of the steps in step order.
func (g *Grant) Docs() []*Doc {
	var out []*Doc
	for _, s := range g.Steps {
		if s.Doc != nil {
			out = append(out, s.Doc)
		}
	}
	return out
}

// Build returns the grant for a validated spec (defaults applied).
func Build(s spec.Spec) (*Grant, error) {
	b := newBuilder(s)
	switch s.Method {
	case spec.MethodBucketPolicy:
		b.bucketPolicy()
	case spec.MethodIAMRole:
		b.iamRole()
	case spec.MethodAccessPoint:
		if s.APOwnerIsConsumer() {
			b.crossAccountAccessPoint()
		} else {
			b.accessPoint()
		}
	case spec.MethodACL:
		b.acl()
	default:
		return nil, fmt.Errorf("unknown method %q", s.Method)
	}
	return &b.grant, nil
}

// GrantID derives the grant's identity from what names it (method, bucket,
// accounts, role or access point), not from what it grants, so a re-run with
// another access level or other prefixes replaces the same statements.
func GrantID(s spec.Spec) string {
	consumers := append([]string(nil), s.ConsumerAccounts...)
	sort.Strings(consumers)
	key := strings.Join([]string{
		string(s.Method), s.Bucket, s.OwnerAccount,
		strings.Join(consumers, ","), s.RoleName, s.AccessPoint, s.AccessPointOwner,
	}, "|")
	sum := sha256.Sum256([]byte(key))
	return strings.ToUpper(hex.EncodeToString(sum[:4]))
}

type builder struct {
	s     spec.Spec
	grant Grant
}

func newBuilder(s spec.Spec) *builder {
	id := GrantID(s)
	return &builder{s: s, grant: Grant{ID: id, SidPrefix: policy.SidPrefix + id}}
}

func (b *builder) sid(suffix string) string { return b.grant.SidPrefix + suffix }

func (b *builder) add(st Step) { b.grant.Steps = append(b.grant.Steps, st) }

// policyName names the identity policies s3grant attaches in either account.
func (b *builder) policyName() string {
	return fmt.Sprintf("s3grant-%s-%s", b.s.Bucket, strings.ToLower(b.grant.ID))
}

func (b *builder) bucketARN() string { return b.s.BucketARN() }

func (b *builder) roleARN() string { return b.s.RoleARN() }

// consumerPrincipals names the named principals, and the account (root) of
// every consumer account where none were named.
func (b *builder) consumerPrincipals() []string {
	var out []string
	for _, acct := range b.s.ConsumerAccounts {
		named := b.s.PrincipalsIn(acct)
		if len(named) == 0 {
			out = append(out, b.s.RootARN(acct))
			continue
		}
		out = append(out, named...)
	}
	return out
}

// grantConditions are the conditions every Allow to the consumer carries.
func (b *builder) grantConditions() policy.Conditions {
	var c policy.Conditions
	if b.s.OrgID != "" {
		c = c.Add("StringEquals", "aws:PrincipalOrgID", policy.CondStrings(b.s.OrgID))
	}
	return c
}
