package sandbox

import (
	"net/http"
	"net/url"
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"

	"github.com/s3grant/s3grant/policy"
)

// maxPolicyVersions is how many versions a managed policy keeps.
const maxPolicyVersions = 5

type xmlPolicy struct {
	PolicyName       string `xml:"PolicyName"`
	PolicyID         string `xml:"PolicyId"`
	Arn              string `xml:"Arn"`
	Path             string `xml:"Path"`
	DefaultVersionID string `xml:"DefaultVersionId"`
	AttachmentCount  int    `xml:"AttachmentCount"`
	IsAttachable     bool   `xml:"IsAttachable"`
	CreateDate       string `xml:"CreateDate"`
	UpdateDate       string `xml:"UpdateDate"`
}

type xmlPolicyVersion struct {
	Document         string `xml:"Document,omitempty"`
	VersionID        string `xml:"VersionId"`
	IsDefaultVersion bool   `xml:"IsDefaultVersion"`
	CreateDate       string `xml:"CreateDate"`
}

// versionXML describes a policy version without its document, as
// ListPolicyVersions does; GetPolicyVersion adds it.
func versionXML(v *PolVers, defaultID string) xmlPolicyVersion {
	return xmlPolicyVersion{VersionID: v.ID, IsDefaultVersion: v.ID == defaultID, CreateDate: iamTime(v.Created)}
}

func (c *call) policyXML(mp *ManagedPol) xmlPolicy {
	arn := c.iamARN("policy", mp.Path, mp.Name)
	return xmlPolicy{
		PolicyName: mp.Name, PolicyID: mp.ID, Arn: arn, Path: mp.Path, DefaultVersionID: mp.Default,
		AttachmentCount: c.attachments(arn), IsAttachable: true,
		CreateDate: iamTime(mp.Created), UpdateDate: iamTime(mp.Updated),
	}
}

