package policy

import (
	"encoding/json"
	"fmt"
	"sort"
)

// ACL permissions a grant may carry.
const (
	PermFullControl = "FULL_CONTROL"
	PermRead        = "READ"
	PermWrite       = "WRITE"
	PermReadACP     = "READ_ACP"
	PermWriteACP    = "WRITE_ACP"
)

// Grantee types.
const (
	GranteeCanonicalUser = "CanonicalUser"
	GranteeGroup         = "Group"
)

// Groups whose grants make a bucket public.
const (
	GroupAllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	GroupAuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	GroupLogDelivery        = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

// MaxACLGrants is the most grants an S3 ACL holds.
const MaxACLGrants = 100

// ACL is an S3 access control list (a bucket's AccessControlPolicy).
type ACL struct {
	Owner  string  `json:"Owner"` // the owner's canonical user ID; empty when not yet known
	Grants []Grant `json:"Grants"`
}

// Grant is one ACL grant.
type Grant struct {
	Type       string `json:"Type"`          // CanonicalUser or Group
	ID         string `json:"ID,omitempty"`  // canonical user ID
	URI        string `json:"URI,omitempty"` // group URI
	Permission string `json:"Permission"`
}

func (g Grant) key() string { return g.Type + "|" + g.ID + "|" + g.URI + "|" + g.Permission }

// Canonical returns the ACL as indented JSON with grants in a stable order.
func (a *ACL) Canonical() []byte {
	c := a.sorted()
	b, _ := json.MarshalIndent(c, "", "  ")
	return b
}

func (a *ACL) sorted() *ACL {
	c := &ACL{Owner: a.Owner, Grants: append([]Grant(nil), a.Grants...)}
	sort.SliceStable(c.Grants, func(i, j int) bool { return c.Grants[i].key() < c.Grants[j].key() })
	return c
}

// Clone returns a copy.
func (a *ACL) Clone() *ACL {
	if a == nil {
		return nil
	}
	return &ACL{Owner: a.Owner, Grants: append([]Grant(nil), a.Grants...)}
}

// Has reports whether the ACL holds the grant.
func (a *ACL) Has(g Grant) bool {
	for _, x := range a.Grants {
		if x.key() == g.key() {
			return true
		}
	}
	return false
}

// MergeACL adds ours to existing, keeping every existing grant (the owner's
// FULL_CONTROL included) and never adding a grant twice. With a nil existing
// it returns an ACL holding the owner's FULL_CONTROL (once the owner is known)
// and ours.
func MergeACL(existing *ACL, ours []Grant) (*ACL, error) {
	out := &ACL{}
	if existing != nil {
		out = existing.Clone()
	}
	if out.Owner != "" {
		own := Grant{Type: GranteeCanonicalUser, ID: out.Owner, Permission: PermFullControl}
		if !out.Has(own) {
			out.Grants = append([]Grant{own}, out.Grants...)
		}
	}
	for _, g := range ours {
		if !out.Has(g) {
			out.Grants = append(out.Grants, g)
		}
	}
	if len(out.Grants) > MaxACLGrants {
		return nil, fmt.Errorf("the ACL would hold %d grants, over the limit of %d", len(out.Grants), MaxACLGrants)
	}
	return out, nil
}

// UnmergeACL removes ours from a, keeping the rest.
func UnmergeACL(a *ACL, ours []Grant) *ACL {
	if a == nil {
		return nil
	}
	drop := map[string]bool{}
	for _, g := range ours {
		drop[g.key()] = true
	}
	out := &ACL{Owner: a.Owner}
	for _, g := range a.Grants {
		if !drop[g.key()] {
			out.Grants = append(out.Grants, g)
		}
	}
	return out
}
