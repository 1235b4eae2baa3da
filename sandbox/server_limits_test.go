package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// zeros is an endless reader of zero bytes (an upload's body).
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestRefusedUploadsAreNotRead: 8 parallel 64 MB PutObjects the sandbox
// refuses, anonymous (the bucket policy allows no one) or signed with a
// wrong secret, are answered without the sandbox reading their bodies
// (issue 12, item 9: it read them all first, 1,262 MB allocated for the 8
// anonymous ones). The heap allocated while serving them is measured with
// runtime.MemStats.
func TestRefusedUploadsAreNotRead(t *testing.T) {
	sb, srv, _ := running(t, Options{})
	owner := adminOf(t, sb, OwnerAccount)
	for _, who := range []creds{{}, {id: owner.id, secret: "not-the-secret"}} {
		name := "anonymous"
		if who.id != "" {
			name = "wrong secret"
		}
		t.Run(name, func(t *testing.T) {
			const size = 64 << 20
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var wg sync.WaitGroup
			answers := make([]string, 8)
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					answers[i] = bigPut(srv, who, fmt.Sprintf("/%s/uploads/big-%d", DemoBucket, i), size)
				}()
			}
			wg.Wait()
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("8 refused 64 MB uploads (%s): %.1f MB allocated; first answer: %.80s", name, float64(alloc)/(1<<20), answers[0])
			if alloc > 32<<20 {
				t.Errorf("serving 8 refused uploads allocated %.1f MB: the bodies were read", float64(alloc)/(1<<20))
			}
			for _, a := range answers {
				if !strings.HasPrefix(a, "403") && !strings.Contains(a, "connection reset") && !strings.Contains(a, "broken pipe") {
					t.Errorf("answer %q, want 403", a)
				}
			}
		})
	}
}

// bigPut sends a size-byte PUT to path on the plain port, signed by who
// (the signature covers the headers: the payload is declared unsigned).
func bigPut(srv *Server, who creds, path string, size int64) string {
	req, _ := http.NewRequest(http.MethodPut, srv.PlainURL()+path, io.LimitReader(zeros{}, size))
	req.ContentLength = size
	if who.id != "" {
		sign(req, nil, who, Region, "s3", time.Now().UTC())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error() // the server may close before the body is sent
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(body))
}

// TestBodyCaps: object data is capped at MaxObjectBody, every other body
// at MaxBody; a body over its cap is refused with EntityTooLarge.
func TestBodyCaps(t *testing.T) {
	sb, _, c := running(t, Options{Limits: Limits{MaxObjectBody: 1 << 20, MaxBody: 4 << 10}})
	owner := adminOf(t, sb, OwnerAccount)
	big := bytes.Repeat([]byte("x"), 1<<20)
	if st, body := c.do(t, owner, "s3", "PUT", "/"+DemoBucket+"/exports/at-cap.bin", "", big, nil); st != 200 {
		t.Errorf("PutObject of exactly the cap: %d %s", st, body)
	}
	st, body := c.do(t, owner, "s3", "PUT", "/"+DemoBucket+"/exports/over-cap.bin", "", append(big, 'y'), nil)
	wantError(t, "PutObject over the cap", st, body, 400, "EntityTooLarge")
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("A", 5000) + `","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`
	st, body = c.do(t, owner, "s3", "PUT", "/"+DemoBucket, "policy=", []byte(policy), nil)
	wantError(t, "PutBucketPolicy over MaxBody", st, body, 400, "EntityTooLarge")
	st, body = c.do(t, owner, "iam", "POST", "/", "", form(url.Values{"Action": {"ListRoles"}, "Version": {"2010-05-08"}, "Pad": {strings.Repeat("p", 5000)}}), formHdr)
	wantError(t, "an IAM call over MaxBody", st, body, 400, "EntityTooLarge")
}

