package sandbox

import (
	"net/http"
	"net/url"
	"strings"
)

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type xmlRole struct {
	Path                     string   `xml:"Path"`
	RoleName                 string   `xml:"RoleName"`
	RoleID                   string   `xml:"RoleId"`
	Arn                      string   `xml:"Arn"`
	CreateDate               string   `xml:"CreateDate"`
	AssumeRolePolicyDocument string   `xml:"AssumeRolePolicyDocument"`
	Description              string   `xml:"Description,omitempty"`
	MaxSessionDuration       int      `xml:"MaxSessionDuration"`
	Tags                     []xmlTag `xml:"Tags>member,omitempty"`
}

func (c *call) roleXML(r *Role) xmlRole {
	x := xmlRole{
		Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: c.iamARN("role", r.Path, r.Name),
		CreateDate:               iamTime(r.Created),
		AssumeRolePolicyDocument: iamEscape(r.Trust),
		Description:              r.Description,
		MaxSessionDuration:       r.MaxSessionDuration,
	}
	for _, t := range r.Tags {
		x.Tags = append(x.Tags, xmlTag(t))
	}
	return x
}

func (c *call) iamCreateRole(f url.Values) *apiError {
	name, path := f.Get("RoleName"), f.Get("Path")
	if path == "" {
		path = "/"
	}
	if f.Get("PermissionsBoundary") != "" {
		return notImplemented("IAM", "CreateRole with a PermissionsBoundary")
	}
	if !iamNamePattern.MatchString(name) {
		return validationError("RoleName", "1-64 of [\\w+=,.@-]", "analytics-reader", name)
	}
	if !iamPathPattern.MatchString(path) {
		return validationError("Path", "/ or /.../", "/s3grant/", path)
	}
	if err := c.requireIAM("iam:CreateRole", c.iamARN("role", path, name)); err != nil {
		return err
	}
	acct := c.account()
	if acct.Roles[name] != nil {
		return errf(http.StatusConflict, "EntityAlreadyExists", "Role with name %s already exists.", name)
	}
	msd := atoiDefault(f.Get("MaxSessionDuration"), 3600)
	if msd < 3600 || msd > 43200 {
		return validationError("MaxSessionDuration", "3600-43200 seconds", "3600", f.Get("MaxSessionDuration"))
	}
	if err := c.checkTrustDoc(f.Get("AssumeRolePolicyDocument")); err != nil {
		return err
	}
	r := c.sb.st.addRole(acct, name, f.Get("AssumeRolePolicyDocument"), c.now)
	r.Path, r.Description, r.MaxSessionDuration = path, f.Get("Description"), msd
	keys, vals := members(f, "Tags", "Key"), members(f, "Tags", "Value")
	for i := range keys {
		if i < len(vals) {
			r.Tags = append(r.Tags, Tag{Key: keys[i], Value: vals[i]})
		}
	}
	c.dirty = true
	return c.writeQuery(iamNS, "CreateRole", struct {
		Role xmlRole `xml:"Role"`
	}{c.roleXML(r)})
}

// role finds a role of the caller's account and authorises action on it.
func (c *call) role(name, action string) (*Role, *apiError) {
	r := c.account().Roles[name]
	arn := c.iamARN("role", "/", name)
	if r != nil {
		arn = c.iamARN("role", r.Path, name)
	}
	if err := c.requireIAM(action, arn); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchEntity("role", name)
	}
	return r, nil
}

func (c *call) iamGetRole(f url.Values) *apiError {
	r, err := c.role(f.Get("RoleName"), "iam:GetRole")
	if err != nil {
		return err
	}
	return c.writeQuery(iamNS, "GetRole", struct {
		Role xmlRole `xml:"Role"`
	}{c.roleXML(r)})
}

func (c *call) iamDeleteRole(f url.Values) *apiError {
	r, err := c.role(f.Get("RoleName"), "iam:DeleteRole")
	if err != nil {
		return err
	}
	if len(r.Inline) > 0 || len(r.Attached) > 0 {
		return errf(http.StatusConflict, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	delete(c.account().Roles, r.Name)
	c.sb.orphanPrincipal(c.iamARN("role", r.Path, r.Name), r.ID)
	c.dirty = true
	return c.writeQuery(iamNS, "DeleteRole", nil)
}

func (c *call) iamListRoles(f url.Values) *apiError {
	if err := c.requireIAM("iam:ListRoles", c.iamARN("role", "/", "*")); err != nil {
		return err
	}
	prefix := f.Get("PathPrefix")
	var out []xmlRole
	for _, name := range sortedKeys(c.account().Roles) {
		r := c.account().Roles[name]
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, c.roleXML(r))
		}
	}
	return c.writeQuery(iamNS, "ListRoles", struct {
		Roles       []xmlRole `xml:"Roles>member"`
		IsTruncated bool      `xml:"IsTruncated"`
	}{Roles: out})
}

func (c *call) iamUpdateAssumeRolePolicy(f url.Values) *apiError {
	r, err := c.role(f.Get("RoleName"), "iam:UpdateAssumeRolePolicy")
	if err != nil {
		return err
	}
	if err := c.checkTrustDoc(f.Get("PolicyDocument")); err != nil {
		return err
	}
	r.Trust = f.Get("PolicyDocument")
	c.dirty = true
	return c.writeQuery(iamNS, "UpdateAssumeRolePolicy", nil)
}

