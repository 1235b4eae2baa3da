package export

import (
	"encoding/json"
	"fmt"

	"github.com/s3grant/s3grant/policy"
)

// awsACL is an ACL in the shape PutBucketAcl takes (AccessControlPolicy),
// which the AWS CLI reads from a file and the CloudFormation writer passes on.
type awsACL struct {
	Owner  awsOwner   `json:"Owner"`
	Grants []awsGrant `json:"Grants"`
}

type awsOwner struct {
	ID string `json:"ID"`
}

type awsGrant struct {
	Grantee    awsGrantee `json:"Grantee"`
	Permission string     `json:"Permission"`
}

type awsGrantee struct {
	Type string `json:"Type"`
	ID   string `json:"ID,omitempty"`
	URI  string `json:"URI,omitempty"`
}

// toAWSACL converts the plan's ACL. ownerID replaces an unknown owner (the
// plan was made without reading the ACL) and then gets FULL_CONTROL first,
// as PutBucketAcl replaces the whole ACL.
func toAWSACL(a *policy.ACL, ownerID string) awsACL {
	out := awsACL{Owner: awsOwner{ID: a.Owner}, Grants: []awsGrant{}}
	if a.Owner == "" && ownerID != "" {
		out.Owner.ID = ownerID
		owner := awsGrantee{Type: policy.GranteeCanonicalUser, ID: ownerID}
		out.Grants = append(out.Grants, awsGrant{Grantee: owner, Permission: policy.PermFullControl})
	}
	for _, g := range a.Grants {
		grantee := awsGrantee{Type: g.Type, ID: g.ID, URI: g.URI}
		out.Grants = append(out.Grants, awsGrant{Grantee: grantee, Permission: g.Permission})
	}
	return out
}

// fromAWSACL converts back, for tests and checks.
func fromAWSACL(data []byte) (*policy.ACL, error) {
	var a awsACL
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("ACL: %w", err)
	}
	out := &policy.ACL{Owner: a.Owner.ID, Grants: []policy.Grant{}}
	for _, g := range a.Grants {
		out.Grants = append(out.Grants, policy.Grant{
			Type: g.Grantee.Type, ID: g.Grantee.ID, URI: g.Grantee.URI,
			Permission: g.Permission,
		})
	}
	return out, nil
}

func (a awsACL) indented() []byte {
	b, _ := json.MarshalIndent(a, "", "  ")
	return b
}
