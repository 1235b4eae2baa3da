package policy

import (
	"bytes"
	"encoding/json"
	"sort"
)

// Canonical returns the document as deterministic, 2-space indented JSON:
// elements in the order Version, Id, Statement and Sid, Effect, Principal,
// NotPrincipal, Action, NotAction, Resource, NotResource, Condition; maps with
// sorted keys; lists and string-or-list shapes as written.
func (p *Policy) Canonical() []byte {
	var out bytes.Buffer
	_ = json.Indent(&out, p.Minified(), "", "  ")
	return out.Bytes()
}

// Minified returns the canonical document without white space; AWS counts
// policy size on this form.
func (p *Policy) Minified() []byte {
	var b bytes.Buffer
	w := objWriter{buf: &b}
	w.open()
	if p.Version != "" {
		w.field("Version", p.Version)
	}
	if p.ID != "" {
		w.field("Id", p.ID)
	}
	w.key("Statement")
	if p.SingleStatement && len(p.Statement) == 1 {
		p.Statement[0].write(&b)
	} else {
		b.WriteByte('[')
		for i, s := range p.Statement {
			if i > 0 {
				b.WriteByte(',')
			}
			s.write(&b)
		}
		b.WriteByte(']')
	}
	w.close()
	return b.Bytes()
}

// MarshalJSON writes the canonical minified form.
func (p *Policy) MarshalJSON() ([]byte, error) { return p.Minified(), nil }

// UnmarshalJSON parses tolerantly, as Parse does.
func (p *Policy) UnmarshalJSON(data []byte) error {
	q, err := Parse(data)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

// Canonical returns the statement alone as indented JSON.
func (s Statement) Canonical() []byte {
	var b, out bytes.Buffer
	s.write(&b)
	_ = json.Indent(&out, b.Bytes(), "", "  ")
	return out.Bytes()
}

func (s Statement) write(b *bytes.Buffer) {
	w := objWriter{buf: b}
	w.open()
	if s.Sid != "" {
		w.field("Sid", s.Sid)
	}
	w.field("Effect", s.Effect)
	if s.Principal != nil {
		w.key("Principal")
		s.Principal.write(b)
	}
	if s.NotPrincipal != nil {
		w.key("NotPrincipal")
		s.NotPrincipal.write(b)
	}
	w.strings("Action", s.Action)
	w.strings("NotAction", s.NotAction)
	w.strings("Resource", s.Resource)
	w.strings("NotResource", s.NotResource)
	if len(s.Condition) > 0 {
		w.key("Condition")
		s.Condition.write(b)
	}
	w.close()
}

func (p *Principal) write(b *bytes.Buffer) {
	if p.Wildcard {
		b.WriteString(`"*"`)
		return
	}
	w := objWriter{buf: b}
	w.open()
	for _, k := range sortedKeys(p.Types) {
		w.strings(k, p.Types[k])
	}
	w.close()
}

func (c Conditions) write(b *bytes.Buffer) {
	w := objWriter{buf: b}
	w.open()
	for _, op := range sortedKeys(c) {
		w.key(op)
		inner := objWriter{buf: b}
		inner.open()
		for _, k := range sortedKeys(c[op]) {
			inner.key(k)
			v := c[op][k]
			if v.Single && len(v.Items) == 1 {
				writeJSON(b, v.Items[0])
				continue
			}
			b.WriteByte('[')
			for i, it := range v.Items {
				if i > 0 {
					b.WriteByte(',')
				}
				writeJSON(b, it)
			}
			b.WriteByte(']')
		}
		inner.close()
	}
	w.close()
}

type objWriter struct {
	buf *bytes.Buffer
	n   int
}

func (w *objWriter) open()  { w.buf.WriteByte('{') }
func (w *objWriter) close() { w.buf.WriteByte('}') }

func (w *objWriter) key(k string) {
	if w.n > 0 {
		w.buf.WriteByte(',')
	}
	w.n++
	writeJSON(w.buf, k)
	w.buf.WriteByte(':')
}

func (w *objWriter) field(k, v string) {
	w.key(k)
	writeJSON(w.buf, v)
}

func (w *objWriter) strings(k string, s Strings) {
	if s.Empty() {
		return
	}
	w.key(k)
	if s.Single && len(s.Values) == 1 {
		writeJSON(w.buf, s.Values[0])
		return
	}
	writeJSON(w.buf, s.Values)
}

func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	b.Truncate(b.Len() - 1) // Encode appends a newline
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