type xmlUser struct {
	Path       string `xml:"Path"`
	UserName   string `xml:"UserName"`
	UserID     string `xml:"UserId"`
	Arn        string `xml:"Arn"`
	CreateDate string `xml:"CreateDate"`
}

func (c *call) userXML(u *User) xmlUser {
	return xmlUser{
		Path: u.Path, UserName: u.Name, UserID: u.ID,
		Arn: c.iamARN("user", u.Path, u.Name), CreateDate: iamTime(u.Created),
	}
}

func (c *call) iamCreateUser(f url.Values) *apiError {
	name, path := f.Get("UserName"), f.Get("Path")
	if path == "" {
		path = "/"
	}
	if f.Get("PermissionsBoundary") != "" {
		return notImplemented("IAM", "CreateUser with a PermissionsBoundary")
	}
	if !iamNamePattern.MatchString(name) {
		return validationError("UserName", "1-64 of [\\w+=,.@-]", "etl", name)
	}
	if !iamPathPattern.MatchString(path) {
		return validationError("Path", "/ or /.../", "/s3grant/", path)
	}
	if err := c.requireIAM("iam:CreateUser", c.iamARN("user", path, name)); err != nil {
		return err
	}
	if c.account().Users[name] != nil {
		return errf(http.StatusConflict, "EntityAlreadyExists", "User with name %s already exists.", name)
	}
	u := c.sb.st.addUser(c.account(), name, c.now)
	u.Path = path
	c.dirty = true
	return c.writeQuery(iamNS, "CreateUser", struct {
		User xmlUser `xml:"User"`
	}{c.userXML(u)})
}

// user finds a user of the caller's account and authorises action on it.
func (c *call) user(name, action string) (*User, *apiError) {
	u := c.account().Users[name]
	arn := c.iamARN("user", "/", name)
	if u != nil {
		arn = c.iamARN("user", u.Path, name)
	}
	if err := c.requireIAM(action, arn); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchEntity("user", name)
	}
	return u, nil
}

// iamGetUser without a UserName describes the calling user.
func (c *call) iamGetUser(f url.Values) *apiError {
	name := f.Get("UserName")
	if name == "" {
		p := c.caller.ARN
		i := strings.LastIndex(p, ":user/")
		if i < 0 {
			return errf(http.StatusBadRequest, "ValidationError",
				"Must specify userName when calling with non-User credentials")
		}
		name = p[strings.LastIndexByte(p, '/')+1:]
	}
	u, err := c.user(name, "iam:GetUser")
	if err != nil {
		return err
	}
	return c.writeQuery(iamNS, "GetUser", struct {
		User xmlUser `xml:"User"`
	}{c.userXML(u)})
}

func (c *call) iamDeleteUser(f url.Values) *apiError {
	u, err := c.user(f.Get("UserName"), "iam:DeleteUser")
	if err != nil {
		return err
	}
	if len(u.Inline) > 0 || len(u.Attached) > 0 {
		return errf(http.StatusConflict, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	arn := c.iamARN("user", u.Path, u.Name)
	for id, k := range c.sb.st.Keys {
		if k.Principal == arn {
			return errf(http.StatusConflict, "DeleteConflict",
				"Cannot delete entity, must delete access keys first (%s).", id)
		}
	}
	delete(c.account().Users, u.Name)
	c.sb.orphanPrincipal(arn, u.ID)
	c.dirty = true
	return c.writeQuery(iamNS, "DeleteUser", nil)
}

func (c *call) iamListUsers(url.Values) *apiError {
	if err := c.requireIAM("iam:ListUsers", c.iamARN("user", "/", "*")); err != nil {
		return err
	}
	var out []xmlUser
	for _, name := range sortedKeys(c.account().Users) {
		out = append(out, c.userXML(c.account().Users[name]))
	}
	return c.writeQuery(iamNS, "ListUsers", struct {
		Users       []xmlUser `xml:"Users>member"`
		IsTruncated bool      `xml:"IsTruncated"`
	}{Users: out})
}

func (c *call) iamCreateAccessKey(f url.Values) *apiError {
	name := f.Get("UserName")
	if name == "" && strings.Contains(c.caller.ARN, ":user/") {
		name = c.caller.ARN[strings.LastIndexByte(c.caller.ARN, '/')+1:]
	}
	u, err := c.user(name, "iam:CreateAccessKey")
	if err != nil {
		return err
	}
	k := c.sb.st.NewAccessKey(c.caller.Account, c.iamARN("user", u.Path, u.Name))
	c.dirty = true
	return c.writeQuery(iamNS, "CreateAccessKey", struct {
		UserName        string `xml:"AccessKey>UserName"`
		AccessKeyID     string `xml:"AccessKey>AccessKeyId"`
		Status          string `xml:"AccessKey>Status"`
		SecretAccessKey string `xml:"AccessKey>SecretAccessKey"`
		CreateDate      string `xml:"AccessKey>CreateDate"`
	}{u.Name, k.AccessKeyID, "Active", k.Secret, iamTime(c.now)})
}
