package sandbox

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/s3grant/s3grant/policy"
)

// minPartSize is S3's smallest part but the last.
const minPartSize = 5 << 20

// Upload is a multipart upload in progress: the object it will become and
// the parts received so far.
type Upload struct {
	ID      string         `json:"id"`
	Object  *Object        `json:"object"` // everything but the data
	Parts   map[int][]byte `json:"parts"`
	Created time.Time      `json:"created"`
	// CannedACL is the x-amz-acl given to CreateMultipartUpload.
	CannedACL string `json:"canned_acl,omitempty"`
}

// createMultipartUpload authorises the upload as PutObject (with the key the
// object will be encrypted with) and starts it.
func (c *call) createMultipartUpload(t *s3Target) *apiError {
	if hdr := unmodelledPutHeader(c.r.Header); hdr != "" {
		return notImplemented("S3", "CreateMultipartUpload with "+hdr)
	}
	obj, err := c.newObjectWrite(t, false)
	if err != nil {
		return err
	}
	if t.bucket.Uploads == nil {
		t.bucket.Uploads = map[string]*Upload{}
	}
	up := &Upload{
		ID: randomID("", 40), Object: obj, Parts: map[int][]byte{}, Created: c.now,
		CannedACL: c.r.Header.Get("X-Amz-Acl"),
	}
	t.bucket.Uploads[up.ID] = up
	c.dirty = true
	c.w.Header().Set("X-Amz-Server-Side-Encryption", obj.SSE)
	writeXML(c.w, struct {
		XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
		Xmlns    string   `xml:"xmlns,attr"`
		Bucket   string   `xml:"Bucket"`
		Key      string   `xml:"Key"`
		UploadID string   `xml:"UploadId"`
	}{Xmlns: s3NS, Bucket: t.name, Key: t.key, UploadID: up.ID})
	return nil
}

// upload finds the upload a request names and authorises action on it.
func (c *call) upload(t *s3Target, action string) (*Upload, *apiError) {
	up := t.bucket.Uploads[c.r.URL.Query().Get("uploadId")]
	if up == nil || up.Object.Key != t.key {
		if err := c.authorizeS3(t, action, t.key, nil, nil, nil); err != nil {
			return nil, err
		}
		return nil, errf(http.StatusNotFound, "NoSuchUpload",
			"The specified upload does not exist. "+
				"The upload ID may be invalid, or the upload may have been aborted or completed.")
	}
	var kms *policy.KeySetup
	if up.Object.KMSKeyARN != "" && action == "s3:PutObject" {
		kms = c.sb.keySetup(up.Object.KMSKeyARN)
	}
	if err := c.authorizeS3(t, action, t.key, nil, c.uploadContext(up), kms); err != nil {
		return nil, err
	}
	return up, nil
}

// uploadContext is the context of a request on an upload in progress:
// CompleteMultipartUpload creates the object (s3:ObjectCreationOperation
// true) with the canned ACL given when the upload was created (the sandbox
// assumes S3 carries it: the ACL is set once, at CreateMultipartUpload);
// UploadPart and AbortMultipartUpload create nothing.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
func (c *call) uploadContext(up *Upload) policy.Context {
	if !c.r.URL.Query().Has("partNumber") && c.r.Method == http.MethodPost {
		return creationContext(true, up.CannedACL)
	}
	return creationContext(false, "")
}

func (c *call) uploadPart(t *s3Target) *apiError {
	n, err := strconv.Atoi(c.r.URL.Query().Get("partNumber"))
	if err != nil || n < 1 || n > 10000 {
		return errf(http.StatusBadRequest, "InvalidArgument",
			"Part number must be an integer between 1 and 10000, inclusive")
	}
	up, aerr := c.upload(t, "s3:PutObject")
	if aerr != nil {
		return aerr
	}
	up.Parts[n] = c.body
	c.dirty = true
	c.w.Header().Set("ETag", etagOf(c.body))
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (c *call) completeMultipartUpload(t *s3Target) *apiError {
	up, aerr := c.upload(t, "s3:PutObject")
	if aerr != nil {
		return aerr
	}
	var in struct {
		Parts []struct {
			PartNumber int    `xml:"PartNumber"`
			ETag       string `xml:"ETag"`
		} `xml:"Part"`
	}
	if err := xml.Unmarshal(c.body, &in); err != nil || len(in.Parts) == 0 {
		return errf(http.StatusBadRequest, "MalformedXML", malformedXML)
	}
	var data, sums bytes.Buffer
	for i, p := range in.Parts {
		part, ok := up.Parts[p.PartNumber]
		switch {
		case i > 0 && p.PartNumber <= in.Parts[i-1].PartNumber:
			return errf(http.StatusBadRequest, "InvalidPartOrder", "The list of parts was not in ascending order.")
		case !ok || etagOf(part) != normalizeETag(p.ETag):
			return errf(http.StatusBadRequest, "InvalidPart",
				"One or more of the specified parts could not be found (part %d).", p.PartNumber)
		case i < len(in.Parts)-1 && len(part) < minPartSize:
			return errf(http.StatusBadRequest, "EntityTooSmall",
				"Your proposed upload is smaller than the minimum allowed object size (part %d).", p.PartNumber)
		}
		data.Write(part)
		sum := md5.Sum(part)
		sums.Write(sum[:])
	}
	all := md5.Sum(sums.Bytes())
	obj := up.Object
	obj.Data, obj.Modified = data.Bytes(), c.now
	obj.ETag = fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(all[:]), len(in.Parts))
	t.bucket.Objects[t.key] = obj
	delete(t.bucket.Uploads, up.ID)
	c.dirty = true
	writeXML(c.w, struct {
		XMLName xml.Name `xml:"CompleteMultipartUploadResult"`
		Xmlns   string   `xml:"xmlns,attr"`
		Bucket  string   `xml:"Bucket"`
		Key     string   `xml:"Key"`
		ETag    string   `xml:"ETag"`
	}{Xmlns: s3NS, Bucket: t.name, Key: t.key, ETag: obj.ETag})
	return nil
}

func normalizeETag(e string) string {
	if len(e) > 0 && e[0] != '"' {
		return `"` + e + `"`
	}
	return e
}

func (c *call) abortMultipartUpload(t *s3Target) *apiError {
	up, aerr := c.upload(t, "s3:AbortMultipartUpload")
	if aerr != nil {
		return aerr
	}
	delete(t.bucket.Uploads, up.ID)
	c.dirty = true
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
