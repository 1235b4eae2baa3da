package sandbox

import (
	"net/http"
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"

	"github.com/s3grant/s3grant/policy"
)

// awsManagedPolicy returns the document of an AWS managed policy the
// sandbox knows, by name (ARN arn:PARTITION:iam::aws:policy/NAME); "" otherwise.
// The documents are AWS's.
func awsManagedPolicy(name string) string {
	switch name {
	case "AdministratorAccess":
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	case "AmazonS3FullAccess":
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}`
	case "AmazonS3ReadOnlyAccess":
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],` +
			`"Resource":"*"}]}`
	case "IAMFullAccess":
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*",` +
			`"organizations:DescribeAccount","organizations:DescribeOrganization",` +
			`"organizations:DescribeOrganizationalUnit","organizations:DescribePolicy",` +
			`"organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget",` +
			`"organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],` +
			`"Resource":"*"}]}`
	}
	return ""
}

// rootPolicy stands for the root user's rights in its own account: it is not
// governed by identity policies.
const rootPolicy = `{"Version":"2012-10-17",` +
	`"Statement":[{"Sid":"RootUser","Effect":"Allow","Action":"*","Resource":"*"}]}`

// identity returns the caller's identity-based policies: the root user's
// implicit rights, a user's inline and attached policies, or the assumed
// role's.
func (c *call) identity() []policy.Doc {
	if c.caller == nil || c.caller.Anonymous {
		return nil
	}
	p := policy.ParsePrincipal(c.caller.ARN)
	acct := c.sb.st.Accounts[c.caller.Account]
	if acct == nil {
		return nil
	}
	var inline map[string]string
	var attached []string
	var owner string
	switch p.Kind {
	case "root":
		return []policy.Doc{{
			Name: "root user of " + acct.ID, Kind: policy.KindIdentityPolicy,
			Policy: c.sb.policies.parse(rootPolicy),
		}}
	case "user":
		if u := acct.Users[p.Name]; u != nil {
			inline, attached, owner = u.Inline, u.Attached, "user "+u.Name
		}
	case "assumed-role":
		if r := acct.Roles[p.Name]; r != nil {
			inline, attached, owner = r.Inline, r.Attached, "role "+r.Name
		}
	}
	var docs []policy.Doc
	for _, name := range sortedKeys(inline) {
		docs = append(docs, policy.Doc{
			Name: "inline policy " + name + " of " + owner, Kind: policy.KindIdentityPolicy,
			Policy: c.sb.policies.parse(inline[name]),
		})
	}
	for _, arn := range attached {
		if doc := c.sb.managedDocument(arn); doc != "" {
			docs = append(docs, policy.Doc{
				Name: "managed policy " + arn, Kind: policy.KindManagedPolicy,
				Policy: c.sb.policies.parse(doc),
			})
		}
	}
	return docs
}

// managedDocument returns the default version of a managed policy.
func (sb *Sandbox) managedDocument(arn string) string {
	if name, ok := strings.CutPrefix(arn, awsarn.ManagedPolicy(partition, "")); ok {
		return awsManagedPolicy(name[strings.LastIndexByte(name, '/')+1:])
	}
	mp := sb.managedPolicy(arn)
	if mp == nil || mp.Versions[mp.Default] == nil {
		return ""
	}
	return mp.Versions[mp.Default].Document
}

func (sb *Sandbox) managedPolicy(arn string) *ManagedPol {
	a, ok := awsarn.Parse(arn)
	if !ok || !strings.HasPrefix(a.Resource, "policy/") {
		return nil
	}
	acct := sb.st.Accounts[a.Account]
	if acct == nil {
		return nil
	}
	return acct.Policies[a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]]
}

// evaluate decides a non-S3 request with the caller's identity policies and
// an optional resource-based policy.
func (c *call) evaluate(action, resource, resourceAccount string, res *policy.Doc, extra policy.Context) policy.Result {
	ctx := c.baseContext()
	for k, v := range extra {
		ctx[k] = v
	}
	return policy.Evaluate(policy.Input{
		Request: policy.Request{
			Principal: c.caller.ARN, Action: action,
			Resource: resource, ResourceAccount: resourceAccount, Context: ctx,
		},
		Identity: c.identity(),
		Resource: res,
	})
}

// requireIAM authorises an action on a resource of the caller's own account
// (IAM, STS reads, S3 Control): identity policies decide.
func (c *call) requireIAM(action, resource string) *apiError {
	res := c.evaluate(action, resource, c.caller.Account, nil, nil)
	if res.Allowed() {
		return nil
	}
	code, status := "AccessDenied", http.StatusForbidden
	if c.proto == protoJSON {
		code, status = "AccessDeniedException", http.StatusBadRequest
	}
	return accessDenied(code, status, c.notAuthorized(action, resource), res)
}

// notAuthorized is AWS's message for a denied call.
func (c *call) notAuthorized(action, resource string) string {
	return "User: " + c.caller.ARN + " is not authorized to perform: " + action + " on resource: " + resource
}
