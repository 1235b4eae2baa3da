package audit

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/plan"

	"github.com/s3grant/s3grant/policy"
)

// grantFindings flags a grant: public, whole-account, outside the
// organization, delegated to another account's access points.
func (a *auditor) grantFindings(g ExternalGrant, d policyDoc, s policy.Statement) {
	at := func(code string, sev policy.Severity, format string, args ...any) {
		a.add(policy.Finding{
			Code: code, Severity: sev, Document: d.name, Statement: g.Statement,
			Message: fmt.Sprintf(format, args...),
		})
	}
	switch g.Kind {
	case "anyone":
		a.anyoneFindings(g, d, s, at)
		return
	case "account":
		at("whole-account-grant", policy.SevWarning, "account %s is granted as a whole: "+
			"any role or user its administrators allow gets in; name the principals instead", g.Account)
	case "service":
		if d.kind != policy.KindKeyPolicy && !pinsSource(s) {
			at("service-without-source", policy.SevWarning,
				"grants the service %s with no aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition: "+
					"the service acting for any other account could reach the bucket (the confused deputy problem)",
				g.Who)
		}
	}
	if g.Account != "" {
		a.orgFinding(g, s, at)
	}
}

func (a *auditor) anyoneFindings(
	g ExternalGrant,
	d policyDoc,
	s policy.Statement,
	at func(string, policy.Severity, string, ...any),
) {
	if !policy.IsPublicStatement(s) {
		if acct := delegatedAPAccount(s); acct != "" && acct != a.st.OwnerAccount {
			at("external-access-point-delegation", policy.SevWarning, "delegates to access points of account %s: "+
				"that account's access point policies decide who gets in", acct)
		}
		return
	}
	bpa := a.effectiveBPA(d.ap)
	if d.kind == policy.KindKeyPolicy || !bpa.RestrictPublicBuckets {
		at("public-statement", policy.SevHigh, "public: %s", g.InWords)
		return
	}
	at("public-statement-restricted", policy.SevWarning,
		"public by S3's rule, but Block Public Access RestrictPublicBuckets "+
			"limits it to principals of account %s and AWS services; "+
			"it becomes public if that setting is turned off",
		a.st.OwnerAccount)
}

// delegatedAPAccount returns the account a Principal "*" statement delegates
// to through s3:DataAccessPointAccount or s3:DataAccessPointArn.
func delegatedAPAccount(s policy.Statement) string {
	for op, kv := range s.Condition {
		if op != "StringEquals" && op != "ArnEquals" && op != "StringLike" && op != "ArnLike" {
			continue
		}
		for key, v := range kv {
			vals := v.Strings()
			if len(vals) == 0 {
				continue
			}
			switch strings.ToLower(key) {
			case "s3:dataaccesspointaccount":
				return vals[0]
			case "s3:dataaccesspointarn":
				return policy.ParsePrincipal(vals[0]).Account
			}
		}
	}
	return ""
}

// orgFinding flags a grant to an account outside the organization given:
// by membership when the organization's accounts are known, otherwise when
// nothing pins the grant inside it (no aws:PrincipalOrgID condition).
func (a *auditor) orgFinding(g ExternalGrant, s policy.Statement, at func(string, policy.Severity, string, ...any)) {
	switch {
	case a.st.OrgID == "":
	case a.st.OrgAccounts != nil && !hasAccount(a.st.OrgAccounts, g.Account):
		note := ""
		if pinsOrg(s, a.st.OrgID) {
			note = " (its aws:PrincipalOrgID condition keeps that account's principals out, " +
				"so the grant is dead weight)"
		}
		at("outside-organization", policy.SevHigh,
			"names account %s, which is not a member of organization %s%s", g.Account, a.st.OrgID, note)
	case a.st.OrgAccounts == nil && !pinsOrg(s, a.st.OrgID):
		why := ""
		if a.st.OrgAccountsNote != "" {
			why = " (the organization's accounts could not be listed: " + a.st.OrgAccountsNote + ")"
		}
		at("organization-not-enforced", policy.SevWarning,
			"names account %s with no aws:PrincipalOrgID condition for %s: "+
				"nothing keeps this grant inside the organization%s",
			g.Account, a.st.OrgID, why)
	}
}

func hasAccount(list []string, id string) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// pinsSource reports whether a service grant is limited to requests the
// service makes for a given account, resource or organization.
func pinsSource(s policy.Statement) bool {
	for _, kv := range s.Condition {
		for key := range kv {
			switch strings.ToLower(key) {
			case "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner":
				return true
			}
		}
	}
	return false
}

// pinsOrg reports whether the statement requires the caller to be in org.
func pinsOrg(s policy.Statement, org string) bool {
	for _, op := range []string{"StringEquals", "StringEqualsIgnoreCase", "StringLike"} {
		for key, v := range s.Condition[op] {
			if !strings.EqualFold(key, "aws:PrincipalOrgID") {
				continue
			}
			vals := v.Strings()
			if len(vals) == 1 && vals[0] == org {
				return true
			}
		}
	}
	return false
}

