package spec

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/arn"
)

// WithDefaults fills the answers a user may leave out: the access level
// (read), the access point owner (owner), the role name and the access point
// name. It never changes an answer that was given.
func (s Spec) WithDefaults() Spec {
	if s.Access == "" {
		s.Access = AccessRead
	}
	if s.Method == MethodIAMRole && s.RoleName == "" && s.Bucket != "" {
		s.RoleName = truncate("s3grant-"+s.Bucket, 64)
	}
	if s.Method == MethodAccessPoint {
		if s.AccessPointOwner == "" {
			s.AccessPointOwner = APOwnerOwner
		}
		if s.AccessPoint == "" && len(s.ConsumerAccounts) > 0 {
			s.AccessPoint = "s3grant-" + s.ConsumerAccounts[0]
		}
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, ".-")
}

// MaxListed bounds the prefixes, consumer principals and consumer accounts
// of one spec. Each one takes at least ~20 characters of a document (a
// prefix in a resource ARN, "arn:aws:s3:::abc/a/*"; a principal or account
// ARN, "arn:aws:iam::111122223333:root"), and the largest documents s3grant
// writes are a 20 KB bucket or access point policy
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html)
// and a 32 KB key policy
// (https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html),
// so more than 1000 can never be written; refusing them first keeps
// validation fast on a file with 500,000 prefixes. Below the bound, the
// plan's size check gives the exact limit of the document that overflows.
const MaxListed = 1000

// checkCounts refuses lists longer than MaxListed, before anything looks at
// their items.
func (s Spec) checkCounts() []*FieldError {
	var probs []*FieldError
	for _, l := range []struct {
		field, example string
		n              int
	}{
		{"consumer-account", "222233334444", len(s.ConsumerAccounts)},
		{"consumer-principal", ExamplePrincipal, len(s.ConsumerPrincipals)},
		{"prefix", ExamplePrefix, len(s.Prefixes)},
		{"canonical-id", ExampleCanonical, len(s.CanonicalIDs)},
	} {
		if l.n > MaxListed {
			probs = append(probs, fieldErr(l.field, l.example,
				"%d given, at most %d: no AWS policy can hold that many (a bucket policy is at most 20 KB); "+
					"split the grant by prefix or by consumer", l.n, MaxListed))
		}
	}
	return probs
}

// Validate checks every answer and the rules between them, returning a
// *ValidationError listing every problem, or nil.
func (s Spec) Validate() error {
	if probs := s.checkCounts(); len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	var probs []*FieldError
	add := func(err error) {
		if fe := asFieldError(err); fe != nil {
			probs = append(probs, fe)
		}
	}
	if s.Method == "" {
		add(fieldErr("method", "bucket-policy", "is required: one of bucket-policy, iam-role, access-point, acl"))
	} else {
		add(ValidateMethod(string(s.Method)))
	}
	if s.Bucket == "" {
		add(fieldErr("bucket", ExampleBucket, "is required"))
	} else {
		add(ValidateBucket(s.Bucket))
	}
	if s.Region != "" {
		add(ValidateRegion(s.Region))
	} else if s.Method == MethodAccessPoint {
		add(fieldErr("region", ExampleRegion, "is required for access points (it is part of the access point ARN)"))
	}
	if s.OwnerAccount == "" {
		add(fieldErr("owner-account", ExampleAccount, "is required: the account that owns the bucket"))
	} else {
		add(ValidateAccountID("owner-account", s.OwnerAccount))
	}
	add(ValidateAccess(string(s.Access)))
	probs = append(probs, s.checkConsumers()...)
	probs = append(probs, s.checkPrefixes()...)
	probs = append(probs, s.checkMethodFields()...)
	if s.OrgID != "" {
		add(ValidateOrgID(s.OrgID))
	}
	if s.KMSKey != "" {
		add(s.checkKMS())
	}
	if len(probs) == 0 {
		return nil
	}
	return &ValidationError{Problems: probs}
}

func (s Spec) checkConsumers() []*FieldError {
	var probs []*FieldError
	if len(s.ConsumerAccounts) == 0 {
		probs = append(probs, fieldErr("consumer-account", "222233334444", "at least one consumer account is required"))
	}
	seen := map[string]bool{}
	for _, c := range s.ConsumerAccounts {
		if err := ValidateAccountID("consumer-account", c); err != nil {
			probs = append(probs, asFieldError(err))
			continue
		}
		if c == s.OwnerAccount {
			probs = append(probs, fieldErr("consumer-account", "222233334444",
				"%s is the owner account: s3grant sets up access from another account", c))
		}
		if seen[c] {
			probs = append(probs, fieldErr("consumer-account", "222233334444", "%s is listed twice", c))
		}
		seen[c] = true
	}
	seenP := map[string]bool{}
	for _, p := range s.ConsumerPrincipals {
		if err := ValidatePrincipal(p); err != nil {
			probs = append(probs, asFieldError(err))
			continue
		}
		example := arn.Role(s.Partition(), "222233334444", "analytics")
		if fe := s.checkPartition("consumer-principal", p, example); fe != nil {
			probs = append(probs, fe)
		}
		if acct := arn.AccountOf(p); !seen[acct] {
			probs = append(probs, fieldErr("consumer-principal", ExamplePrincipal,
				"%s is in account %s, which is not a --consumer-account", p, acct))
		}
		if seenP[p] {
			probs = append(probs, fieldErr("consumer-principal", ExamplePrincipal, "%s is listed twice", p))
		}
		seenP[p] = true
	}
	return probs
}

