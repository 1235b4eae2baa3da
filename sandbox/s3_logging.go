package sandbox

import (
	"encoding/xml"
	"net/http"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/policy"
)

// Logging is a bucket's server access logging setting: where its logs go.
type Logging struct {
	TargetBucket string `json:"target_bucket"`
	TargetPrefix string `json:"target_prefix"`
}

// loggingStatus is the BucketLoggingStatus document of GetBucketLogging and
// PutBucketLogging. https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html
type loggingStatus struct {
	XMLName xml.Name `xml:"BucketLoggingStatus"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Enabled *struct {
		TargetBucket string `xml:"TargetBucket"`
		TargetPrefix string `xml:"TargetPrefix"`
		Grants       *struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"TargetGrants"`
	} `xml:"LoggingEnabled"`
}

func (c *call) getBucketLogging(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:GetBucketLogging", false); err != nil {
		return err
	}
	out := loggingStatus{Xmlns: s3NS}
	if l := t.bucket.Logging; l != nil {
		out.Enabled = &struct {
			TargetBucket string `xml:"TargetBucket"`
			TargetPrefix string `xml:"TargetPrefix"`
			Grants       *struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"TargetGrants"`
		}{TargetBucket: l.TargetBucket, TargetPrefix: l.TargetPrefix}
	}
	writeXML(c.w, out)
	return nil
}

// putBucketLogging turns logging on (LoggingEnabled) or off (an empty
// status). As S3 does, it refuses a target bucket that does not exist, is
// in another region or account, or does not let S3's log delivery write:
// the target's bucket policy must allow the service principal
// logging.s3.amazonaws.com s3:PutObject for this source bucket and
// account, or (ACLs on) its ACL must grant the Log Delivery group WRITE.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
func (c *call) putBucketLogging(t *s3Target) *apiError {
	if err := c.configOp(t, "s3:PutBucketLogging", false); err != nil {
		return err
	}
	var in loggingStatus
	if err := xml.Unmarshal(c.body, &in); err != nil {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	if in.Enabled == nil {
		t.bucket.Logging = nil
		c.dirty = true
		c.w.WriteHeader(http.StatusOK)
		return nil
	}
	if in.Enabled.Grants != nil && len(in.Enabled.Grants.Inner) > 0 {
		return notImplemented("S3", "PutBucketLogging with TargetGrants")
	}
	l := &Logging{TargetBucket: in.Enabled.TargetBucket, TargetPrefix: in.Enabled.TargetPrefix}
	if err := c.checkLogTarget(t.bucket, l); err != nil {
		return err
	}
	t.bucket.Logging = l
	c.dirty = true
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (c *call) checkLogTarget(src *Bucket, l *Logging) *apiError {
	target := c.sb.st.Buckets[l.TargetBucket]
	switch {
	case target == nil:
		return errf(http.StatusBadRequest, "InvalidTargetBucketForLogging",
			"The target bucket for logging does not exist")
	case target.Owner != src.Owner:
		return errf(http.StatusBadRequest, "InvalidTargetBucketForLogging",
			"The owner for the bucket to be logged and the target bucket must be the same.")
	case target.Region != src.Region:
		return errf(http.StatusBadRequest, "CrossLocationLoggingProhibitted", "Cross S3 location logging not allowed.")
	}
	ctx := policy.Context{}
	ctx.Set("aws:SourceArn", arn.Bucket(partition, src.Name))
	ctx.Set("aws:SourceAccount", src.Owner)
	logObject := arn.Object(partition, target.Name, l.TargetPrefix+"log")
	res := policy.Evaluate(policy.Input{
		Request: policy.Request{
			Principal: "logging.s3.amazonaws.com", Action: "s3:PutObject",
			Resource: logObject, ResourceAccount: target.Owner, Context: ctx,
		},
		Resource: &policy.Doc{
			Name: "bucket policy of " + target.Name, Kind: policy.KindBucketPolicy,
			Policy: c.sb.policies.parse(target.Policy),
		},
		// A service principal has no identity policies: the bucket policy
		// alone must allow it.
		IdentityDecided: true,
	})
	if res.Allowed() || c.sb.logDeliveryACL(target) {
		return nil
	}
	return errf(http.StatusBadRequest, "InvalidTargetBucketForLogging",
		"You must give the log-delivery group WRITE and READ_ACP permissions to the target bucket, "+
			"or allow logging.s3.amazonaws.com s3:PutObject on %s in its bucket policy",
		arn.Object(partition, target.Name, l.TargetPrefix+"*"))
}

// logDeliveryACL reports whether the bucket's ACL grants the Log Delivery
// group WRITE (the legacy way; ignored when ACLs are off).
func (sb *Sandbox) logDeliveryACL(b *Bucket) bool {
	acl := sb.bucketACL(b)
	for _, g := range acl.Grants {
		if g.URI == policy.GroupLogDelivery && (g.Permission == "WRITE" || g.Permission == "FULL_CONTROL") {
			return true
		}
	}
	return false
}
