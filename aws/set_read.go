package aws

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/s3grant/s3grant/journal"
	"github.com/s3grant/s3grant/plan"
)

// readSetFacts reads each bucket's settings once (ReadFacts: region, Object
// Ownership, encryption, Block Public Access, owner ID), at most parallel
// buckets at a time, and the account's Block Public Access once: it is
// the account's, the same for every bucket.
func readSetFacts(ctx context.Context, buckets []string, owner *Account, parallel int) (map[string]plan.Facts, error) {
	regions := make([]string, len(buckets))
	if err := eachBucket(buckets, parallel, func(i int, b string) (err error) {
		regions[i], err = BucketRegion(ctx, owner, b)
		return err
	}); err != nil {
		return nil, err
	}
	acct, err := accountBPA(ctx, owner.S3Control(regions[0]), owner.ID)
	if err != nil {
		return nil, fmt.Errorf("read the account's Block Public Access: %w", err)
	}
	facts := make([]plan.Facts, len(buckets))
	if err := eachBucket(buckets, parallel, func(i int, b string) (err error) {
		facts[i], _, err = factsIn(ctx, owner, b, regions[i], &acct)
		return err
	}); err != nil {
		return nil, err
	}
	out := make(map[string]plan.Facts, len(buckets))
	for i, b := range buckets {
		out[b] = facts[i]
	}
	return out, nil
}

// eachBucket runs f for every bucket, at most parallel at once.
func eachBucket(buckets []string, parallel int, f func(int, string) error) error {
	return bounded(len(buckets), parallel, func(i int) error { return f(i, buckets[i]) })
}

// bounded runs f(0) to f(n-1), at most parallel at once, waits for all of
// them and returns their errors joined.
func bounded(n, parallel int, f func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, max(1, parallel))
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = f(i)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// readGrantLive reads the documents of one grant whose bucket's settings
// are read: ReadLive's (docs nil: each read once), and each grant of a
// set's, through the set's cache.
func readGrantLive(ctx context.Context, p *plan.Plan, accts Accounts, facts plan.Facts, docs *docCache) (*Live, error) {
	st := &plan.State{Known: true, Facts: facts}
	if err := checkPrincipals(ctx, p, accts); err != nil {
		return nil, err
	}
	live := &Live{State: st, Region: facts.BucketRegion}
	for _, step := range p.Steps {
		ref, err := StepRef(p, step, facts.BucketRegion)
		if err != nil {
			return nil, err
		}
		doc, err := docs.read(ctx, ref, accts.For(step.AccountID))
		if err != nil {
			return nil, fmt.Errorf("read %s in %s: %w", describe(ref), step.AccountID, err)
		}
		live.Refs, live.Docs = append(live.Refs, ref), append(live.Docs, doc)
		if err := record(st, p.DocumentFor(step), ref, doc); err != nil {
			return nil, err
		}
	}
	return live, nil
}

// docCache reads each document once for all the grants of a set.
type docCache struct {
	mu   sync.Mutex
	docs map[journal.Ref]*cachedDoc
}

type cachedDoc struct {
	once sync.Once
	doc  Doc
	err  error
}

// read reads the document of ref once; a nil cache reads it every time.
func (c *docCache) read(ctx context.Context, ref journal.Ref, acct *Account) (Doc, error) {
	if c == nil {
		tgt, err := newTarget(ref, acct)
		if err != nil {
			return Doc{}, err
		}
		return tgt.Read(ctx)
	}
	c.mu.Lock()
	d := c.docs[ref]
	if d == nil {
		d = &cachedDoc{}
		c.docs[ref] = d
	}
	c.mu.Unlock()
	d.once.Do(func() {
		var tgt target
		if tgt, d.err = newTarget(ref, acct); d.err == nil {
			d.doc, d.err = tgt.Read(ctx)
		}
	})
	return d.doc, d.err
}
