package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/policy"
)

// batchInput reads one line into the single form's options and documents,
// so a batch line is checked and decided exactly as explain's flags are.
func (o *explainOptions) batchInput(line []byte) (*explainOptions, explainInput, error) {
	var in explainInput
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, in, errors.New("empty line: each line must be one JSON request, e.g. " + batchLineExample)
	}
	var b batchRequest
	if !decodeBatchFast(line, &b) {
		var err error
		if b, err = decodeBatchLine(line); err != nil {
			return nil, in, err
		}
	}
	lo := &explainOptions{
		app: o.app, principal: b.Principal, action: b.Action, resource: b.Resource,
		resourceAccount: b.ResourceAccount, bucket: b.Bucket, kmsKey: b.KMSKey,
	}
	if err := lo.checkRequest(); err != nil {
		return nil, in, err
	}
	ctx := policy.Context{}
	for k, v := range b.Context {
		if strings.TrimSpace(k) == "" {
			return nil, in, errors.New(`context: a key must not be empty, e.g. {"aws:SecureTransport": ["false"]}`)
		}
		prev, _ := ctx.Get(k)
		ctx.Set(k, append(prev, v...)...)
	}
	in.req = policy.Request{
		Principal: lo.principal, Action: lo.action, Resource: lo.resource,
		ResourceAccount: lo.resourceAccount, Context: ctx,
	}
	if lo.principal == "anonymous" {
		in.req.Principal = ""
	}
	for i, raw := range b.IdentityPolicies {
		name := fmt.Sprintf("identity_policies[%d]", i)
		p, err := o.inlinePolicy(name, raw)
		if err != nil {
			return nil, in, err
		}
		doc := policy.Doc{Name: "identity policy " + name, Kind: policy.KindIdentityPolicy, Policy: p}
		in.identity = append(in.identity, doc)
	}
	for _, d := range []struct {
		field string
		raw   json.RawMessage
		into  **policy.Policy
	}{
		{"resource_policy", b.ResourcePolicy, &in.resource},
		{"access_point_policy", b.AccessPointPolicy, &in.ap},
		{"key_policy", b.KeyPolicy, &in.key},
	} {
		var err error
		if *d.into, err = o.inlinePolicy(d.field, d.raw); err != nil {
			return nil, in, err
		}
	}
	return lo, in, nil
}

// decodeBatchLine is the reference decoding of a line, which words every
// error.
func decodeBatchLine(line []byte) (batchRequest, error) {
	var b batchRequest
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return b, fmt.Errorf("not a valid request: %w (fields: principal, action, resource, resource_account, "+
			"bucket, identity_policies, resource_policy, access_point_policy, key_policy, kms_key, context)", err)
	}
	if dec.More() {
		return b, errors.New("more than one JSON value on the line: give one request a line")
	}
	return b, nil
}

// maxParsed bounds the batch's parsed documents (the cache starts afresh
// beyond it): memory stays bounded whatever the input.
const maxParsed = 4096

// inlinePolicy parses a document given inline; absent or null is none. A
// text seen before in the batch is parsed once: the evaluator reads
// documents without changing them.
func (o *explainOptions) inlinePolicy(field string, raw json.RawMessage) (*policy.Policy, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if p, ok := o.parsed[string(raw)]; ok {
		return p, nil
	}
	p, err := policy.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	if o.parsed == nil || len(o.parsed) >= maxParsed {
		o.parsed = map[string]*policy.Policy{}
	}
	o.parsed[string(raw)] = p
	return p, nil
}

// decide evaluates the request as the single form does; without reasons it
// takes the compiled decision (S3 requests too: PreparedS3 decides as
// AuthorizeS3 does), which builds no reason text at all.
func (o *explainOptions) decide(in explainInput, reasons bool, cache *preparedCache) (policy.Result, error) {
	if isS3ARN(o.resource) {
		req, err := o.s3Request(in.req)
		if err != nil {
			return policy.Result{}, err
		}
		if !reasons {
			return policy.Result{Decision: cache.prepareS3(o.s3Setup(in)).Decide(req)}, nil
		}
		return policy.AuthorizeS3(req, o.s3Setup(in)), nil
	}
	pin := o.genericInput(in)
	if !reasons {
		return policy.Result{Decision: cache.prepare(pin).Decide(pin.Request)}, nil
	}
	return policy.Evaluate(pin), nil
}
