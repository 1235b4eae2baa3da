package sandbox

import (
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// serveSTS answers the STS query protocol: GetCallerIdentity and
// AssumeRole.
func (c *call) serveSTS() *apiError {
	f := c.form()
	switch action := f.Get("Action"); action {
	case "GetCallerIdentity":
		// Needs no permission: AWS answers it even when everything is denied.
		return c.writeQuery(stsNS, action, struct {
			Arn     string `xml:"Arn"`
			UserID  string `xml:"UserId"`
			Account string `xml:"Account"`
		}{c.caller.ARN, c.caller.UserID, c.caller.Account})
	case "AssumeRole":
		return c.assumeRole(f)
	default:
		return notImplemented("STS", action)
	}
}

var sessionNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\w+=,.@-]{2,64}$`) })

// assumeRole authorises sts:AssumeRole with the caller's identity policies
// and the role's trust policy (which must allow explicitly), and issues a
// session. Role chaining caps the session at one hour.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func (c *call) assumeRole(f url.Values) *apiError {
	unsupportedParams := []string{
		"Policy", "PolicyArns.member.1.arn", "Tags.member.1.Key", "TransitiveTagKeys.member.1", "SerialNumber",
	}
	for _, unsupported := range unsupportedParams {
		if f.Get(unsupported) != "" {
			return notImplemented("STS", "AssumeRole with "+unsupported)
		}
	}
	roleARN, session := f.Get("RoleArn"), f.Get("RoleSessionName")
	if !sessionNamePattern().MatchString(session) {
		return validationError("RoleSessionName", "2-64 of [\\w+=,.@-]", "s3grant-verify", session)
	}
	p := policy.ParsePrincipal(roleARN)
	if p.Kind != "role" {
		return validationError("RoleArn", "a role ARN", arn.Role(partition, OwnerAccount, "analytics"), roleARN)
	}
	var role *Role
	if a := c.sb.st.Accounts[p.Account]; a != nil {
		role = a.Roles[p.Name]
	}
	ctx := policy.Context{}
	if ext := f.Get("ExternalId"); ext != "" {
		ctx.Set("sts:ExternalId", ext)
	}
	ctx.Set("sts:RoleSessionName", session)
	var trust *policy.Doc
	if role != nil {
		trust = &policy.Doc{
			Name: "trust policy of " + roleARN, Kind: policy.KindTrustPolicy,
			Policy: c.sb.policies.parse(role.Trust),
		}
	}
	res := c.evaluate("sts:AssumeRole", roleARN, p.Account, trust, ctx)
	if role == nil || !res.Allowed() {
		if role == nil {
			missing := policy.Reason{Document: roleARN, Message: "the role does not exist"}
			res = policy.Result{Decision: policy.ImplicitlyDenied, Reasons: []policy.Reason{missing}}
		}
		return accessDenied("AccessDenied", http.StatusForbidden, c.notAuthorized("sts:AssumeRole", roleARN), res)
	}
	chained := policy.ParsePrincipal(c.caller.ARN).Kind == "assumed-role"
	limit := role.MaxSessionDuration
	if chained {
		limit = 3600
	}
	dur := atoiDefault(f.Get("DurationSeconds"), 3600)
	if dur < 900 || dur > limit {
		return validationError("DurationSeconds",
			"900 to the role's maximum session duration (3600 when chaining roles)", "3600", f.Get("DurationSeconds"))
	}
	c.sb.pruneExpired(c.now)
	cred := c.sb.st.NewSession(p.Account, role.Name, session, c.now.Add(time.Duration(dur)*time.Second))
	cred.Chained = chained
	c.dirty = true
	return c.writeQuery(stsNS, "AssumeRole", struct {
		AccessKeyID     string `xml:"Credentials>AccessKeyId"`
		SecretAccessKey string `xml:"Credentials>SecretAccessKey"`
		SessionToken    string `xml:"Credentials>SessionToken"`
		Expiration      string `xml:"Credentials>Expiration"`
		AssumedRoleID   string `xml:"AssumedRoleUser>AssumedRoleId"`
		Arn             string `xml:"AssumedRoleUser>Arn"`
		PackedSize      int    `xml:"PackedPolicySize"`
	}{cred.AccessKeyID, cred.Secret, cred.Token, iamTime(cred.Expires), role.ID + ":" + session, cred.Principal, 0})
}

// pruneExpired forgets expired temporary credentials so a long-running
// sandbox's state stays small.
func (sb *Sandbox) pruneExpired(now time.Time) {
	for id, k := range sb.st.Keys {
		if !k.Expires.IsZero() && now.After(k.Expires) {
			delete(sb.st.Keys, id)
		}
	}
}
