package policy

import (
	"strings"

	awsarn "github.com/s3grant/s3grant/arn"
)

// impliedKey names a condition key Decide answers beside the request's
// context: the global keys a request implies (impliedKeys, eval_context.go)
// and the defaults AuthorizeS3 adds to each stage's context. Conditions
// carry the code from Prepare, so a lookup does not compare key names.
type impliedKey uint8

const (
	ikNone impliedKey = iota
	ikSecure
	ikResAcct
	ikPArn
	ikPAcct
	ikPType
	ikUser
	ikS3ResAcct // the defaults of AuthorizeS3 from here on
	ikDAPArn
	ikDAPAcct
	ikAPOrigin
	ikKMSVia
	ikKMSCaller
	ikCount
)

// impliedNames are the keys, lower-cased, by code.
var impliedNames = [ikCount]string{
	"", "aws:securetransport", "aws:resourceaccount",
	"aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username",
	"s3:resourceaccount", "s3:dataaccesspointarn", "s3:dataaccesspointaccount", "s3:accesspointnetworkorigin",
	"kms:viaservice", "kms:calleraccount",
}

func impliedKeyOf(lower string) impliedKey {
	for k := ikSecure; k < ikCount; k++ {
		if impliedNames[k] == lower {
			return k
		}
	}
	return ikNone
}

// reqView is a request as Decide reads it: the caller parsed once, the
// resource ARN split once, and the keys the request implies looked up
// beside its context instead of copied into it. vals holds each implied
// key's value, so a lookup returns a one-value slice of it.
type reqView struct {
	req      Request
	caller   PrincipalInfo
	res      splitARNView // split on first use: most statements fail on their action
	resSplit bool
	defaults uint16 // which AuthorizeS3 defaults are set (bit per code)
	vals     [ikCount]string
	warm     byte // program.warm's loads
}

func newReqView(req Request, caller PrincipalInfo) reqView {
	return reqView{req: req, caller: caller}
}

// resource returns the request's resource ARN split into segments.
func (v *reqView) resource() *splitARNView {
	if !v.resSplit {
		v.res, v.resSplit = newSplitARN(v.req.Resource), true
	}
	return &v.res
}

// setDefault sets one of AuthorizeS3's defaults (the context wins).
func (v *reqView) setDefault(k impliedKey, val string) {
	v.defaults |= 1 << k
	v.vals[k] = val
}

// get looks up a lower-cased key with its code: the request's context
// first, then AuthorizeS3's defaults, then the keys the request implies,
// as impliedKeys lists them. TestReqViewMatchesImplied holds the two
// together.
func (v *reqView) get(key string, k impliedKey) ([]string, bool) {
	if len(v.req.Context) > 0 {
		if vals, ok := v.req.Context[key]; ok {
			return vals, true
		}
	}
	if k == ikNone {
		return nil, false
	}
	if k >= ikS3ResAcct {
		if v.defaults&(1<<k) == 0 {
			return nil, false
		}
		return v.vals[k : k+1 : k+1], true
	}
	val, ok := v.implied(k)
	if !ok {
		return nil, false
	}
	v.vals[k] = val
	return v.vals[k : k+1 : k+1], true
}

func (v *reqView) implied(k impliedKey) (string, bool) {
	p := &v.caller
	principal := !p.Anonymous && p.Service == "" && p.Account != ""
	switch k {
	case ikSecure:
		return "true", true
	case ikResAcct:
		return v.req.ResourceAccount, v.req.ResourceAccount != ""
	case ikPArn:
		if principal && p.Kind == "assumed-role" {
			return awsarn.Role(p.Partition, p.Account, p.Name), true
		}
		return p.ARN, principal
	case ikPAcct:
		return p.Account, principal
	case ikPType:
		typ := principalType(p.Kind)
		return typ, principal && typ != ""
	case ikUser:
		return p.Name, principal && p.Kind == "user"
	default: // the S3 defaults, which get answers
	}
	return "", false
}

// Get is get for any spelling of the key (policy variables name keys as
// written), lower-cased into a stack buffer as Context.Get does.
func (v *reqView) Get(key string) ([]string, bool) {
	var buf [96]byte
	if len(key) > len(buf) || !isASCII(key) {
		lk := strings.ToLower(key)
		return v.get(lk, impliedKeyOf(lk))
	}
	b := buf[:len(key)]
	for i := 0; i < len(key); i++ {
		b[i] = lowerASCII(key[i])
	}
	return v.get(string(b), impliedKeyOf(string(b)))
}
