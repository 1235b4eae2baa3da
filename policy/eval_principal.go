package policy

import (
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"
)

// PrincipalInfo is what the evaluator knows about a caller from its ARN.
type PrincipalInfo struct {
	ARN       string
	Anonymous bool
	Service   string // a service principal such as s3.amazonaws.com
	Partition string
	Account   string
	Kind      string // root, role, assumed-role, user, federated-user, or "" when unknown
	Name      string // the role, user or federated user name (no path)
	Session   string // the session name of an assumed role
}

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	// A loop rather than a regexp: no pattern compiled at start-up, and the
	// evaluator asks on every decision.
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParsePrincipal reads a caller ARN. "" (or "anonymous") is an anonymous
// request; a bare account ID stands for the account root.
func ParsePrincipal(arn string) PrincipalInfo {
	p := PrincipalInfo{ARN: arn}
	switch {
	case arn == "" || arn == "anonymous":
		p.Anonymous = true
		return p
	case IsAccountID(arn):
		// A bare account ID carries no partition: aws, as the principal
		// matching compares accounts only.
		return PrincipalInfo{ARN: awsarn.Root(awsarn.AWS, arn), Partition: awsarn.AWS, Account: arn, Kind: "root"}
	case !strings.HasPrefix(arn, "arn:") && strings.HasSuffix(arn, ".amazonaws.com"):
		p.Service = arn
		return p
	}
	// One pass over the bytes (splitARN) where awsarn.Parse cuts field by
	// field: Decide parses the caller on every decision.
	segs, res, ok := splitARN(arn)
	if !ok || segs[0] != "arn" {
		return p
	}
	p.Partition, p.Account = segs[1], segs[4]
	switch {
	case res == "root":
		p.Kind = "root"
	case strings.HasPrefix(res, "role/"):
		p.Kind, p.Name = "role", res[strings.LastIndexByte(res, '/')+1:]
	case strings.HasPrefix(res, "assumed-role/"):
		name, session, ok := strings.Cut(strings.TrimPrefix(res, "assumed-role/"), "/")
		if ok {
			p.Kind, p.Name, p.Session = "assumed-role", name, session
		}
	case strings.HasPrefix(res, "user/"):
		p.Kind, p.Name = "user", res[strings.LastIndexByte(res, '/')+1:]
	case strings.HasPrefix(res, "federated-user/"):
		p.Kind, p.Name = "federated-user", strings.TrimPrefix(res, "federated-user/")
	}
	return p
}

// RoleSession returns the ARN of a session of a role
// (arn:aws:sts::A:assumed-role/NAME/SESSION; the role's path is not part of it).
func RoleSession(roleARN, session string) string {
	r := ParsePrincipal(roleARN)
	return awsarn.AssumedRole(r.Partition, r.Account, r.Name, session)
}

type principalMatch int

const (
	principalNone    principalMatch = iota
	principalAccount                // the statement names the caller's account (its root)
	principalExact                  // the statement names the caller itself, or "*"
)

// match reports how a Principal element names the caller. An account ID is
// the account root, which names every principal of the account without
// granting to any one by itself; a role ARN names its sessions.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
func (p *Principal) match(c PrincipalInfo) principalMatch {
	if p.Wildcard {
		return principalExact
	}
	best := principalNone
	for kind, vals := range p.Types {
		for _, v := range vals.Values {
			if m := matchOne(kind, v, c); m > best {
				best = m
			}
		}
	}
	return best
}

func matchOne(kind, v string, c PrincipalInfo) principalMatch {
	if v == "*" && kind == "AWS" {
		return principalExact
	}
	switch kind {
	case "Service":
		if c.Service != "" && (v == "*" || v == c.Service) {
			return principalExact
		}
		return principalNone
	case "AWS":
	default:
		if v == c.ARN && !c.Anonymous {
			return principalExact
		}
		return principalNone
	}
	if c.Anonymous || c.Service != "" {
		return principalNone
	}
	named := parseNamed(v)
	switch {
	case named.Kind == "root" && named.Account == c.Account:
		if c.Kind == "root" {
			return principalExact
		}
		return principalAccount
	case v == c.ARN:
		return principalExact
	case named.Kind == "role" && c.Kind == "assumed-role" && named.Account == c.Account && named.Name == c.Name:
		return principalExact
	}
	return principalNone
}
