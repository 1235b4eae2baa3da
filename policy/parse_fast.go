package policy

import (
	"bytes"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// parsers are reused between documents: fastjson keeps its buffers in them.
var parsers fastjson.ParserPool

// decodeFast reads data into the tree encoding/json's Decoder with
// UseNumber gives (map[string]any, []any, string, json.Number, bool, nil)
// several times faster, which is what explaining thousands of requests with
// their own documents spends its time on. ok is false for whatever it does
// not take on itself, where fastjson is laxer than the JSON grammar or
// encoding/json (escapes, control characters, invalid UTF-8, number
// syntax) and for any error: Parse then decodes with encoding/json, which
// words the error. TestDecodeFastMatchesEncodingJSON holds the two together.
func decodeFast(data []byte) (any, bool) {
	if !utf8.Valid(data) || bytes.IndexByte(data, '\\') >= 0 {
		return nil, false
	}
	p := parsers.Get()
	defer parsers.Put(p)
	v, err := p.ParseBytes(data)
	if err != nil {
		return nil, false
	}
	return fromFastJSON(v)
}

func fromFastJSON(v *fastjson.Value) (any, bool) {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		m := make(map[string]any, o.Len())
		ok := true
		o.Visit(func(k []byte, x *fastjson.Value) {
			if !ok {
				return
			}
			var val any
			if val, ok = fromFastJSON(x); ok && plainString(k) {
				m[string(k)] = val // a repeated key: the last wins, as in encoding/json
			} else {
				ok = false
			}
		})
		return m, ok
	case fastjson.TypeArray:
		items, _ := v.Array()
		out := make([]any, len(items))
		for i, x := range items {
			var ok bool
			if out[i], ok = fromFastJSON(x); !ok {
				return nil, false
			}
		}
		return out, true
	case fastjson.TypeNull:
		return nil, true
	default: // a string, number or bool
		return directScalar(v)
	}
}

// plainString reports that a string holds no control characters, which
// JSON does not allow unescaped.
func plainString(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return false
		}
	}
	return true
}

// jsonNumber checks the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// https://www.rfc-editor.org/rfc/rfc8259#section-6
func jsonNumber(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
