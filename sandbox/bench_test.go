package sandbox

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/s3grant/s3grant/policy"
)

// grantReports applies the gallery's bucket-policy/read documents to the
// demo: the consumer's analytics role may read reports/.
func grantReports(b *testing.B, sb *Sandbox) {
	b.Helper()
	doc := string(planDoc(b, "bucket-policy/read", policy.KindBucketPolicy, ""))
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.st.Buckets[DemoBucket].Policy = doc
	sb.st.Accounts[ConsumerAccount].Roles[ConsumerRoleName].Inline["read"] = readReports
}

// BenchmarkGetObject: GetObject requests per second over HTTPS on
// loopback, each signed, verified and authorised by the evaluator (bucket
// policy + identity policy, cross-account), from parallel clients.
func BenchmarkGetObject(b *testing.B) {
	sb, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := sb.Start(0)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	grantReports(b, sb)
	session := credsOf(sb.keyFor(sessionARN))
	c := newTestClient(b, sb, srv.URL())
	if st, body := c.do(b, session, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, nil); st != 200 {
		b.Fatalf("setup: %d %s", st, body)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if st, _ := c.do(b, session, "s3", "GET", "/"+DemoBucket+"/reports/2026-01.csv", "", nil, nil); st != 200 {
				b.Errorf("status %d", st)
			}
		}
	})
	b.StopTimer() // not the server's shutdown
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkGetObjectHandler: the same request straight into the handler
// (no TLS, no network): the cost of the sandbox itself.
func BenchmarkGetObjectHandler(b *testing.B) {
	sb, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	grantReports(b, sb)
	session := credsOf(sb.keyFor(sessionARN))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "https://127.0.0.1/"+DemoBucket+"/reports/2026-01.csv", nil)
			sign(req, nil, session, Region, "s3", time.Now().UTC())
			w := httptest.NewRecorder()
			sb.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Errorf("status %d %s", w.Code, w.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkTenThousandObjects: the heap the sandbox holds after 10,000
// 1 KiB PutObject requests, and the time to list a prefix of 1,000 of them.
func BenchmarkTenThousandObjects(b *testing.B) {
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		sb, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		owner := credsOf(sb.keyFor("arn:aws:iam::" + OwnerAccount + ":user/admin"))
		body := bytes.Repeat([]byte("x"), 1024)
		for n := 0; n < 10000; n++ {
			req := httptest.NewRequest("PUT", fmt.Sprintf("https://127.0.0.1/%s/bulk/%d/%05d.bin", DemoBucket, n%10, n), bytes.NewReader(body))
			sign(req, body, owner, Region, "s3", time.Now().UTC())
			w := httptest.NewRecorder()
			sb.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("put %d: %d %s", n, w.Code, w.Body)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		start := time.Now()
		req := httptest.NewRequest("GET", "https://127.0.0.1/"+DemoBucket+"?list-type=2&prefix=bulk%2F3%2F", nil)
		sign(req, nil, owner, Region, "s3", time.Now().UTC())
		w := httptest.NewRecorder()
		sb.ServeHTTP(w, req)
		if w.Code != 200 || bytes.Count(w.Body.Bytes(), []byte("<Key>")) != 1000 {
			b.Fatalf("list: %d", w.Code)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "list-1000-ms")
		runtime.KeepAlive(sb)
	}
}
