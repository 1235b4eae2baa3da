package aws_test

import (
	"context"
	"testing"
	"time"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/internal/testenv"
)

// TestReadSetLiveReadsEachBucketOnce: reading the 30-grant file's accounts
// (what status and apply do first) reads each of its 5 buckets' settings
// once, not once per grant: counted at the fault proxy, it makes at least
// (30 - 5) bucket-settings reads fewer calls than reading the 30 grants
// one by one (ReadLive), which is what it did before.
func TestReadSetLiveReadsEachBucketOnce(t *testing.T) {
	testenv.SandboxToo(t)
	w := newSetWorld(t)
	proxy := w.env.StartFaultProxy(t)
	accts := aws.Accounts{Consumers: map[string]*aws.Account{}}
	ctx := context.Background()
	for _, a := range w.env.Accounts() {
		acct := must(aws.Connect(ctx, aws.ConnectOptions{Profile: a.Profile, EndpointURL: proxy.URL}))(t)
		if a.ID == testenv.OwnerAccount {
			accts.Owner = acct
		} else {
			accts.Consumers[a.ID] = acct
		}
	}
	count := func(f func()) (int, time.Duration) {
		n, start := proxy.Calls(), time.Now()
		f()
		return proxy.Calls() - n, time.Since(start)
	}
	perBucket, _ := count(func() { must(aws.ReadFacts(ctx, accts.Owner, w.file.Buckets()[0], ""))(t) })
	alone, aloneT := 0, time.Duration(0)
	for _, g := range w.file.Grants {
		n, d := count(func() { must(aws.ReadLive(ctx, g, accts))(t) })
		alone, aloneT = alone+n, aloneT+d
	}
	set, setT := count(func() { must(aws.ReadSetLive(ctx, w.file, accts, aws.DefaultParallel))(t) })
	saved := (len(w.file.Grants) - len(w.file.Buckets())) * perBucket
	t.Logf("%d grants over %d buckets: %d calls one grant at a time (%s), %d for the set (%s); "+
		"a bucket's settings are %d calls",
		len(w.file.Grants), len(w.file.Buckets()), alone, aloneT, set, setT, perBucket)
	if perBucket < 2 || set > alone-saved {
		t.Fatalf("ReadSetLive made %d calls, want at most %d "+
			"(%d one grant at a time, less %d bucket reads of %d calls)",
			set, alone-saved, alone, len(w.file.Grants)-len(w.file.Buckets()), perBucket)
	}
}
