package policy

import (
	"regexp"
	"strings"
	"sync"
)

var (
	descAccountID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{12}$`) })
	// Unique IDs of roles and users: AWS shows them in place of an ARN once
	// the principal is deleted, and never reuses them.
	descUniqueID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(AROA|AIDA)[A-Z0-9]{12,}$`) })
)

// descAnyone is what Principal "*" (or {"AWS": "*"}) means in a resource
// policy: every caller, signed or not.
const descAnyone = "anyone, including anonymous requests,"

// describeWho says who the statement applies to.
func describeWho(s Statement, o DescribeOptions) string {
	switch {
	case s.NotPrincipal != nil:
		if s.NotPrincipal.Wildcard {
			return "no one (NotPrincipal \"*\" excludes every principal)"
		}
		return descAnyoneNot(o.Kind, describePrincipals(s.NotPrincipal, o.Kind, rootsNamed))
	case s.Principal != nil:
		if s.Effect == Deny {
			return describePrincipals(s.Principal, o.Kind, rootsDenied)
		}
		who := describePrincipals(s.Principal, o.Kind, rootsDelegated)
		if who == descAnyone {
			if ap := throughAccessPoint(s); ap != "" {
				return "anyone, including anonymous requests, coming through " + ap +
					" (whose own policy then decides who),"
			}
		}
		return who
	case o.Kind == KindIdentityPolicy || o.Kind == KindManagedPolicy:
		return describeHolder(o.Holder)
	}
	return "no principal (the statement names none)"
}

// throughAccessPoint says which access points an Allow is held to by a
// StringEquals on s3:DataAccessPointArn or s3:DataAccessPointAccount, or ""
// when it is not: AWS's delegation of access control to access points,
// where the access point's policy then decides who gets in.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-delegating-control
func throughAccessPoint(s Statement) string {
	if s.Effect != Allow {
		return ""
	}
	account := false
	for key := range s.Condition["StringEquals"] {
		switch strings.ToLower(key) {
		case "s3:dataaccesspointarn":
			return "the access point the conditions name"
		case "s3:dataaccesspointaccount":
			account = true
		}
	}
	if account {
		return "an access point of the account the conditions name"
	}
	return ""
}

// describeHolder names whoever an identity policy is attached to.
func describeHolder(holder string) string {
	a, ok := descParseARN(holder)
	switch {
	case !ok:
		return "the role or user holding this policy"
	case a.service == "iam" && (a.kind == "role" || a.kind == "user"):
		return a.kind + " " + a.name + " in account " + a.account
	case a.service == "iam" && a.kind == "policy":
		return "whoever managed policy " + a.name + " is attached to"
	}
	return "the holder of this policy (" + descQuote(holder) + ")"
}

// descAnyoneFor is what Principal "*" means in a document of kind k: S3
// takes unsigned requests, KMS and STS's AssumeRole do not.
func descAnyoneFor(k Kind) string {
	if k == KindKeyPolicy {
		return "any AWS principal, in any account,"
	}
	return descAnyone
}

func descAnyoneNot(k Kind, listed string) string {
	if k == KindKeyPolicy {
		return "any AWS principal not listed in NotPrincipal (" + listed + ")"
	}
	return "anyone not listed in NotPrincipal (" + listed + "), including anonymous requests,"
}

// rootsMode says what naming an account means where it is named.
type rootsMode int

const (
	// rootsDelegated: an Allow naming an account delegates to that
	// account's IAM policies.
	rootsDelegated rootsMode = iota
	// rootsDenied: a Deny naming an account applies to every principal in it.
	rootsDenied
	// rootsNamed: in a NotPrincipal an account is only named: what
	// excluding it does depends on how AWS matches the caller, so it is not
	// spelled out.
	rootsNamed
)

// describePrincipals lists a Principal or NotPrincipal element. Types come
// in sorted order; named principals of one account are grouped.
func describePrincipals(p *Principal, k Kind, roots rootsMode) string {
	if p.Wildcard {
		return descAnyoneFor(k)
	}
	for _, v := range p.Values("AWS") {
		if v == "*" {
			return descAnyoneFor(k)
		}
	}
	var parts []string
	for _, kind := range sortedKeys(p.Types) {
		vals := p.Types[kind].Values
		switch kind {
		case "AWS":
			parts = append(parts, describeAWSPrincipals(vals, roots)...)
		case "Service":
			parts = append(parts, descPlural(len(vals), "the service ", "the services ")+descJoinAnd(vals))
		case "Federated":
			for _, v := range vals {
				parts = append(parts, "users federated through "+descFederated(v))
			}
		case "CanonicalUser":
			parts = append(parts, descPlural(len(vals), "canonical user ", "canonical users ")+descJoinAnd(vals))
		}
	}
	if len(parts) == 0 {
		return "no principal (the element is empty)"
	}
	return descJoinAnd(parts)
}