// iamManaged serves the customer managed policy calls.
func (c *call) iamManaged(f url.Values) *apiError {
	action := f.Get("Action")
	switch action {
	case "CreatePolicy":
		return c.iamCreatePolicy(f)
	case "ListPolicies":
		if err := c.requireIAM("iam:ListPolicies", c.iamARN("policy", "/", "*")); err != nil {
			return err
		}
		var out []xmlPolicy
		for _, n := range sortedKeys(c.account().Policies) {
			out = append(out, c.policyXML(c.account().Policies[n]))
		}
		return c.writeQuery(iamNS, action, struct {
			Policies    []xmlPolicy `xml:"Policies>member"`
			IsTruncated bool        `xml:"IsTruncated"`
		}{Policies: out})
	}
	arn := f.Get("PolicyArn")
	if err := c.requireIAM("iam:"+action, arn); err != nil {
		return err
	}
	mp := c.sb.managedPolicy(arn)
	if mp == nil || !strings.HasPrefix(arn, awsarn.IAM(partition, c.caller.Account, "")) {
		return errf(http.StatusNotFound, "NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
	}
	return c.iamPolicyOp(action, arn, mp, f)
}

func (c *call) iamCreatePolicy(f url.Values) *apiError {
	name, path := f.Get("PolicyName"), f.Get("Path")
	if path == "" {
		path = "/"
	}
	if !iamPolicyPattern.MatchString(name) {
		return validationError("PolicyName", "1-128 of [\\w+=,.@-]", "s3grant-analytics-exports", name)
	}
	if !iamPathPattern.MatchString(path) {
		return validationError("Path", "/ or /.../", "/s3grant/", path)
	}
	arn := c.iamARN("policy", path, name)
	if err := c.requireIAM("iam:CreatePolicy", arn); err != nil {
		return err
	}
	if c.account().Policies[name] != nil {
		return errf(http.StatusConflict, "EntityAlreadyExists",
			"A policy called %s already exists. Duplicate names are not allowed.", name)
	}
	doc := f.Get("PolicyDocument")
	if err := c.checkIdentityDoc(doc, policy.KindManagedPolicy); err != nil {
		return err
	}
	mp := &ManagedPol{
		Name: name, Path: path, ID: randomID("ANPA", 17), Created: c.now, Updated: c.now, Default: "v1", NextVer: 2,
		Versions: map[string]*PolVers{"v1": {ID: "v1", Document: doc, Created: c.now}},
	}
	c.account().Policies[name] = mp
	c.dirty = true
	return c.writeQuery(iamNS, "CreatePolicy", struct {
		Policy xmlPolicy `xml:"Policy"`
	}{c.policyXML(mp)})
}

func (c *call) iamPolicyOp(action, arn string, mp *ManagedPol, f url.Values) *apiError {
	switch action {
	case "GetPolicy":
		return c.writeQuery(iamNS, action, struct {
			Policy xmlPolicy `xml:"Policy"`
		}{c.policyXML(mp)})
	case "DeletePolicy":
		if c.attachments(arn) > 0 {
			return errf(http.StatusConflict, "DeleteConflict", "Cannot delete a policy attached to entities.")
		}
		if len(mp.Versions) > 1 {
			return errf(http.StatusConflict, "DeleteConflict",
				"This policy has more than one version. "+
					"Before you delete a policy, you must delete the policy's versions. "+
					"The default version is deleted with the policy.")
		}
		delete(c.account().Policies, mp.Name)
		c.dirty = true
		return c.writeQuery(iamNS, action, nil)
	case "ListPolicyVersions":
		var out []xmlPolicyVersion
		for _, id := range sortedKeys(mp.Versions) {
			v := mp.Versions[id]
			out = append(out, versionXML(v, mp.Default))
		}
		return c.writeQuery(iamNS, action, struct {
			Versions    []xmlPolicyVersion `xml:"Versions>member"`
			IsTruncated bool               `xml:"IsTruncated"`
		}{Versions: out})
	case "CreatePolicyVersion":
		return c.iamCreatePolicyVersion(mp, f)
	}
	id := f.Get("VersionId")
	v := mp.Versions[id]
	if v == nil {
		return errf(http.StatusNotFound, "NoSuchEntity",
			"Policy %s version %s does not exist or is not attachable.", arn, id)
	}
	switch action {
	case "GetPolicyVersion":
		x := versionXML(v, mp.Default)
		x.Document = iamEscape(v.Document)
		return c.writeQuery(iamNS, action, struct {
			PolicyVersion xmlPolicyVersion `xml:"PolicyVersion"`
		}{x})
	case "DeletePolicyVersion":
		if id == mp.Default {
			return errf(http.StatusConflict, "DeleteConflict", "Cannot delete the default version of a policy.")
		}
		delete(mp.Versions, id)
	case "SetDefaultPolicyVersion":
		mp.Default = id
	}
	mp.Updated = c.now
	c.dirty = true
	return c.writeQuery(iamNS, action, nil)
}

func (c *call) iamCreatePolicyVersion(mp *ManagedPol, f url.Values) *apiError {
	if len(mp.Versions) >= maxPolicyVersions {
		return errf(http.StatusConflict, "LimitExceeded",
			"A managed policy can have up to %d versions. "+
				"Before you create a new version, you must delete an existing version.", maxPolicyVersions)
	}
	doc := f.Get("PolicyDocument")
	if err := c.checkIdentityDoc(doc, policy.KindManagedPolicy); err != nil {
		return err
	}
	id := policyVersionID(mp.NextVer)
	mp.NextVer++
	mp.Versions[id] = &PolVers{ID: id, Document: doc, Created: c.now}
	if f.Get("SetAsDefault") == "true" {
		mp.Default = id
	}
	mp.Updated = c.now
	c.dirty = true
	return c.writeQuery(iamNS, "CreatePolicyVersion", struct {
		PolicyVersion xmlPolicyVersion `xml:"PolicyVersion"`
	}{xmlPolicyVersion{VersionID: id, IsDefaultVersion: id == mp.Default, CreateDate: iamTime(c.now)}})
}