func (s Spec) checkPrefixes() []*FieldError {
	var probs []*FieldError
	for i, p := range s.Prefixes {
		if err := ValidatePrefix(p); err != nil {
			probs = append(probs, asFieldError(err))
			continue
		}
		for j, q := range s.Prefixes {
			if i != j && strings.HasPrefix(p, q) && (p != q || i > j) {
				rule := fmt.Sprintf("%s is already covered by %s", p, q)
				if p == q {
					rule = p + " is listed twice"
				}
				probs = append(probs, fieldErr("prefix", ExamplePrefix, "%s", rule))
				break
			}
		}
	}
	if s.Method == MethodACL && len(s.Prefixes) > 0 {
		probs = append(probs, fieldErr("prefix", "(none)",
			"ACL grants cover the whole bucket and cannot be limited to prefixes: "+
				"leave out --prefix or choose --method bucket-policy"))
	}
	return probs
}

// onlyFor reports a field set for a method that does not use it.
func onlyFor(field, method string) *FieldError {
	return fieldErr(field, "--method "+method, "applies only to --method %s", method)
}

func (s Spec) checkMethodFields() []*FieldError {
	var probs []*FieldError
	add := func(err error) {
		if fe := asFieldError(err); fe != nil {
			probs = append(probs, fe)
		}
	}
	iam, ap, acl := s.Method == MethodIAMRole, s.Method == MethodAccessPoint, s.Method == MethodACL
	switch {
	case s.ExternalID != "" && !iam:
		add(onlyFor("external-id", "iam-role"))
	case s.ExternalID != "":
		add(ValidateExternalID(s.ExternalID))
	}
	switch {
	case s.RoleName != "" && !iam:
		add(onlyFor("role-name", "iam-role"))
	case iam && s.RoleName == "":
		add(fieldErr("role-name", ExampleRoleName, "is required for --method iam-role"))
	case s.RoleName != "":
		add(ValidateRoleName(s.RoleName))
	}
	switch {
	case s.AccessPoint != "" && !ap:
		add(onlyFor("access-point", "access-point"))
	case ap && s.AccessPoint == "":
		add(fieldErr("access-point", ExampleAPName, "is required for --method access-point"))
	case s.AccessPoint != "":
		add(ValidateAccessPointName(s.AccessPoint))
	}
	switch {
	case s.AccessPointOwner != "" && !ap:
		add(onlyFor("access-point-owner", "access-point"))
	case ap && s.AccessPointOwner != APOwnerOwner && s.AccessPointOwner != APOwnerConsumer:
		add(fieldErr("access-point-owner", "owner",
			"must be owner (the bucket owner's account) or consumer (a cross-account access point)"))
	case s.APOwnerIsConsumer() && len(s.ConsumerAccounts) > 1:
		add(fieldErr("access-point-owner", "owner",
			"a consumer-owned access point belongs to one account: give one --consumer-account or use owner"))
	}
	switch {
	case len(s.CanonicalIDs) > 0 && !acl:
		add(onlyFor("canonical-id", "acl"))
	case acl && len(s.CanonicalIDs) == 0:
		add(fieldErr("canonical-id", ExampleCanonical,
			"at least one is required for --method acl: ACLs grant to canonical user IDs, not account IDs"))
	case len(s.CanonicalIDs) > 99:
		add(fieldErr("canonical-id", ExampleCanonical, "at most 99 (an ACL holds 100 grants, one is the owner's)"))
	}
	for _, id := range s.CanonicalIDs {
		add(ValidateCanonicalID(id))
	}
	if acl && slices.Contains(AccessLevels, s.Access) && !slices.Contains(AccessLevelsFor(s.Method), s.Access) {
		add(fieldErr("access", "list", "a bucket ACL cannot grant reading objects (READ on a bucket only lists keys): "+
			"use --access list or write, or --method bucket-policy to read"))
	}
	return probs
}

func (s Spec) checkKMS() error {
	if err := ValidateKMSKey(s.KMSKey); err != nil {
		return err
	}
	key, _ := arn.Parse(s.KMSKey) // ValidateKMSKey accepted it
	example := arn.Key(s.Partition(), s.regionOr(ExampleRegion), s.OwnerAccount, "1234abcd-12ab-34cd-56ef-1234567890ab")
	if fe := s.checkPartition("kms-key", s.KMSKey, example); fe != nil {
		return fe
	}
	if key.Account != s.OwnerAccount {
		return fieldErr("kms-key", ExampleKMSKey,
			"the key is in account %s, not the owner account %s: give the bucket's key", key.Account, s.OwnerAccount)
	}
	if s.Region != "" && key.Region != s.Region {
		return fieldErr("kms-key", ExampleKMSKey,
			"the key is in region %s but the bucket is in %s: S3 uses a key in the bucket's region",
			key.Region, s.Region)
	}
	return nil
}

// asFieldError is the *FieldError in err's chain, or nil.
func asFieldError(err error) *FieldError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}