// settingFindings flags ACLs in use, access points without a policy, Block
// Public Access left off and encryption that stops other accounts.
func (a *auditor) settingFindings() {
	bucket := "bucket " + a.bucketARN()
	switch a.st.ObjectOwnership {
	case policy.OwnershipBucketOwnerEnforced:
	case "":
		a.add(policy.Finding{
			Code: "acls-enabled", Severity: policy.SevWarning, Document: bucket,
			Message: "no Object Ownership setting (an older bucket): ACLs decide access next to the policies; " +
				"set BucketOwnerEnforced once no ACL grant is needed",
		})
	default:
		a.add(policy.Finding{
			Code: "acls-enabled", Severity: policy.SevWarning, Document: bucket,
			Message: fmt.Sprintf("Object Ownership is %s: ACLs decide access next to the policies; "+
				"set BucketOwnerEnforced once no ACL grant is needed", a.st.ObjectOwnership),
		})
	}
	if a.st.AccessPointsNote != "" {
		a.add(policy.Finding{
			Code: "access-points-unknown", Severity: policy.SevWarning, Document: bucket,
			Message: "the access points on the bucket could not be read, " +
				"so grants through them are not audited: " + a.st.AccessPointsNote,
		})
	}
	for _, ap := range a.st.AccessPoints {
		if ap.Policy == nil {
			a.add(policy.Finding{
				Code: "access-point-no-policy", Severity: policy.SevWarning, Document: "access point " + ap.ARN,
				Message: "the access point has no policy: " +
					"any principal of the owner account whose IAM policies allow it gets in through it, " +
					"within what the bucket policy delegates",
			})
		}
	}
	if off := bpaOff(a.st.AccountBPA, a.st.BucketBPA); len(off) > 0 {
		a.add(policy.Finding{
			Code: "block-public-access-off", Severity: policy.SevWarning, Document: bucket,
			Message: "Block Public Access is off for " + strings.Join(off, ", ") +
				" (neither the account nor the bucket turns it on)",
		})
	}
	if e := a.st.Encryption; e.KeyPolicyError != "" {
		a.add(policy.Finding{
			Code: "key-policy-unreadable", Severity: policy.SevWarning, Document: "key policy " + e.KeyARN,
			Message: "the default encryption key's policy could not be read, " +
				"so the grants it makes are not audited: " + e.KeyPolicyError,
		})
	}
	if e := a.st.Encryption; e.AWSManaged && a.hasExternalGrant() {
		a.add(policy.Finding{
			Code: "aws-managed-key", Severity: policy.SevWarning, Document: bucket,
			Message: "objects are encrypted by default with the AWS-managed aws/s3 key, " +
				"which no other account can use: the outside grants cannot read or write those objects",
		})
	}
}

func (a *auditor) hasExternalGrant() bool {
	for _, g := range a.report.Grants {
		if g.Kind != "service" {
			return true
		}
	}
	return false
}

// bpaOff names the switches neither the account nor the bucket turns on.
func bpaOff(acct, bkt plan.PublicAccessBlock) []string {
	var off []string
	for _, sw := range []struct {
		name string
		on   bool
	}{
		{"BlockPublicAcls", acct.BlockPublicAcls || bkt.BlockPublicAcls},
		{"IgnorePublicAcls", acct.IgnorePublicAcls || bkt.IgnorePublicAcls},
		{"BlockPublicPolicy", acct.BlockPublicPolicy || bkt.BlockPublicPolicy},
		{"RestrictPublicBuckets", acct.RestrictPublicBuckets || bkt.RestrictPublicBuckets},
	} {
		if !sw.on {
			off = append(off, sw.name)
		}
	}
	return off
}

// evalACLAnonymous evaluates the anonymous requests an AllUsers grant covers.
func (a *auditor) evalACLAnonymous(perm string) []AccessCheck {
	var out []AccessCheck
	for _, act := range []string{"s3:ListBucket", "s3:PutObject"} {
		if !policy.ACLAllows(perm, act, false) {
			continue
		}
		r := policy.S3Request{
			Action: act, Bucket: a.st.Bucket, BucketAccount: a.st.OwnerAccount, Partition: a.partition(),
			Context: policy.Context{}.Set("aws:SecureTransport", "true"),
		}
		if act == "s3:PutObject" {
			r.Key = sampleKeyPart
		}
		res := policy.AuthorizeS3(r, a.s3Setup(policyDoc{}, ""))
		c := AccessCheck{Action: act, Resource: r.S3ResourceARN(), Decision: res.Decision}
		if !res.Allowed() && len(res.Reasons) > 0 {
			c.Why = res.Reasons[0].String()
		}
		out = append(out, c)
	}
	return out
}
