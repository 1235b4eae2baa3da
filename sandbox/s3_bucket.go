package sandbox

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

var bucketNamePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
})

func (c *call) createBucket(t *s3Target) *apiError {
	if c.caller.Anonymous {
		return errf(http.StatusForbidden, "AccessDenied", "Access Denied: anonymous requests cannot create buckets")
	}
	if !bucketNamePattern().MatchString(t.name) ||
		strings.Contains(t.name, "..") || strings.HasSuffix(t.name, "-s3alias") {
		return errf(http.StatusBadRequest, "InvalidBucketName",
			"The specified bucket is not valid: %q "+
				"(3-63 of a-z 0-9 . -, starting and ending with a letter or digit)", t.name)
	}
	if b := c.sb.st.Buckets[t.name]; b != nil {
		if b.Owner == c.caller.Account {
			return errf(http.StatusConflict, "BucketAlreadyOwnedByYou",
				"Your previous request to create the named bucket succeeded and you already own it.")
		}
		return errf(http.StatusConflict, "BucketAlreadyExists",
			"The requested bucket name is not available. The bucket namespace is shared by all users of the system.")
	}
	if err := c.requireIAM("s3:CreateBucket", arn.Bucket(partition, t.name)); err != nil {
		return err
	}
	region, location := "us-east-1", ""
	if len(c.body) > 0 {
		var cfg struct {
			LocationConstraint string `xml:"LocationConstraint"`
		}
		if err := xml.Unmarshal(c.body, &cfg); err != nil {
			return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
		}
		if cfg.LocationConstraint != "" {
			region = cfg.LocationConstraint
		}
		if region == "EU" { // the legacy name of eu-west-1, kept for GetBucketLocation
			region, location = "eu-west-1", "EU"
		}
	}
	b := newBucket(t.name, c.caller.Account, region, c.now)
	b.Location = location
	switch own := c.r.Header.Get("X-Amz-Object-Ownership"); own {
	case "":
	case policy.OwnershipBucketOwnerEnforced, policy.OwnershipBucketOwnerPreferred, policy.OwnershipObjectWriter:
		b.Ownership = own
	default:
		return errf(http.StatusBadRequest, "InvalidArgument",
			"Invalid x-amz-object-ownership %q: BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter", own)
	}
	c.sb.st.Buckets[b.Name] = b
	c.dirty = true
	c.w.Header().Set("Location", "/"+b.Name)
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (c *call) deleteBucket(t *s3Target) *apiError {
	if t.ap != nil {
		return errf(http.StatusBadRequest, "InvalidRequest", "DeleteBucket cannot be called through an access point")
	}
	if err := c.authorizeS3(t, "s3:DeleteBucket", "", nil, nil, nil); err != nil {
		return err
	}
	if len(t.bucket.Objects) > 0 {
		return errf(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty")
	}
	for _, a := range c.sb.st.Accounts {
		for _, ap := range a.AccessPoints {
			if ap.Bucket == t.bucket.Name {
				return errf(http.StatusConflict, "BucketNotEmpty",
					"The bucket has access points (%s): delete them first", ap.Name)
			}
		}
	}
	delete(c.sb.st.Buckets, t.bucket.Name)
	c.dirty = true
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// headBucket needs s3:ListBucket, like S3. It tells the bucket's region
// even when access is denied, as S3 does.
func (c *call) headBucket(t *s3Target) *apiError {
	c.w.Header().Set("X-Amz-Bucket-Region", t.bucket.Region)
	if t.ap != nil {
		c.w.Header().Set("X-Amz-Access-Point-Alias", "false")
	}
	if err := c.authorizeS3(t, "s3:ListBucket", "", nil, nil, nil); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketLocation answers as S3 does: no LocationConstraint for
// us-east-1, and "EU" for a bucket created with that legacy name of
// eu-west-1.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
func (c *call) getBucketLocation(t *s3Target) *apiError {
	if err := c.authorizeS3(t, "s3:GetBucketLocation", "", nil, nil, nil); err != nil {
		return err
	}
	region := t.bucket.Region
	switch {
	case t.bucket.Location != "":
		region = t.bucket.Location
	case region == "us-east-1":
		region = ""
	}
	writeXML(c.w, struct {
		XMLName xml.Name `xml:"LocationConstraint"`
		Xmlns   string   `xml:"xmlns,attr"`
		Value   string   `xml:",chardata"`
	}{Xmlns: s3NS, Value: region})
	return nil
}
