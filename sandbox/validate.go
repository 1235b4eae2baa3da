package sandbox

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// policyCheck says what a resource policy may contain.
type policyCheck struct {
	kind          policy.Kind
	needPrincipal bool
	actionPrefix  []string // allowed action prefixes (lower case); nil = any
	resourceOK    func(string) bool
	resourceHint  string
}

// validatePolicy parses a document and checks it the way the service does:
// size, principals that exist, actions and resources that belong. It
// returns the parsed policy or a message for the service's error.
func (sb *Sandbox) validatePolicy(doc string, pc policyCheck) (*policy.Policy, string) {
	if !strings.HasPrefix(strings.TrimSpace(doc), "{") {
		return nil, "Policies must be valid JSON and the first byte must be '{'"
	}
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		return nil, "This policy contains invalid Json: " + err.Error()
	}
	if err := p.CheckSize(pc.kind); err != nil {
		return nil, "Policy document is too large: " + err.Error()
	}
	for i, s := range p.Statement {
		where := fmt.Sprintf("Statement[%d]", i)
		if s.Sid != "" {
			where = "statement " + s.Sid
		}
		if pc.needPrincipal && s.Principal == nil && s.NotPrincipal == nil {
			return nil, "Missing required field Principal in " + where
		}
		if msg := sb.checkPrincipals(s); msg != "" {
			return nil, msg
		}
		for _, a := range append(append([]string{}, s.Action.Values...), s.NotAction.Values...) {
			if !actionAllowed(a, pc.actionPrefix) {
				return nil, fmt.Sprintf("Policy has invalid action %q in %s", a, where)
			}
		}
		for _, r := range append(append([]string{}, s.Resource.Values...), s.NotResource.Values...) {
			if pc.resourceOK != nil && !pc.resourceOK(r) {
				return nil, fmt.Sprintf("Policy has invalid resource %q in %s: %s", r, where, pc.resourceHint)
			}
		}
	}
	return p, ""
}

func actionAllowed(a string, prefixes []string) bool {
	if a == "*" || prefixes == nil {
		return true
	}
	l := strings.ToLower(a)
	for _, p := range prefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

var uniqueIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^A(RO|ID)A[A-Z0-9]{12,}$`) })

// checkPrincipals rejects principals that do not exist, as AWS does:
// "Invalid principal in policy".
func (sb *Sandbox) checkPrincipals(s policy.Statement) string {
	for _, pr := range []*policy.Principal{s.Principal, s.NotPrincipal} {
		if pr == nil {
			continue
		}
		for _, v := range pr.Values("AWS") {
			if !sb.principalExists(v) {
				return fmt.Sprintf("Invalid principal in policy: \"AWS\":\"%s\"", v)
			}
		}
	}
	return ""
}

func (sb *Sandbox) principalExists(v string) bool {
	if v == "*" || policy.IsAccountID(v) {
		return true
	}
	if uniqueIDPattern().MatchString(v) {
		return sb.uniqueIDExists(v)
	}
	p := policy.ParsePrincipal(v)
	if p.Account == "" || !policy.IsAccountID(p.Account) {
		return false
	}
	a := sb.st.Accounts[p.Account]
	switch p.Kind {
	case "root":
		return true // any account may be named: it delegates to that account's IAM
	case "assumed-role", "federated-user":
		return a != nil
	case "role":
		return a != nil && a.Roles[p.Name] != nil
	case "user":
		return a != nil && a.Users[p.Name] != nil
	}
	return false
}

func (sb *Sandbox) uniqueIDExists(id string) bool {
	for _, a := range sb.st.Accounts {
		for _, r := range a.Roles {
			if r.ID == id {
				return true
			}
		}
		for _, u := range a.Users {
			if u.ID == id {
				return true
			}
		}
	}
	return false
}

// bucketResourceOK accepts the bucket's ARN and its object ARNs.
func bucketResourceOK(bucket string) func(string) bool {
	b := arn.Bucket(partition, bucket)
	return func(r string) bool { return r == b || strings.HasPrefix(r, b+"/") }
}

// orphanPrincipal rewrites every stored resource policy that names a
// deleted role or user: AWS keeps such a principal as its unique ID
// (AROA..., AIDA...), which then matches nobody and makes later writes of
// the same document fail with "Invalid principal".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
func (sb *Sandbox) orphanPrincipal(arn, uniqueID string) {
	quoted, id := `"`+arn+`"`, `"`+uniqueID+`"`
	fix := func(doc *string) {
		if strings.Contains(*doc, quoted) {
			*doc = strings.ReplaceAll(*doc, quoted, id)
		}
	}
	for _, b := range sb.st.Buckets {
		fix(&b.Policy)
	}
	for _, a := range sb.st.Accounts {
		for _, ap := range a.AccessPoints {
			fix(&ap.Policy)
		}
		for _, k := range a.KMSKeys {
			fix(&k.Policy)
		}
		for _, r := range a.Roles {
			fix(&r.Trust)
		}
	}
}
