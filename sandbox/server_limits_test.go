package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"
)

// zeros is an endless reader of zero bytes (an upload's body).
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestAnonymousUploadsAreNotRead: 8 parallel anonymous 64 MB PutObjects
// the bucket policy does not allow are refused without the sandbox reading
// their bodies (issue 12, item 9: it read them all first, 1.26 GB). The
// heap allocated while serving them is measured with runtime.MemStats.
func TestAnonymousUploadsAreNotRead(t *testing.T) {
	_, srv, _ := running(t, Options{})
	const size = 64 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	statuses := make([]string, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := fmt.Sprintf("%s/%s/uploads/big-%d", srv.PlainURL(), DemoBucket, i)
			req, _ := http.NewRequest(http.MethodPut, u, io.LimitReader(zeros{}, size))
			req.ContentLength = size
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses[i] = err.Error() // the server may close before the body is sent
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			statuses[i] = fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(body))
		}()
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("8 anonymous 64 MB uploads: %.1f MB allocated; answers: %q", float64(alloc)/(1<<20), statuses[0])
	if alloc > 32<<20 {
		t.Errorf("serving 8 refused anonymous uploads allocated %.1f MB: the bodies were read", float64(alloc)/(1<<20))
	}
}