// closedWithin reports whether the server closes conn (EOF or reset, after
// any answer) within d.
func closedWithin(conn net.Conn, d time.Duration) bool {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// TestSlowClientsAreClosed: a connection that sends nothing, one that
// sends half its headers, one that trickles its body and an idle
// keep-alive one are closed by the timeouts (issue 12, item 9: slow
// connections were held for minutes).
func TestSlowClientsAreClosed(t *testing.T) {
	sb, srv, _ := running(t, Options{Limits: Limits{ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 800 * time.Millisecond, IdleTimeout: 300 * time.Millisecond}})
	owner := adminOf(t, sb, OwnerAccount)
	addr := strings.TrimPrefix(srv.PlainURL(), "http://")
	dial := func(t *testing.T) net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	t.Run("silent", func(t *testing.T) {
		if !closedWithin(dial(t), 3*time.Second) {
			t.Error("a connection that sends nothing is still open after 3 s")
		}
	})
	t.Run("half headers", func(t *testing.T) {
		conn := dial(t)
		fmt.Fprintf(conn, "GET /%s HTTP/1.1\r\nHost: %s\r\n", DemoBucket, addr)
		if !closedWithin(conn, 3*time.Second) {
			t.Error("a connection stuck in its headers is still open after 3 s")
		}
	})
	t.Run("trickled body", func(t *testing.T) {
		body := bytes.Repeat([]byte("z"), 1000)
		req, _ := http.NewRequest(http.MethodPut, srv.PlainURL()+"/"+DemoBucket+"/exports/slow.bin", bytes.NewReader(body))
		sign(req, body, owner, Region, "s3", time.Now().UTC())
		var raw bytes.Buffer
		if err := req.Write(&raw); err != nil {
			t.Fatal(err)
		}
		head := raw.Len() - len(body)
		conn := dial(t)
		go func() { // 1 byte every 50 ms: 50 s for the whole body
			_, _ = conn.Write(raw.Bytes()[:head])
			for _, b := range body {
				if _, err := conn.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
		start := time.Now()
		if !closedWithin(conn, 4*time.Second) {
			t.Errorf("a trickled upload is still open after %s", time.Since(start))
		}
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		conn := dial(t)
		fmt.Fprintf(conn, "GET /%s/reports/2026-01.csv HTTP/1.1\r\nHost: %s\r\n\r\n", DemoBucket, addr)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if !closedWithin(conn, 3*time.Second) {
			t.Error("an idle keep-alive connection is still open after 3 s")
		}
	})
}

// TestConnectionLimit: with MaxConns connections open, the next one gets
// no answer until one of them closes.
func TestConnectionLimit(t *testing.T) {
	_, srv, _ := running(t, Options{Limits: Limits{MaxConns: 3, ReadHeaderTimeout: 20 * time.Second}})
	addr := strings.TrimPrefix(srv.PlainURL(), "http://")
	var held []net.Conn
	for range 3 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		held = append(held, conn)
	}
	time.Sleep(100 * time.Millisecond) // let the server accept them
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /%s/reports/2026-01.csv HTTP/1.1\r\nHost: %s\r\n\r\n", DemoBucket, addr)
	rd := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(700 * time.Millisecond))
	if _, err := rd.Peek(1); err == nil {
		t.Fatal("a fourth connection was served while three were open (MaxConns 3)")
	}
	held[0].Close()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatalf("the fourth connection got no answer once one closed: %v", err)
	}
	resp.Body.Close()
	t.Logf("fourth connection answered %s once one of three closed", resp.Status)
}

// TestHeaderCap: headers over MaxHeaderBytes are refused with 431 before
// any handler runs.
func TestHeaderCap(t *testing.T) {
	_, srv, c := running(t, Options{Limits: Limits{MaxHeaderBytes: 8 << 10}})
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/"+DemoBucket+"/reports/2026-01.csv", nil)
	req.Header.Set("X-Padding", strings.Repeat("p", 64<<10))
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers with an 8 KiB cap: %s, want 431", resp.Status)
	}
}
