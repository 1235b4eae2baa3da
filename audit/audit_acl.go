package audit

import (
	"fmt"

	"github.com/s3grant/s3grant/policy"
)

// aclGrants lists the bucket ACL's grants outside the owner and flags them.
func (a *auditor) aclGrants() {
	acl := a.st.BucketACL
	if acl == nil {
		return
	}
	enabled := a.st.ObjectOwnership != policy.OwnershipBucketOwnerEnforced
	ignorePublic := a.effectiveBPA(nil).IgnorePublicAcls
	doc := "bucket ACL " + a.bucketARN()
	owner := acl.Owner
	if owner == "" {
		owner = a.st.OwnerCanonicalID
	}
	for i, gr := range acl.Grants {
		if gr.Type == policy.GranteeCanonicalUser && gr.ID == owner {
			continue
		}
		label := fmt.Sprintf("grant %d", i+1)
		g := ExternalGrant{
			Who: gr.ID + gr.URI, Kind: "canonical-user", Document: doc, Statement: label,
			InWords:      policy.DescribeGrant(gr, owner),
			NotEvaluated: "a canonical user ID does not say which principal of its account calls",
		}
		switch {
		case gr.URI == policy.GroupAllUsers:
			g.Kind, g.NotEvaluated = "group", ""
			g.Access = a.evalACLAnonymous(gr.Permission)
		case gr.Type != policy.GranteeCanonicalUser:
			g.Kind, g.NotEvaluated = "group", "the evaluator is not given a principal for this group"
		}
		a.report.Grants = append(a.report.Grants, g)
		a.aclGrantFinding(gr, g, enabled, ignorePublic)
	}
}

func (a *auditor) aclGrantFinding(gr policy.Grant, g ExternalGrant, enabled, ignorePublic bool) {
	f := policy.Finding{Code: "acl-grant", Severity: policy.SevWarning, Document: g.Document, Statement: g.Statement}
	public := gr.URI == policy.GroupAllUsers || gr.URI == policy.GroupAuthenticatedUsers
	switch {
	case !enabled:
		f.Severity = policy.SevInfo
		f.Message = "ignored: Object Ownership BucketOwnerEnforced disables ACLs. " + g.InWords
	case public && ignorePublic:
		f.Code, f.Severity = "public-acl-ignored", policy.SevWarning
		f.Message = "public, but ignored while Block Public Access IgnorePublicAcls is on. " + g.InWords
	case public:
		f.Code, f.Severity, f.Message = "public-acl", policy.SevHigh, "public: "+g.InWords
	case gr.URI == policy.GroupLogDelivery:
		f.Severity = policy.SevInfo
		f.Message = "the legacy way to let server access logs in; " +
			"a bucket policy for logging.s3.amazonaws.com replaces it. " + g.InWords
	default:
		f.Message = "a legacy ACL grant to another account: " + g.InWords
	}
	a.add(f)
}
