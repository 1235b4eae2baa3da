package sandbox

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"testing"
)

// TestListBucketsPages: ListBuckets pages by max-buckets with an opaque
// continuation token, filters by prefix and bucket-region, lists only the
// caller's account's buckets, and refuses a max-buckets outside 1..10000.
func TestListBucketsPages(t *testing.T) {
	sb, _, c := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	want := map[string]string{DemoBucket: Region}
	for i := range 11 {
		name, region := fmt.Sprintf("page-test-%02d", i), "us-east-1" // no LocationConstraint
		body := []byte(nil)
		if i%3 == 0 {
			region = "us-west-2"
			body = []byte(`<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>`)
		}
		if st, out := c.do(t, owner, "s3", "PUT", "/"+name, "", body, nil); st != 200 {
			t.Fatalf("create %s: %d %s", name, st, out)
		}
		want[name] = region
	}
	list := func(query string) listAllMyBucketsResult {
		t.Helper()
		st, body := c.do(t, owner, "s3", "GET", "/", query, nil, nil)
		if st != 200 {
			t.Fatalf("ListBuckets %s: %d %s", query, st, body)
		}
		var out listAllMyBucketsResult
		if err := xml.Unmarshal([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got, pages, token := map[string]string{}, 0, ""
	for {
		q := url.Values{"max-buckets": {"4"}}
		if token != "" {
			q.Set("continuation-token", token)
		}
		page := list(q.Encode())
		pages++
		if len(page.Buckets) > 4 {
			t.Fatalf("page of %d buckets with max-buckets 4", len(page.Buckets))
		}
		for _, b := range page.Buckets {
			if _, dup := got[b.Name]; dup {
				t.Errorf("bucket %s listed twice", b.Name)
			}
			got[b.Name] = b.BucketRegion
		}
		if token = page.ContinuationToken; token == "" {
			break
		}
	}
	if pages != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%d pages listed %v, want 3 pages of %v", pages, got, want)
	}
	if n := len(list("").Buckets); n != len(want) {
		t.Errorf("unpaginated ListBuckets: %d buckets, want %d", n, len(want))
	}
	if page := list("prefix=page-test-1&bucket-region=us-west-2"); len(page.Buckets) != 0 {
		t.Errorf("prefix page-test-1 in us-west-2: %v, want none (10 is in us-east-1)", page.Buckets)
	}
	if page := list("prefix=page-test-0&bucket-region=us-west-2"); len(page.Buckets) != 4 || page.Prefix != "page-test-0" {
		t.Errorf("prefix page-test-0 in us-west-2: %+v, want 00, 03, 06, 09", page)
	}
	if page := list(""); len(page.Buckets) == 0 {
		t.Fatal("no buckets")
	}
	consumer := adminOf(t, sb, ConsumerAccount)
	st, body := c.do(t, consumer, "s3", "GET", "/", "", nil, nil)
	if st != 200 || len(body) == 0 {
		t.Fatalf("consumer ListBuckets: %d %s", st, body)
	}
	var other listAllMyBucketsResult
	if err := xml.Unmarshal([]byte(body), &other); err != nil || len(other.Buckets) != 0 {
		t.Errorf("the consumer account lists the owner's buckets: %v %v", other.Buckets, err)
	}
	for _, bad := range []string{"0", "10001", "x"} {
		st, body := c.do(t, owner, "s3", "GET", "/", "max-buckets="+bad, nil, nil)
		wantError(t, "max-buckets="+bad, st, body, 400, "InvalidArgument")
	}
	st, body = c.do(t, owner, "s3", "GET", "/", "continuation-token=%25%25", nil, nil)
	wantError(t, "bad token", st, body, 400, "InvalidArgument")
}
