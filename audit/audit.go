package audit

import (
	"sort"

	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
)

// State is what the owner account can see about one bucket: its
// documents and settings, as read by the aws package. Audit turns it into a
// report without calling AWS.
type State struct {
	Bucket       string `json:"bucket"`
	Region       string `json:"region"`
	OwnerAccount string `json:"owner_account"`
	// OwnerCanonicalID is the owner's canonical user ID (the bucket ACL's
	// owner), which grants to the owner itself name.
	OwnerCanonicalID string `json:"owner_canonical_id,omitempty"`
	// OrgID is the organization the owner expects every grantee to be in;
	// "" when not given.
	OrgID string `json:"org_id,omitempty"`
	// OrgAccounts are the organization's member accounts when the owner
	// could list them (the management account or a delegated
	// administrator); nil when unknown, and then only grants that do not
	// pin aws:PrincipalOrgID are flagged.
	OrgAccounts []string `json:"org_accounts,omitempty"`
	// OrgAccountsNote says why the members are unknown.
	OrgAccountsNote string         `json:"org_accounts_note,omitempty"`
	BucketPolicy    *policy.Policy `json:"-"`
	BucketACL       *policy.ACL    `json:"-"`
	// ObjectOwnership is the bucket's setting; "" when none is set (an old
	// bucket: ACLs are enabled).
	ObjectOwnership string                 `json:"object_ownership"`
	BucketBPA       plan.PublicAccessBlock `json:"bucket_block_public_access"`
	AccountBPA      plan.PublicAccessBlock `json:"account_block_public_access"`
	AccessPoints    []AccessPointState     `json:"access_points"`
	// AccessPointsNote says why the access points could not be read.
	AccessPointsNote string          `json:"access_points_note,omitempty"`
	Encryption       EncryptionState `json:"encryption"`
	Logging          *LoggingState   `json:"logging"` // nil: not read
	Trails           []TrailState    `json:"trails"`
	TrailsRead       bool            `json:"trails_read"`
	// Roles are the owner's roles whose trust policy names a principal
	// outside the account, with their permission policies; RolesNote says
	// why they could not be read.
	Roles     []RoleState `json:"-"`
	RolesNote string      `json:"roles_note,omitempty"`
	// Runs are the s3grant runs that wrote statements, by grant ID (the
	// eight characters after "S3Grant" in a Sid), from the journal.
	Runs map[string][]RunRef `json:"-"`
}

// AccessPointState is an access point of the owner account on the bucket.
type AccessPointState struct {
	Name          string                 `json:"name"`
	ARN           string                 `json:"arn"`
	NetworkOrigin string                 `json:"network_origin,omitempty"` // Internet or VPC
	Policy        *policy.Policy         `json:"-"`                        // nil: no policy
	BPA           plan.PublicAccessBlock `json:"block_public_access"`
}

// EncryptionState is the bucket's default encryption.
type EncryptionState struct {
	Algorithm  string         `json:"algorithm,omitempty"` // AES256, aws:kms, aws:kms:dsse; "" = none read
	KeyARN     string         `json:"key_arn,omitempty"`
	AWSManaged bool           `json:"aws_managed,omitempty"`
	KeyPolicy  *policy.Policy `json:"-"` // customer managed keys; nil when not readable
	// KeyPolicyError says why a customer managed key's policy could not be
	// read (the key's grants are then not audited).
	KeyPolicyError string `json:"key_policy_error,omitempty"`
}

// LoggingState is the bucket's server access logging.
type LoggingState struct {
	Enabled      bool   `json:"enabled"`
	TargetBucket string `json:"target_bucket,omitempty"`
	TargetPrefix string `json:"target_prefix,omitempty"`
}

// TrailState is a CloudTrail trail of the owner account.
type TrailState struct {
	Name        string `json:"name"`
	ARN         string `json:"arn"`
	Logging     bool   `json:"logging"`
	MultiRegion bool   `json:"multi_region"`
	// DataEvents says the trail's event selectors record S3 data events for
	// this bucket (all buckets, the bucket, or a prefix of it).
	DataEvents bool   `json:"s3_data_events"`
	Scope      string `json:"scope,omitempty"` // what the selector covers, in words
}

// RoleState is a role of the owner account that outside principals may
// assume.
type RoleState struct {
	Name     string
	ARN      string
	Trust    *policy.Policy
	Policies []policy.Doc // inline and attached managed policies
}

// RunRef names an s3grant run from the journal.
type RunRef struct {
	ID   string `json:"id"`
	Time string `json:"time,omitempty"`
}

// Report is the audit of one bucket.
type Report struct {
	Bucket       string           `json:"bucket"`
	OwnerAccount string           `json:"owner_account"`
	Region       string           `json:"region"`
	Grants       []ExternalGrant  `json:"grants"`
	Findings     []policy.Finding `json:"findings"`
	Monitoring   Monitoring       `json:"monitoring"`
	Documents    []Document       `json:"documents"`
}

// Document is a document the audit read, with every statement in words.
type Document struct {
	Name  string          `json:"name"`
	Words []plan.Sentence `json:"in_words"`
}

// Monitoring says how access to the bucket is recorded.
type Monitoring struct {
	AccessLogging *LoggingState `json:"access_logging"`
	Trails        []TrailState  `json:"data_event_trails"`
	TrailsRead    bool          `json:"trails_read"`
}

// AtOrAbove returns the findings whose severity is at least min.
func (r *Report) AtOrAbove(floor policy.Severity) []policy.Finding {
	var out []policy.Finding
	for _, f := range r.Findings {
		if f.Severity.Rank() >= floor.Rank() {
			out = append(out, f)
		}
	}
	return out
}

// Audit lists every grant to a principal outside the owner account, what the
// evaluator says each can do given the documents the owner can see, and the
// findings, most severe first.
func Audit(st State) *Report {
	r := &Report{
		Bucket: st.Bucket, OwnerAccount: st.OwnerAccount, Region: st.Region,
		Monitoring: Monitoring{AccessLogging: st.Logging, TrailsRead: st.TrailsRead},
	}
	for _, t := range st.Trails {
		if t.DataEvents {
			r.Monitoring.Trails = append(r.Monitoring.Trails, t)
		}
	}
	a := &auditor{st: st, report: r}
	a.documents()
	a.grants()
	a.settingFindings()
	a.monitoringFindings()
	sort.SliceStable(r.Findings, func(i, j int) bool {
		return r.Findings[i].Severity.Rank() > r.Findings[j].Severity.Rank()
	})
	return r
}

type auditor struct {
	st     State
	report *Report
	conds  *conditionSpace // built on first use
}

// add records a finding once: the same code, place and message found twice
// (a principal named twice in one statement) is one finding.
func (a *auditor) add(f policy.Finding) {
	for _, x := range a.report.Findings {
		if x == f {
			return
		}
	}
	a.report.Findings = append(a.report.Findings, f)
}
