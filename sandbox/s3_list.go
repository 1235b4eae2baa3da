package sandbox

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/s3grant/s3grant/policy"
)

// listObjects serves ListObjects (v1) and ListObjectsV2: keys under a
// prefix in order, rolled up at the delimiter, paged by max-keys. The
// request is authorised as s3:ListBucket with s3:prefix, s3:delimiter and
// s3:max-keys in context, so prefix-scoped grants work as in S3.
func (c *call) listObjects(t *s3Target) *apiError {
	q := c.r.URL.Query()
	v2 := q.Get("list-type") == "2"
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	maxKeys := 1000
	if s := q.Get("max-keys"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return errf(http.StatusBadRequest, "InvalidArgument",
				"max-keys must be an integer from 0 to 1000, got %q", s)
		}
		maxKeys = min(n, 1000)
	}
	ctx := policy.Context{}
	ctx.Set("s3:prefix", prefix)
	if delim != "" {
		ctx.Set("s3:delimiter", delim)
	}
	ctx.Set("s3:max-keys", strconv.Itoa(maxKeys))
	if err := c.authorizeS3(t, "s3:ListBucket", "", nil, ctx, nil); err != nil {
		return err
	}
	after := q.Get("marker")
	if v2 {
		after = q.Get("start-after")
		if tok := q.Get("continuation-token"); tok != "" {
			raw, err := base64.RawURLEncoding.DecodeString(tok)
			if err != nil {
				return errf(http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect")
			}
			after = string(raw)
		}
	}
	page := listPage(t.bucket, prefix, delim, after, maxKeys)
	c.writeListing(t, page, v2, maxKeys)
	return nil
}

// page is one page of a listing.
type page struct {
	prefix, delim string
	objects       []*Object
	prefixes      []string
	truncated     bool
	last          string // the last key or prefix returned, for the next page
}

func listPage(b *Bucket, prefix, delim, after string, maxKeys int) page {
	keys := make([]string, 0, len(b.Objects))
	for k := range b.Objects {
		// A marker that is a rolled-up prefix skips the keys under it.
		rolledMarker := delim != "" && strings.HasSuffix(after, delim) && strings.HasPrefix(k, after)
		if strings.HasPrefix(k, prefix) && k > after && !rolledMarker {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	p := page{prefix: prefix, delim: delim}
	seen := map[string]bool{}
	for _, k := range keys {
		rolled := ""
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				rolled = k[:len(prefix)+i+len(delim)]
			}
		}
		if rolled != "" && seen[rolled] {
			continue
		}
		if len(p.objects)+len(p.prefixes) >= maxKeys {
			p.truncated = true
			break
		}
		if rolled != "" {
			seen[rolled] = true
			p.prefixes = append(p.prefixes, rolled)
			// Skip the rest of the rolled-up keys on later pages too.
			p.last = rolled + "\U0010FFFF"
			continue
		}
		p.objects = append(p.objects, b.Objects[k])
		p.last = k
	}
	return p
}

func (c *call) writeListing(t *s3Target, p page, v2 bool, maxKeys int) {
	q := c.r.URL.Query()
	enc := func(s string) string { return s }
	if q.Get("encoding-type") == "url" {
		enc = func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	}
	out := listBucketResult{
		Xmlns: s3NS, Name: t.name, Prefix: enc(p.prefix), MaxKeys: maxKeys, Delimiter: enc(p.delim),
		EncodingType: q.Get("encoding-type"), IsTruncated: p.truncated,
	}
	owner := c.sb.st.Accounts[t.bucket.Owner]
	for _, o := range p.objects {
		xc := xmlContent{
			Key: enc(o.Key), LastModified: s3Time(o.Modified), ETag: o.ETag, Size: len(o.Data),
			StorageClass: "STANDARD",
		}
		if (!v2 || q.Get("fetch-owner") == "true") && owner != nil {
			xc.Owner = &xmlOwner{ID: owner.CanonicalID}
		}
		out.Contents = append(out.Contents, xc)
	}
	for _, cp := range p.prefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, xmlPrefix{Prefix: enc(cp)})
	}
	if v2 {
		n := len(p.objects) + len(p.prefixes)
		out.KeyCount = &n
		out.StartAfter = enc(q.Get("start-after"))
		out.ContinuationToken = q.Get("continuation-token")
		if p.truncated {
			out.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(p.last))
		}
	} else {
		m := enc(q.Get("marker"))
		out.Marker = &m
		if p.truncated && p.delim != "" {
			out.NextMarker = enc(strings.TrimSuffix(p.last, "\U0010FFFF"))
		}
	}
	writeXML(c.w, out)
}
