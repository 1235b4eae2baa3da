package sandbox

import (
	"time"

	"github.com/s3grant/s3grant/policy"
)

// State is everything the sandbox holds: accounts with their IAM, KMS and
// S3 Control resources, the buckets (one global namespace, as in S3) and the
// access keys. It is plain data so it can be kept in a file with --state.
type State struct {
	Accounts map[string]*Account `json:"accounts"`
	Buckets  map[string]*Bucket  `json:"buckets"`
	Keys     map[string]*Cred    `json:"access_keys"` // by access key ID
	TLS      *TLSMaterial        `json:"tls,omitempty"`
	Serial   int64               `json:"serial"` // feeds unique IDs
}

// Account is one AWS account.
type Account struct {
	ID           string                   `json:"id"`
	Alias        string                   `json:"alias"` // e.g. "owner", used for profile names
	CanonicalID  string                   `json:"canonical_id"`
	Region       string                   `json:"region"`
	Users        map[string]*User         `json:"users"`
	Roles        map[string]*Role         `json:"roles"`
	Policies     map[string]*ManagedPol   `json:"managed_policies"` // by policy name
	KMSKeys      map[string]*Key          `json:"kms_keys"`         // by key ID
	KMSAliases   map[string]string        `json:"kms_aliases"`      // alias/NAME -> key ID
	AccessPoints map[string]*AccessPoint  `json:"access_points"`    // by name
	PAB          *PublicAccessBlockConfig `json:"public_access_block,omitempty"`
	Trails       map[string]*Trail        `json:"trails,omitempty"` // CloudTrail trails by name
}

// User is an IAM user.
type User struct {
	Name     string            `json:"name"`
	Path     string            `json:"path"`
	ID       string            `json:"id"` // AIDA...
	Created  time.Time         `json:"created"`
	Inline   map[string]string `json:"inline_policies"` // name -> JSON
	Attached []string          `json:"attached"`        // managed policy ARNs
}

// Role is an IAM role.
type Role struct {
	Name               string            `json:"name"`
	Path               string            `json:"path"`
	ID                 string            `json:"id"` // AROA...
	Created            time.Time         `json:"created"`
	Trust              string            `json:"trust_policy"`
	Description        string            `json:"description,omitempty"`
	MaxSessionDuration int               `json:"max_session_duration"`
	Inline             map[string]string `json:"inline_policies"`
	Attached           []string          `json:"attached"`
	Tags               []Tag             `json:"tags,omitempty"`
}

// Tag is a key/value tag.
type Tag struct{ Key, Value string }

// ManagedPol is a customer managed IAM policy with its versions.
type ManagedPol struct {
	Name     string              `json:"name"`
	Path     string              `json:"path"`
	ID       string              `json:"id"` // ANPA...
	Created  time.Time           `json:"created"`
	Updated  time.Time           `json:"updated"`
	Default  string              `json:"default_version"`
	Versions map[string]*PolVers `json:"versions"` // v1, v2, ...
	NextVer  int                 `json:"next_version"`
}

// PolVers is one version of a managed policy.
type PolVers struct {
	ID       string    `json:"id"`
	Document string    `json:"document"`
	Created  time.Time `json:"created"`
}

// Key is a KMS key.
type Key struct {
	ID          string    `json:"id"`
	Description string    `json:"description"`
	Policy      string    `json:"policy"`
	Created     time.Time `json:"created"`
	AWSManaged  bool      `json:"aws_managed"`
	Material    []byte    `json:"material"` // AES-256 key for Encrypt/Decrypt
	Enabled     bool      `json:"enabled"`
}

// AccessPoint is an S3 access point, owned by the account holding it.
type AccessPoint struct {
	Name          string                   `json:"name"`
	Bucket        string                   `json:"bucket"`
	BucketAccount string                   `json:"bucket_account"`
	Alias         string                   `json:"alias"`
	Region        string                   `json:"region"`
	Policy        string                   `json:"policy,omitempty"`
	PAB           *PublicAccessBlockConfig `json:"public_access_block"`
	Created       time.Time                `json:"created"`
}

// PublicAccessBlockConfig is S3's Block Public Access setting.
type PublicAccessBlockConfig struct {
	BlockPublicAcls       bool `xml:"BlockPublicAcls" json:"block_public_acls"`
	IgnorePublicAcls      bool `xml:"IgnorePublicAcls" json:"ignore_public_acls"`
	BlockPublicPolicy     bool `xml:"BlockPublicPolicy" json:"block_public_policy"`
	RestrictPublicBuckets bool `xml:"RestrictPublicBuckets" json:"restrict_public_buckets"`
}

// Bucket is an S3 bucket.
type Bucket struct {
	Name   string `json:"name"`
	Owner  string `json:"owner"` // account ID
	Region string `json:"region"`
	// Location is the LocationConstraint given, when not the region ("EU").
	Location   string                   `json:"location,omitempty"`
	Created    time.Time                `json:"created"`
	Policy     string                   `json:"policy,omitempty"`
	ACL        *policy.ACL              `json:"acl"`
	Ownership  string                   `json:"ownership,omitempty"` // "" = no ownership controls (ACLs on)
	Encryption *Encryption              `json:"encryption,omitempty"`
	PAB        *PublicAccessBlockConfig `json:"public_access_block,omitempty"`
	Logging    *Logging                 `json:"logging,omitempty"` // server access logging; nil = off
	Objects    map[string]*Object       `json:"objects"`
	Uploads    map[string]*Upload       `json:"uploads,omitempty"` // multipart uploads in progress
}

// Encryption is a bucket's default encryption rule.
type Encryption struct {
	Algorithm string `json:"algorithm"` // AES256 or aws:kms
	KMSKeyID  string `json:"kms_key_id,omitempty"`
	BucketKey bool   `json:"bucket_key,omitempty"`
}

// Object is one S3 object.
type Object struct {
	Key          string            `json:"key"`
	Data         []byte            `json:"data"`
	ETag         string            `json:"etag"`
	Modified     time.Time         `json:"modified"`
	ContentType  string            `json:"content_type"`
	Writer       string            `json:"writer"` // account that uploaded it
	OwnerFull    bool              `json:"owner_full_control,omitempty"`
	SSE          string            `json:"sse,omitempty"` // AES256, aws:kms
	KMSKeyARN    string            `json:"kms_key_arn,omitempty"`
	ACL          *policy.ACL       `json:"acl,omitempty"`
	UserMetadata map[string]string `json:"metadata,omitempty"`
}

// Cred is an access key and the principal it acts as.
type Cred struct {
	AccessKeyID string    `json:"access_key_id"`
	Secret      string    `json:"secret"`
	Token       string    `json:"session_token,omitempty"` // temporary credentials only
	Principal   string    `json:"principal"`               // user or assumed-role session ARN, or account root
	Account     string    `json:"account"`
	Issued      time.Time `json:"issued,omitempty"`
	Expires     time.Time `json:"expires,omitempty"`
	Chained     bool      `json:"chained,omitempty"` // issued to a role session (role chaining)
	SourceID    string    `json:"source_id,omitempty"`
}
