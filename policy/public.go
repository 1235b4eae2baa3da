package policy

import (
	"net/netip"
	"strings"
)

// restrictingKeys are the condition keys whose fixed values make a statement
// with a "*" principal non-public.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
var restrictingKeys = map[string]bool{
	"aws:principalorgid": true, "aws:sourceip": true, "aws:sourcearn": true, "aws:sourcevpc": true,
	"aws:sourcevpce": true, "aws:sourceowner": true, "aws:sourceaccount": true, "aws:userid": true,
	"s3:dataaccesspointarn": true, "s3:dataaccesspointaccount": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
}

// fixedOperators compare with fixed values (the IfExists forms do not
// restrict: a request without the key passes them).
var fixedOperators = map[string]bool{
	"StringEquals": true, "StringEqualsIgnoreCase": true, "StringLike": true,
	"ArnEquals": true, "ArnLike": true, "IpAddress": true,
}

// IsPublicPolicy reports whether any statement of p is public.
func IsPublicPolicy(p *Policy) bool {
	if p == nil {
		return false
	}
	for _, s := range p.Statement {
		if IsPublicStatement(s) {
			return true
		}
	}
	return false
}

// IsPublicStatement applies S3's rule for "public": an Allow is public when
// its principal is "*" (or it uses NotPrincipal) unless a condition pins a
// restricting key (aws:PrincipalOrgID, aws:SourceIp narrower than /8,
// aws:SourceArn, aws:SourceVpc(e), aws:SourceOwner, aws:SourceAccount,
// aws:userid, s3:DataAccessPointArn/Account, ...) to fixed values.
func IsPublicStatement(s Statement) bool {
	if s.Effect != Allow {
		return false
	}
	if s.NotPrincipal != nil {
		return true
	}
	if !wildcardPrincipal(s.Principal) {
		return false
	}
	for op, kv := range s.Condition {
		if !fixedOperators[op] {
			continue
		}
		for key, vals := range kv {
			if restrictingKeys[strings.ToLower(key)] && fixedValues(strings.ToLower(key), vals.Strings()) {
				return false
			}
		}
	}
	return true
}

func wildcardPrincipal(p *Principal) bool {
	if p == nil {
		return false
	}
	if p.Wildcard {
		return true
	}
	for _, vals := range p.Types {
		for _, v := range vals.Values {
			if strings.Contains(v, "*") {
				return true
			}
		}
	}
	return false
}

func fixedValues(key string, vals []string) bool {
	if len(vals) == 0 {
		return false
	}
	for _, v := range vals {
		switch {
		case strings.Contains(v, "${"):
			return false
		case key == "aws:sourceip":
			pfx, err := netip.ParsePrefix(v)
			if err != nil {
				if _, err := netip.ParseAddr(v); err != nil {
					return false
				}
				continue
			}
			if pfx.Addr().Is4() && pfx.Bits() <= 8 || pfx.Addr().Is6() && pfx.Bits() <= 32 {
				return false
			}
		case key == "aws:userid":
			if strings.HasSuffix(v, ":*") || strings.ContainsAny(strings.TrimSuffix(v, ":*"), "*?") {
				return false
			}
		case key == "s3:dataaccesspointarn":
			// The access point name may be a wildcard as long as the account is fixed.
			parts := strings.SplitN(v, ":", 6)
			if len(parts) != 6 || strings.ContainsAny(strings.Join(parts[:5], ":"), "*?") {
				return false
			}
		case strings.ContainsAny(v, "*?"):
			return false
		}
	}
	return true
}
