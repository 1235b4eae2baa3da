package sandbox

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

const (
	iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// form returns the query-protocol parameters (form body, or the URL query
// for GET requests).
func (c *call) form() url.Values {
	v, err := url.ParseQuery(string(c.body))
	if err != nil || len(v) == 0 {
		return c.r.URL.Query()
	}
	return v
}

// writeQuery writes a query-protocol answer: <ACTIONResponse> holding
// <ACTIONResult> and the request ID.
func (c *call) writeQuery(ns, action string, result any) *apiError {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<%sResponse xmlns="%s">`, action, ns)
	if result != nil {
		enc := xml.NewEncoder(&b)
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return errf(http.StatusInternalServerError, "ServiceFailure", "encode %s: %v", action, err)
		}
		_ = enc.Flush()
	}
	fmt.Fprintf(&b, `<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`, c.id, action)
	c.w.Header().Set("Content-Type", "text/xml")
	_, _ = c.w.Write(b.Bytes())
	return nil
}

func iamTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// iamEscape URL-encodes a policy document the way IAM returns it.
func iamEscape(doc string) string { return awsEscape(doc, true) }

// serveIAM answers the IAM query protocol.
func (c *call) serveIAM() *apiError {
	f := c.form()
	action := f.Get("Action")
	if h := iamHandler(action); h != nil {
		return h(c, f)
	}
	return notImplemented("IAM", action)
}

func iamHandler(action string) func(*call, url.Values) *apiError {
	switch action {
	case "CreateRole":
		return (*call).iamCreateRole
	case "GetRole":
		return (*call).iamGetRole
	case "DeleteRole":
		return (*call).iamDeleteRole
	case "ListRoles":
		return (*call).iamListRoles
	case "UpdateAssumeRolePolicy":
		return (*call).iamUpdateAssumeRolePolicy
	case "CreateUser":
		return (*call).iamCreateUser
	case "GetUser":
		return (*call).iamGetUser
	case "DeleteUser":
		return (*call).iamDeleteUser
	case "ListUsers":
		return (*call).iamListUsers
	case "CreateAccessKey":
		return (*call).iamCreateAccessKey
	case "PutRolePolicy", "PutUserPolicy", "GetRolePolicy", "GetUserPolicy",
		"DeleteRolePolicy", "DeleteUserPolicy", "ListRolePolicies", "ListUserPolicies":
		return (*call).iamInline
	case "AttachRolePolicy", "AttachUserPolicy", "DetachRolePolicy", "DetachUserPolicy",
		"ListAttachedRolePolicies", "ListAttachedUserPolicies":
		return (*call).iamAttachment
	case "CreatePolicy", "GetPolicy", "DeletePolicy", "ListPolicies", "GetPolicyVersion", "CreatePolicyVersion",
		"ListPolicyVersions", "DeletePolicyVersion", "SetDefaultPolicyVersion":
		return (*call).iamManaged
	}
	return nil
}

var (
	iamNamePattern   = boundedPattern{lazyRegexp(`^[\w+=,.@-]+$`), 64}
	iamPolicyPattern = boundedPattern{lazyRegexp(`^[\w+=,.@-]+$`), 128}
	iamPathPattern   = boundedPattern{lazyRegexp(`^/([\x21-\x7E]*/)?$`), 512}
)

func validationError(field, rule, example, got string) *apiError {
	return errf(http.StatusBadRequest, "ValidationError",
		"%s %q does not satisfy %s (e.g. %s)", field, got, rule, example)
}

func (c *call) iamARN(kind, path, name string) string {
	if path == "" {
		path = "/"
	}
	return arn.IAM(partition, c.caller.Account, kind+path+name)
}

func (c *call) account() *Account { return c.sb.st.Accounts[c.caller.Account] }

func noSuchEntity(kind, name string) *apiError {
	return errf(http.StatusNotFound, "NoSuchEntity", "The %s with name %s cannot be found.", kind, name)
}

// checkIdentityDoc validates an identity-based policy: no Principal, known
// shape, within kind's size.
func (c *call) checkIdentityDoc(doc string, kind policy.Kind) *apiError {
	p, msg := c.sb.validatePolicy(doc, policyCheck{kind: kind})
	if msg != "" {
		return errf(http.StatusBadRequest, "MalformedPolicyDocument", "%s", msg)
	}
	for _, s := range p.Statement {
		if s.Principal != nil || s.NotPrincipal != nil {
			return errf(http.StatusBadRequest, "MalformedPolicyDocument",
				"Policy document should not specify a principal.")
		}
		if s.Resource.Empty() && s.NotResource.Empty() {
			return errf(http.StatusBadRequest, "MalformedPolicyDocument", "Policy statement must contain resources.")
		}
	}
	return nil
}

// checkTrustDoc validates a role trust policy: principals that exist,
// sts: actions only, within the 2,048-character default quota.
func (c *call) checkTrustDoc(doc string) *apiError {
	check := policyCheck{kind: policy.KindTrustPolicy, needPrincipal: true, actionPrefix: []string{"sts:"}}
	_, msg := c.sb.validatePolicy(doc, check)
	if msg != "" {
		return errf(http.StatusBadRequest, "MalformedPolicyDocument", "%s", msg)
	}
	return nil
}

func atoiDefault(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// members reads a query-protocol list: PREFIX.member.1, PREFIX.member.2...
func members(f url.Values, prefix, field string) []string {
	var out []string
	for i := 1; ; i++ {
		k := fmt.Sprintf("%s.member.%d", prefix, i)
		if field != "" {
			k += "." + field
		}
		v, ok := f[k]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// boundedPattern is a character-class pattern plus a length limit: a regexp
// with a large bounded repeat ({0,510}) compiles to a huge program, which
// cost every s3grant start milliseconds.
type boundedPattern struct {
	re  func() *regexp.Regexp // compiled on first use, not at start-up
	max int
}

// MatchString reports whether s fits the pattern and the length limit.
func (b boundedPattern) MatchString(s string) bool { return len(s) <= b.max && b.re().MatchString(s) }

// lazyRegexp compiles expr on first use, keeping regexp compilation out of
// the start-up of every s3grant command.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