// describeAWSPrincipals groups account roots into one phrase and the named
// principals of each account into one phrase, in first-seen order.
func describeAWSPrincipals(vals []string, mode rootsMode) []string {
	type group struct {
		account string
		names   []string
	}
	var (
		order    []string // "roots" or an account ID
		groups   = map[string]*group{}
		roots    []string
		literals []string
	)
	for _, v := range vals {
		acct, name := descClassifyAWS(v)
		switch {
		case name == "" && acct != "":
			if len(roots) == 0 {
				order = append(order, "roots")
			}
			roots = append(roots, acct)
		case acct != "":
			g := groups[acct]
			if g == nil {
				g = &group{account: acct}
				groups[acct] = g
				order = append(order, acct)
			}
			g.names = append(g.names, name)
		default:
			literals = append(literals, name)
		}
	}
	var out []string
	for _, k := range order {
		if k == "roots" {
			roots = descUnique(roots)
			switch {
			case mode == rootsNamed:
				out = append(out, descPlural(len(roots), "account ", "accounts ")+descJoinAnd(roots))
			case mode == rootsDenied:
				every := descPlural(len(roots), " (every principal in it)", " (every principal in them)")
				out = append(out, descPlural(len(roots), "account ", "accounts ")+descJoinAnd(roots)+every)
			case len(roots) == 1:
				out = append(out, "account "+roots[0]+
					" (any principal there that the account's own IAM policies allow)")
			default:
				out = append(out, "accounts "+descJoinAnd(roots)+
					" (any principal in them that their own IAM policies allow)")
			}
			continue
		}
		g := groups[k]
		out = append(out, descJoinAnd(descUnique(g.names))+" in account "+g.account)
	}
	return append(out, literals...)
}

// descClassifyAWS returns the account and the principal's words; an
// account root has no words; a value with no account is returned whole as
// its literal description.
func descClassifyAWS(v string) (account, words string) {
	if descAccountID().MatchString(v) {
		return v, ""
	}
	if m := descUniqueID().FindStringSubmatch(v); m != nil {
		kind := "role"
		if m[1] == "AIDA" {
			kind = "user"
		}
		return "", "a deleted " + kind + " (unique ID " + v + ", which matches no one)"
	}
	a, ok := descParseARN(v)
	if !ok || strings.ContainsAny(v, "*?") || !descAccountID().MatchString(a.account) {
		return "", "the principal " + descQuote(v)
	}
	switch {
	case a.service == "iam" && a.resource == "root":
		return a.account, ""
	case a.service == "iam" && (a.kind == "role" || a.kind == "user"):
		return a.account, a.kind + " " + a.name
	case a.service == "sts" && a.kind == "assumed-role":
		if role, session, ok := strings.Cut(a.name, "/"); ok {
			return a.account, "session " + session + " of role " + role
		}
	case a.service == "sts" && a.kind == "federated-user":
		return a.account, "federated user " + a.name
	}
	return "", "the principal " + descQuote(v)
}

func descFederated(v string) string {
	a, ok := descParseARN(v)
	switch {
	case ok && a.service == "iam" && a.kind == "saml-provider":
		return "SAML provider " + a.name + " in account " + a.account
	case ok && a.service == "iam" && a.kind == "oidc-provider":
		return "OIDC provider " + a.name + " in account " + a.account
	}
	return v
}

func descPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// descARN is a split ARN: arn:partition:service:region:account:resource, with
// resource split into kind/name where it has a slash.
type descARN struct {
	partition, service, region, account, resource string
	kind, name                                    string
}

func descParseARN(s string) (descARN, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return descARN{}, false
	}
	a := descARN{partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts[5]}
	if k, n, ok := strings.Cut(a.resource, "/"); ok {
		a.kind, a.name = k, n
	}
	return a, true
}
