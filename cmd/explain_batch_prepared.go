package cmd

import "github.com/s3grant/s3grant/policy"

// preparedCache holds a batch's compiled documents (for answers without
// reasons) by the documents a line names: many lines ask of the same few,
// and compiling them was a third of such a batch's time. Documents are
// shared by their text (inlinePolicy), so the same pointers are the same
// documents; compiling reads nothing else of a line but the settings the
// keys hold. Bounded as the parsed documents are.
type preparedCache struct {
	s3      map[preparedKey]*policy.PreparedS3
	generic map[preparedKey]*policy.Prepared
}

// preparedKey is what compiling a line's setup reads: up to maxKeyedIdentity
// identity policies (more: compiled each time), the resource-side
// documents and how they are read.
type preparedKey struct {
	identity   [maxKeyedIdentity]*policy.Policy
	nIdentity  int
	resource   *policy.Policy
	ap         *policy.Policy
	key        policy.KeySetup
	hasKey     bool
	bpa        policy.BlockPublicAccess
	kind       policy.Kind // the generic request's resource document
	noResource bool
	decided    bool
}

const maxKeyedIdentity = 4

func identityKey(k *preparedKey, docs []policy.Doc) bool {
	if len(docs) > maxKeyedIdentity {
		return false
	}
	for i, d := range docs {
		k.identity[i] = d.Policy
	}
	k.nIdentity = len(docs)
	return true
}

// prepareS3 is policy.PrepareS3, compiled once per distinct setup.
func (c *preparedCache) prepareS3(set policy.S3Setup) *policy.PreparedS3 {
	k := preparedKey{resource: set.BucketPolicy, ap: set.AccessPointPolicy, bpa: set.BPA}
	if set.Key != nil {
		k.key, k.hasKey = *set.Key, true
	}
	plain := set.BucketACL == nil && set.ObjectACL == nil && set.ObjectOwnership == "" && set.ObjectWriter == "" &&
		!set.ObjectWrittenWithOwnerFullControl
	if c == nil || !plain || !identityKey(&k, set.Identity) {
		return policy.PrepareS3(set)
	}
	return remember(&c.s3, k, func() *policy.PreparedS3 { return policy.PrepareS3(set) })
}

// prepare is policy.Prepare, compiled once per distinct set of documents
// (Prepare ignores the request; Decide reads no document names).
func (c *preparedCache) prepare(in policy.Input) *policy.Prepared {
	k := preparedKey{noResource: in.Resource == nil, decided: in.IdentityDecided}
	if in.Resource != nil {
		k.resource, k.kind = in.Resource.Policy, in.Resource.Kind
	}
	if c == nil || in.Stage != "" || !identityKey(&k, in.Identity) {
		return policy.Prepare(in)
	}
	return remember(&c.generic, k, func() *policy.Prepared { return policy.Prepare(in) })
}

// remember returns what *m holds for k, compiling and keeping it when
// absent; the map starts afresh beyond maxParsed, so memory stays bounded.
func remember[V any](m *map[preparedKey]V, k preparedKey, compile func() V) V {
	if v, ok := (*m)[k]; ok {
		return v
	}
	if *m == nil || len(*m) >= maxParsed {
		*m = map[preparedKey]V{}
	}
	v := compile()
	(*m)[k] = v
	return v
}
