package cmd

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// batchParsers are reused between lines: fastjson keeps its buffers in them.
var batchParsers fastjson.ParserPool

// decodeBatchFast reads a well-formed request line into b with fastjson,
// several times faster than encoding/json's Decoder, which was most of a
// batch's time. Each document comes out as its compact JSON text (the same
// value: policy.Parse reads the same document, and the batch's cache of
// parsed documents keys on it). ok is false for whatever it does not take
// on itself, and the line is then decoded by encoding/json, which words
// the error: invalid UTF-8, a backslash anywhere (escapes), a control
// character or a number anywhere (where fastjson is laxer than JSON), a
// field that is unknown, written twice or in another case, null for a
// field, a value of the wrong type, any syntax error.
// TestDecodeBatchFastMatchesDecoder holds the two together.
func decodeBatchFast(line []byte, b *batchRequest) bool {
	if !utf8.Valid(line) || bytes.IndexByte(line, '\\') >= 0 {
		return false
	}
	p := batchParsers.Get()
	defer batchParsers.Put(p)
	v, err := p.ParseBytes(line)
	if err != nil || v.Type() != fastjson.TypeObject || !plainJSON(v) {
		return false
	}
	o, _ := v.Object()
	ok, seen := true, map[string]bool{}
	o.Visit(func(k []byte, x *fastjson.Value) {
		if !ok || seen[string(k)] {
			ok = false
			return
		}
		seen[string(k)] = true
		ok = b.setField(string(k), x)
	})
	return ok
}

// setField sets the field named k (its exact JSON name) from x.
func (b *batchRequest) setField(k string, x *fastjson.Value) bool {
	var ok bool
	switch k {
	case "principal":
		b.Principal, ok = fastString(x)
	case "action":
		b.Action, ok = fastString(x)
	case "resource":
		b.Resource, ok = fastString(x)
	case "resource_account":
		b.ResourceAccount, ok = fastString(x)
	case "bucket":
		b.Bucket, ok = fastString(x)
	case "kms_key":
		b.KMSKey, ok = fastString(x)
	case "identity_policies":
		items, err := x.Array()
		if ok = err == nil; ok {
			b.IdentityPolicies = make([]json.RawMessage, len(items))
			for i, it := range items {
				b.IdentityPolicies[i] = it.MarshalTo(nil)
			}
		}
	case "resource_policy":
		b.ResourcePolicy, ok = x.MarshalTo(nil), true
	case "access_point_policy":
		b.AccessPointPolicy, ok = x.MarshalTo(nil), true
	case "key_policy":
		b.KeyPolicy, ok = x.MarshalTo(nil), true
	case "context":
		b.Context, ok = fastContext(x)
	}
	return ok
}

func fastString(x *fastjson.Value) (string, bool) {
	s, err := x.StringBytes()
	return string(s), err == nil
}

func fastContext(x *fastjson.Value) (map[string]strOrAll, bool) {
	o, err := x.Object()
	if err != nil {
		return nil, false
	}
	out := make(map[string]strOrAll, o.Len())
	ok := true
	o.Visit(func(k []byte, v *fastjson.Value) {
		if _, dup := out[string(k)]; !ok || dup {
			ok = false
			return
		}
		var vals strOrAll
		if s, err := v.StringBytes(); err == nil {
			vals = strOrAll{string(s)}
		} else if items, err := v.Array(); err == nil {
			vals = make(strOrAll, len(items))
			for i, it := range items {
				if vals[i], ok = fastString(it); !ok {
					return
				}
			}
		} else {
			ok = false
			return
		}
		out[string(k)] = vals
	})
	return out, ok
}

// plainJSON reports that no string or key holds a control character (JSON
// allows none unescaped) and that no number occurs (fastjson takes number
// forms JSON does not): encoding/json takes those lines.
func plainJSON(v *fastjson.Value) bool {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		ok := true
		o.Visit(func(k []byte, x *fastjson.Value) {
			ok = ok && plainBytes(k) && plainJSON(x)
		})
		return ok
	case fastjson.TypeArray:
		items, _ := v.Array()
		for _, it := range items {
			if !plainJSON(it) {
				return false
			}
		}
		return true
	case fastjson.TypeString:
		s, _ := v.StringBytes()
		return plainBytes(s)
	case fastjson.TypeNumber:
		return false
	default: // true, false, null
	}
	return true
}

func plainBytes(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return false
		}
	}
	return true
}
