package policy

import (
	"fmt"
	"strings"
)

// s3Level says whether an S3 action works on objects or on the bucket (or
// access point); "" when it is neither or a wildcard.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
func s3Level(action string) string {
	a := strings.ToLower(action)
	if !strings.HasPrefix(a, "s3:") || strings.ContainsAny(a, "*?") {
		return ""
	}
	for _, p := range []string{
		"s3:getobject", "s3:putobject", "s3:deleteobject",
		"s3:abortmultipartupload", "s3:listmultipartuploadparts", "s3:restoreobject",
	} {
		if strings.HasPrefix(a, p) {
			return "object"
		}
	}
	for _, p := range []string{
		"s3:listbucket", "s3:getbucket", "s3:putbucket", "s3:deletebucket", "s3:getaccesspoint",
		"s3:getlifecycleconfiguration", "s3:putlifecycleconfiguration",
	} {
		if strings.HasPrefix(a, p) {
			return "bucket"
		}
	}
	return ""
}

// resourceLevel classifies an S3 resource ARN: "bucket" for a bucket or an
// access point, "object" for the objects under them, "" for anything else
// (including patterns that could be either).
func resourceLevel(r string) string {
	if strings.HasPrefix(r, "arn:") {
		parts := strings.SplitN(r, ":", 6)
		if len(parts) != 6 || parts[2] != "s3" {
			return ""
		}
		res := parts[5]
		if strings.HasPrefix(res, "accesspoint/") {
			rest := strings.TrimPrefix(res, "accesspoint/")
			switch {
			case strings.Contains(rest, "/object/"):
				return "object"
			case strings.ContainsAny(rest, "*?/"):
				return ""
			}
			return "bucket"
		}
		switch {
		case parts[3] != "" || parts[4] != "":
			return ""
		case strings.Contains(res, "/"):
			return "object"
		case strings.ContainsAny(res, "*?"):
			return ""
		}
		return "bucket"
	}
	return ""
}

// actionResourceMismatch finds an S3 action that none of the statement's
// resources can carry, which AWS rejects with "Action does not apply to any
// resource(s) in statement".
func actionResourceMismatch(s Statement) (string, bool) {
	if s.Resource.Empty() {
		return "", false
	}
	levels := map[string]bool{}
	for _, r := range s.Resource.Values {
		l := resourceLevel(r)
		if l == "" {
			return "", false // a resource that could be anything
		}
		levels[l] = true
	}
	for _, a := range s.Action.Values {
		if l := s3Level(a); l != "" && !levels[l] {
			return a, true
		}
	}
	return "", false
}

// LintACL checks a bucket ACL: any grant beyond the owner's own is legacy
// ACL use; grants to AllUsers or AuthenticatedUsers make the bucket public.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func LintACL(a *ACL, name string) []Finding {
	if a == nil {
		return nil
	}
	var out []Finding
	for i, g := range a.Grants {
		where := fmt.Sprintf("Grant[%d]", i)
		switch {
		case g.Type == GranteeGroup && (g.URI == GroupAllUsers || g.URI == GroupAuthenticatedUsers):
			out = append(out, Finding{
				Code: LintPublicACL, Severity: SevHigh, Document: name, Statement: where,
				Message: fmt.Sprintf("grants %s to %s: the bucket is public "+
					"(Block Public Access IgnorePublicAcls would ignore it)", g.Permission, g.URI),
			})
		case g.Type == GranteeCanonicalUser && g.ID == a.Owner && a.Owner != "":
		default:
			out = append(out, Finding{
				Code: LintACLUse, Severity: SevWarning, Document: name, Statement: where,
				Message: fmt.Sprintf("grants %s through an ACL, a legacy mechanism AWS recommends disabling "+
					"(Object Ownership BucketOwnerEnforced); prefer a bucket policy", g.Permission),
			})
		}
	}
	return out
}
