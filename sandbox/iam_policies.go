package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/s3grant/s3grant/policy"
)

// principalPolicies is what inline and attached policy calls change: a
// role's or a user's.
type principalPolicies struct {
	kind     string // "Role" or "User"
	name     string
	inline   map[string]string
	attached *[]string
}

// holder finds the role or user an inline/attach call names and
// authorises action on it.
func (c *call) holder(kind string, f url.Values, action string) (*principalPolicies, *apiError) {
	if kind == "Role" {
		r, err := c.role(f.Get("RoleName"), action)
		if err != nil {
			return nil, err
		}
		return &principalPolicies{kind: kind, name: r.Name, inline: r.Inline, attached: &r.Attached}, nil
	}
	u, err := c.user(f.Get("UserName"), action)
	if err != nil {
		return nil, err
	}
	return &principalPolicies{kind: kind, name: u.Name, inline: u.Inline, attached: &u.Attached}, nil
}

func kindOf(action string) string {
	if strings.Contains(action, "Role") {
		return "Role"
	}
	return "User"
}

// iamInline serves Put/Get/Delete/List of role and user inline policies.
func (c *call) iamInline(f url.Values) *apiError {
	action := f.Get("Action")
	kind := kindOf(action)
	h, err := c.holder(kind, f, "iam:"+action)
	if err != nil {
		return err
	}
	name := f.Get("PolicyName")
	switch verb := strings.TrimSuffix(action, kind+"Policy"); verb {
	case "Put":
		if !iamPolicyPattern.MatchString(name) {
			return validationError("PolicyName", "1-128 of [\\w+=,.@-]", "s3grant-analytics-exports", name)
		}
		doc := f.Get("PolicyDocument")
		if err := c.checkIdentityDoc(doc, policy.KindIdentityPolicy); err != nil {
			return err
		}
		if total := inlineSize(h.inline, name, doc); total > policy.MaxSize(policy.KindIdentityPolicy) {
			return errf(http.StatusConflict, "LimitExceeded",
				"Maximum policy size of %d bytes exceeded for %s %s (inline policies together: %d)",
				policy.MaxSize(policy.KindIdentityPolicy), strings.ToLower(kind), h.name, total)
		}
		h.inline[name] = doc
		c.dirty = true
		return c.writeQuery(iamNS, action, nil)
	case "Get":
		doc, ok := h.inline[name]
		if !ok {
			return errf(http.StatusNotFound, "NoSuchEntity",
				"The %s policy with name %s cannot be found.", strings.ToLower(kind), name)
		}
		return c.writeQuery(iamNS, action, struct {
			RoleName       string `xml:"RoleName,omitempty"`
			UserName       string `xml:"UserName,omitempty"`
			PolicyName     string `xml:"PolicyName"`
			PolicyDocument string `xml:"PolicyDocument"`
		}{
			RoleName: ifKind(kind, "Role", h.name), UserName: ifKind(kind, "User", h.name),
			PolicyName: name, PolicyDocument: iamEscape(doc),
		})
	case "Delete":
		if _, ok := h.inline[name]; !ok {
			return errf(http.StatusNotFound, "NoSuchEntity",
				"The %s policy with name %s cannot be found.", strings.ToLower(kind), name)
		}
		delete(h.inline, name)
		c.dirty = true
		return c.writeQuery(iamNS, action, nil)
	}
	return c.writeQuery(iamNS, action, struct {
		PolicyNames []string `xml:"PolicyNames>member"`
		IsTruncated bool     `xml:"IsTruncated"`
	}{PolicyNames: sortedKeys(h.inline)})
}

func ifKind(kind, want, v string) string {
	if kind == want {
		return v
	}
	return ""
}

// inlineSize is the size IAM counts against the 10,240-character quota of
// a principal's inline policies, with name's document replaced by doc.
func inlineSize(inline map[string]string, name, doc string) int {
	total := 0
	for n, d := range inline {
		if n != name {
			total += minifiedLen(d)
		}
	}
	return total + minifiedLen(doc)
}

func minifiedLen(doc string) int {
	if p, err := policy.Parse([]byte(doc)); err == nil {
		return p.Size()
	}
	return utf8.RuneCountInString(doc)
}

// iamAttachment serves Attach/Detach/ListAttached for roles and users.
func (c *call) iamAttachment(f url.Values) *apiError {
	action := f.Get("Action")
	kind := kindOf(action)
	h, err := c.holder(kind, f, "iam:"+action)
	if err != nil {
		return err
	}
	arn := f.Get("PolicyArn")
	switch {
	case strings.HasPrefix(action, "Attach"):
		if c.sb.managedDocument(arn) == "" {
			return errf(http.StatusNotFound, "NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
		}
		if !slices.Contains(*h.attached, arn) {
			*h.attached = append(*h.attached, arn)
			c.dirty = true
		}
		return c.writeQuery(iamNS, action, nil)
	case strings.HasPrefix(action, "Detach"):
		i := slices.Index(*h.attached, arn)
		if i < 0 {
			return errf(http.StatusNotFound, "NoSuchEntity", "Policy %s was not found.", arn)
		}
		*h.attached = slices.Delete(*h.attached, i, i+1)
		c.dirty = true
		return c.writeQuery(iamNS, action, nil)
	}
	type attached struct {
		PolicyName string `xml:"PolicyName"`
		PolicyArn  string `xml:"PolicyArn"`
	}
	var out []attached
	for _, a := range *h.attached {
		out = append(out, attached{a[strings.LastIndexByte(a, '/')+1:], a})
	}
	return c.writeQuery(iamNS, action, struct {
		AttachedPolicies []attached `xml:"AttachedPolicies>member"`
		IsTruncated      bool       `xml:"IsTruncated"`
	}{AttachedPolicies: out})
}

// attachments counts the roles and users a managed policy is attached to.
func (c *call) attachments(arn string) int {
	n := 0
	for _, r := range c.account().Roles {
		if slices.Contains(r.Attached, arn) {
			n++
		}
	}
	for _, u := range c.account().Users {
		if slices.Contains(u.Attached, arn) {
			n++
		}
	}
	return n
}

func policyVersionID(n int) string { return fmt.Sprintf("v%d", n) }
