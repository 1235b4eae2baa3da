package sandbox

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/s3grant/s3grant/arn"
)

// maxBucketsPage is S3's largest ListBuckets page, and the page size it
// applies when a paginating parameter comes without max-buckets:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
const maxBucketsPage = 10000

// listBuckets lists the buckets the caller's account owns
// (s3:ListAllMyBuckets) in name order, filtered by prefix and
// bucket-region and paged by max-buckets and continuation-token as S3
// does. The token is opaque to clients: here it encodes the last name
// returned.
func (c *call) listBuckets() *apiError {
	if c.caller.Anonymous {
		return errf(http.StatusForbidden, "AccessDenied", "Access Denied: anonymous requests cannot list buckets")
	}
	if err := c.requireIAM("s3:ListAllMyBuckets", arn.Bucket(partition, "*")); err != nil {
		return err
	}
	q := c.r.URL.Query()
	limit := maxBucketsPage
	if s := q.Get("max-buckets"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxBucketsPage {
			return errf(http.StatusBadRequest, "InvalidArgument",
				"max-buckets must be an integer from 1 to %d, got %q", maxBucketsPage, s)
		}
		limit = n
	}
	after := ""
	if tok := q.Get("continuation-token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(tok) > 1024 {
			return errf(http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect")
		}
		after = string(raw)
	}
	prefix, region := q.Get("prefix"), q.Get("bucket-region")
	acct := c.sb.st.Accounts[c.caller.Account]
	out := listAllMyBucketsResult{
		Xmlns: s3NS, Prefix: prefix,
		Owner: xmlOwner{ID: acct.CanonicalID, DisplayName: acct.Alias},
	}
	for _, name := range sortedKeys(c.sb.st.Buckets) {
		b := c.sb.st.Buckets[name]
		listed := b.Owner == c.caller.Account && name > after && strings.HasPrefix(name, prefix)
		if !listed || region != "" && b.Region != region {
			continue
		}
		if len(out.Buckets) == limit {
			out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Buckets[limit-1].Name))
			break
		}
		out.Buckets = append(out.Buckets, xmlBucket{b.Name, s3Time(b.Created), b.Region})
	}
	writeXML(c.w, out)
	return nil
}
