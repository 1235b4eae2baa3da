package policy

import (
	"sort"
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"
)

// Context holds a request's condition keys and their values. Key names are
// case-insensitive (stored lower-cased); values are kept as given.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
type Context map[string][]string

// Get returns the values of key.
func (c Context) Get(key string) ([]string, bool) {
	if len(c) == 0 {
		return nil, false
	}
	// Lower-case into a stack buffer: a map index with string(bytes) does
	// not allocate, where strings.ToLower would on every mixed-case key.
	var buf [96]byte
	if len(key) > len(buf) {
		v, ok := c[strings.ToLower(key)]
		return v, ok
	}
	b := buf[:len(key)]
	for i := 0; i < len(key); i++ {
		b[i] = lowerASCII(key[i])
	}
	if !isASCII(key) {
		v, ok := c[strings.ToLower(key)]
		return v, ok
	}
	v, ok := c[string(b)]
	return v, ok
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Has reports whether key is present.
func (c Context) Has(key string) bool {
	_, ok := c.Get(key)
	return ok
}

// Set sets key to vals and returns the context (a new one when c is nil).
func (c Context) Set(key string, vals ...string) Context {
	if c == nil {
		c = Context{}
	}
	// One copy of each name AWS defines (internKey): Decide finds it by
	// comparing pointers.
	k, _ := internKey(strings.ToLower(key))
	c[k] = vals
	return c
}

// Default sets key only when it is absent.
func (c Context) Default(key string, vals ...string) Context {
	if c.Has(key) {
		return c
	}
	return c.Set(key, vals...)
}

// Clone returns a copy that can be changed without touching c.
func (c Context) Clone() Context {
	out := make(Context, len(c)+6)
	for k, v := range c {
		out[k] = v
	}
	return out
}

// Keys returns the (lower-cased) key names in order.
func (c Context) Keys() []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ImpliedContext returns the request's context with the global keys the
// request itself implies filled in where absent: aws:PrincipalArn (the role
// ARN for a role session), aws:PrincipalAccount, aws:PrincipalType,
// aws:username for users, aws:ResourceAccount and aws:SecureTransport
// (true: every s3grant request uses TLS unless told otherwise).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func ImpliedContext(req Request) Context { return req.Context.withImplied(req) }

func (c Context) withImplied(req Request) Context {
	defaults := impliedKeys(req)
	missing := 0
	for _, kv := range defaults {
		if !c.Has(kv[0]) {
			missing++
		}
	}
	if missing == 0 {
		return c // nothing to add: evaluation only reads the context
	}
	out := c.Clone()
	for _, kv := range defaults {
		out.Default(kv[0], kv[1])
	}
	return out
}

// impliedKeys lists the global keys a request implies, as key/value pairs.
func impliedKeys(req Request) [][2]string {
	out := [][2]string{{"aws:SecureTransport", "true"}}
	if req.ResourceAccount != "" {
		out = append(out, [2]string{"aws:ResourceAccount", req.ResourceAccount})
	}
	p := ParsePrincipal(req.Principal)
	if p.Anonymous || p.Service != "" || p.Account == "" {
		return out
	}
	arn := p.ARN
	if p.Kind == "assumed-role" {
		arn = awsarn.Role(p.Partition, p.Account, p.Name)
	}
	out = append(out, [2]string{"aws:PrincipalArn", arn}, [2]string{"aws:PrincipalAccount", p.Account})
	if typ := principalType(p.Kind); typ != "" {
		out = append(out, [2]string{"aws:PrincipalType", typ})
	}
	if p.Kind == "user" {
		out = append(out, [2]string{"aws:username", p.Name})
	}
	return out
}

// principalType maps a principal kind to its aws:PrincipalType value (a
// switch: Decide asks it, and a map lookup would hash on every decision).
func principalType(kind string) string {
	switch kind {
	case "root":
		return "Account"
	case "role", "assumed-role":
		return "AssumedRole"
	case "user":
		return "User"
	case "federated-user":
		return "FederatedUser"
	}
	return ""
}
