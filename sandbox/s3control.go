package sandbox

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/policy"
)

const s3ControlNS = "http://awss3control.amazonaws.com/doc/2018-08-20/"

// serveS3Control answers the S3 Control REST-XML API: access points, their
// policies, and the account's Block Public Access. Control-plane calls are
// never cross-account: x-amz-account-id must be the caller's account.
func (c *call) serveS3Control() *apiError {
	path := strings.TrimPrefix(c.r.URL.Path, "/v20180820/")
	account := c.r.Header.Get("X-Amz-Account-Id")
	if c.caller.Anonymous {
		return errf(http.StatusForbidden, "AccessDenied", "Access Denied: S3 Control requests must be signed")
	}
	if account != c.caller.Account {
		return errf(http.StatusForbidden, "AccessDenied",
			"Access Denied: x-amz-account-id %q is not the caller's account %s "+
				"(S3 Control calls are never cross-account)", account, c.caller.Account)
	}
	m := c.r.Method
	switch {
	case path == "configuration/publicAccessBlock":
		return c.accountPAB(m)
	case path == "accesspoint" && m == http.MethodGet:
		return c.listAccessPoints()
	case strings.HasPrefix(path, "accesspoint/"):
		name, sub, _ := strings.Cut(strings.TrimPrefix(path, "accesspoint/"), "/")
		return c.accessPointOp(m, name, sub)
	}
	return notImplemented("S3 Control", m+" /v20180820/"+path)
}

var apNamePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$`)
})

func (c *call) accessPointOp(method, name, sub string) *apiError {
	acct := c.account()
	ap := acct.AccessPoints[name]
	arn := apARN(c.sb.regionOf(acct.ID), acct.ID, name)
	if ap != nil {
		arn = apARN(ap.Region, acct.ID, name)
	}
	op := map[string]string{"PUT": "Put", "GET": "Get", "DELETE": "Delete"}[method]
	switch sub {
	case "":
		if method == http.MethodPut {
			return c.createAccessPoint(name)
		}
		op += "AccessPoint"
	case "policy":
		op += "AccessPointPolicy"
	case "policyStatus":
		op += "AccessPointPolicyStatus"
	default:
		return notImplemented("S3 Control", method+" accesspoint/"+name+"/"+sub)
	}
	if err := c.requireIAM("s3:"+op, arn); err != nil {
		return err
	}
	if ap == nil {
		return errf(http.StatusNotFound, "NoSuchAccessPoint", "The specified accesspoint does not exist: %s", name)
	}
	return c.accessPointSub(op, ap, arn)
}

func (c *call) accessPointSub(op string, ap *AccessPoint, arn string) *apiError {
	switch op {
	case "GetAccessPoint":
		return c.writeControl("GetAccessPointResult", c.apXML(ap, arn))
	case "DeleteAccessPoint":
		delete(c.account().AccessPoints, ap.Name)
		c.dirty = true
		c.w.WriteHeader(http.StatusNoContent)
		return nil
	case "GetAccessPointPolicy", "GetAccessPointPolicyStatus":
		if ap.Policy == "" {
			return errf(http.StatusNotFound, "NoSuchAccessPointPolicy",
				"The specified accesspoint policy does not exist")
		}
		if op == "GetAccessPointPolicyStatus" {
			return c.writeControl("GetAccessPointPolicyStatusResult", struct {
				IsPublic bool `xml:"PolicyStatus>IsPublic"`
			}{policy.IsPublicPolicy(c.sb.policies.parse(ap.Policy))})
		}
		return c.writeControl("GetAccessPointPolicyResult", struct {
			Policy string `xml:"Policy"`
		}{ap.Policy})
	case "DeleteAccessPointPolicy":
		ap.Policy = ""
		c.dirty = true
		c.w.WriteHeader(http.StatusNoContent)
		return nil
	case "PutAccessPointPolicy":
		return c.putAccessPointPolicy(ap, arn)
	}
	return notImplemented("S3 Control", op)
}

func (c *call) putAccessPointPolicy(ap *AccessPoint, arn string) *apiError {
	var in struct {
		Policy string `xml:"Policy"`
	}
	if err := xml.Unmarshal(c.body, &in); err != nil {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	p, msg := c.sb.validatePolicy(in.Policy, policyCheck{
		kind: policy.KindAccessPointPolicy, needPrincipal: true, actionPrefix: []string{"s3:"},
		resourceOK:   func(r string) bool { return r == arn || strings.HasPrefix(r, arn+"/object/") },
		resourceHint: "resources must be " + arn + " or " + arn + "/object/KEY",
	})
	if msg != "" {
		return errf(http.StatusBadRequest, "MalformedPolicy", "%s", msg)
	}
	blocked := ap.PAB != nil && ap.PAB.BlockPublicPolicy
	if a := c.account(); a.PAB != nil && a.PAB.BlockPublicPolicy {
		blocked = true
	}
	if blocked && policy.IsPublicPolicy(p) {
		return errf(http.StatusForbidden, "AccessDenied",
			"Access Denied: Block Public Access BlockPublicPolicy refuses a public access point policy")
	}
	ap.Policy = in.Policy
	c.dirty = true
	c.w.WriteHeader(http.StatusOK)
	return nil
}

type createAPRequest struct {
	Bucket          string                   `xml:"Bucket"`
	BucketAccountID string                   `xml:"BucketAccountId"`
	PAB             *PublicAccessBlockConfig `xml:"PublicAccessBlockConfiguration"`
	Vpc             *struct {
		VpcID string `xml:"VpcId"`
	} `xml:"VpcConfiguration"`
}

// createAccessPoint names the access point in its bucket's region, whatever
// the request's endpoint says.
func (c *call) createAccessPoint(name string) *apiError {
	if !apNamePattern().MatchString(name) {
		return errf(http.StatusBadRequest, "InvalidRequest",
			"access point name %q: 3-50 of a-z 0-9 -, not starting or ending with - (e.g. analytics-ap)", name)
	}
	var in createAPRequest
	if err := xml.Unmarshal(c.body, &in); err != nil {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	if in.Vpc != nil && in.Vpc.VpcID != "" {
		return notImplemented("S3 Control", "CreateAccessPoint with a VPC network origin")
	}
	b := c.sb.st.Buckets[in.Bucket]
	owner := in.BucketAccountID // the bucket's account, the caller's by default
	if owner == "" {
		owner = c.caller.Account
	}
	if b == nil || b.Owner != owner {
		return errf(http.StatusNotFound, "NoSuchBucket",
			"The specified bucket does not exist: %s (in account %s)", in.Bucket, in.BucketAccountID)
	}
	arn := apARN(b.Region, c.caller.Account, name)
	if err := c.requireIAM("s3:CreateAccessPoint", arn); err != nil {
		return err
	}
	if c.account().AccessPoints[name] != nil {
		return errf(http.StatusConflict, "AccessPointAlreadyOwnedByYou",
			"Your previous request to create the named accesspoint succeeded and you already own it.")
	}
	pab := in.PAB
	if pab == nil {
		pab = blockAllPublic()
	}
	short := name
	if len(short) > 20 {
		short = short[:20]
	}
	ap := &AccessPoint{
		Name: name, Bucket: b.Name, BucketAccount: b.Owner, Region: b.Region, PAB: pab, Created: c.now,
		Alias: strings.TrimSuffix(short, "-") + "-" + strings.ToLower(randomID("", 26)) + "-s3alias",
	}
	c.account().AccessPoints[name] = ap
	c.dirty = true
	return c.writeControl("CreateAccessPointResult", struct {
		Arn   string `xml:"AccessPointArn"`
		Alias string `xml:"Alias"`
	}{arn, ap.Alias})
}

type apXML struct {
	Name            string                  `xml:"Name"`
	Bucket          string                  `xml:"Bucket"`
	NetworkOrigin   string                  `xml:"NetworkOrigin"`
	PAB             PublicAccessBlockConfig `xml:"PublicAccessBlockConfiguration"`
	CreationDate    string                  `xml:"CreationDate,omitempty"`
	Alias           string                  `xml:"Alias"`
	AccessPointArn  string                  `xml:"AccessPointArn"`
	BucketAccountID string                  `xml:"BucketAccountId"`
}

func (c *call) apXML(ap *AccessPoint, arn string) apXML {
	return apXML{
		Name: ap.Name, Bucket: ap.Bucket, NetworkOrigin: "Internet", PAB: *ap.PAB, CreationDate: iamTime(ap.Created),
		Alias: ap.Alias, AccessPointArn: arn, BucketAccountID: ap.BucketAccount,
	}
}

func (c *call) listAccessPoints() *apiError {
	if err := c.requireIAM("s3:ListAccessPoints", "*"); err != nil {
		return err
	}
	bucket := c.r.URL.Query().Get("bucket")
	var out []apXML
	for _, name := range sortedKeys(c.account().AccessPoints) {
		ap := c.account().AccessPoints[name]
		if bucket == "" || ap.Bucket == bucket {
			x := c.apXML(ap, apARN(ap.Region, c.caller.Account, ap.Name))
			x.CreationDate = ""
			out = append(out, x)
		}
	}
	return c.writeControl("ListAccessPointsResult", struct {
		AccessPoints []apXML `xml:"AccessPointList>AccessPoint"`
	}{out})
}

func (c *call) accountPAB(method string) *apiError {
	op := map[string]string{
		"GET":    "s3:GetAccountPublicAccessBlock",
		"PUT":    "s3:PutAccountPublicAccessBlock",
		"DELETE": "s3:PutAccountPublicAccessBlock",
	}[method]
	if op == "" {
		return notImplemented("S3 Control", method+" configuration/publicAccessBlock")
	}
	if err := c.requireIAM(op, "*"); err != nil {
		return err
	}
	acct := c.account()
	switch method {
	case http.MethodGet:
		if acct.PAB == nil {
			return errf(http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration",
				"The public access block configuration was not found")
		}
		writeXML(c.w, publicAccessBlockXML{Xmlns: s3ControlNS, PublicAccessBlockConfig: *acct.PAB})
		return nil
	case http.MethodPut:
		var in publicAccessBlockXML
		if err := xml.Unmarshal(c.body, &in); err != nil {
			return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
		}
		cfg := in.PublicAccessBlockConfig
		acct.PAB = &cfg
	default:
		acct.PAB = nil
	}
	c.dirty = true
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (c *call) writeControl(root string, v any) *apiError {
	c.w.Header().Set("Content-Type", "application/xml")
	_, _ = c.w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(c.w)
	start := xml.StartElement{
		Name: xml.Name{Local: root},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: s3ControlNS}},
	}
	if err := enc.EncodeElement(v, start); err != nil {
		return errf(http.StatusInternalServerError, "InternalError", "encode %s: %v", root, err)
	}
	_ = enc.Flush()
	return nil
}
