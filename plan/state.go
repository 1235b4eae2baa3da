package plan

import "github.com/s3grant/s3grant/policy"

// DocKey identifies a document in an account: its kind, the ARN it belongs
// to, and its name (inline policy name; empty for bucket and access point
// policies).
type DocKey struct {
	Kind   policy.Kind
	Target string
	Name   string
}

// State is what exists now, as far as it is known: read from AWS by the aws
// package, or given as files for an offline preview.
type State struct {
	Known     bool // false: nothing was read; documents are shown as new
	Policies  map[DocKey]*policy.Policy
	BucketACL *policy.ACL
	Facts     Facts
}

// Facts are the bucket settings that change what a method can do.
type Facts struct {
	Read             bool   // the facts below were read
	ObjectOwnership  string // BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter; "" = not set (ACLs on)
	SSEAlgorithm     string // AES256, aws:kms, aws:kms:dsse; "" = none
	SSEKeyARN        string // the default encryption key, when aws:kms
	SSEAWSManagedKey bool   // default encryption uses the AWS-managed aws/s3 key
	// SSEUnread says why the default encryption could not be read (e.g.
	// "GetBucketEncryption was denied (AccessDenied)"); the SSE fields above
	// are then unknown, and the plan relies on the spec's KMS key.
	SSEUnread     string
	BucketRegion  string
	BucketOwnerID string            // the owner's canonical user ID (from the bucket ACL)
	BucketBPA     PublicAccessBlock // the bucket's Block Public Access settings
	AccountBPA    PublicAccessBlock // the owner account's Block Public Access settings
}

// PublicAccessBlock is one level (bucket or account) of Block Public Access;
// all false when not configured.
type PublicAccessBlock struct {
	BlockPublicAcls       bool `json:"block_public_acls"`
	IgnorePublicAcls      bool `json:"ignore_public_acls"`
	BlockPublicPolicy     bool `json:"block_public_policy"`
	RestrictPublicBuckets bool `json:"restrict_public_buckets"`
}

// Policy returns the existing document for k, or nil.
func (s *State) Policy(k DocKey) *policy.Policy {
	if s == nil || s.Policies == nil {
		return nil
	}
	return s.Policies[k].Clone()
}

// SetPolicy records an existing document.
func (s *State) SetPolicy(k DocKey, p *policy.Policy) {
	if s.Policies == nil {
		s.Policies = map[DocKey]*policy.Policy{}
	}
	s.Policies[k] = p
}
