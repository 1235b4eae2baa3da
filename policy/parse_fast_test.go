package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// fastCorpus is every document the package's tests read, the generated
// documents of the differential test, and inputs where fastjson is laxer
// than JSON or than encoding/json.
func fastCorpus(t testing.TB) [][]byte {
	var out [][]byte
	files, _ := filepath.Glob("testdata/*/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	for _, c := range generateCases(2, 20) {
		for _, p := range c.IdentityPolicies {
			out = append(out, p)
		}
		out = append(out, c.ResourcePolicy)
	}
	for _, s := range []string{
		`{"a":1}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":1e}`, `{"a":1E+5}`, `{"a":-0.5e-3}`, `{"a":.5}`, `{"a":+1}`,
		`{"a":1,"a":2}`, `{"a":[[],[{}],null,true,false]}`, `{"a":"\u00e9"}`, "{\"a\":\"x\ty\"}", "{\"a\x01\":1}",
		"{\"a\":\"\xff\"}", `{"a":1} {"b":2}`, `{"a":1}}`, ` {"a" : [ 1 , 2 ] } `, `[1,2]`, `"x"`, `{"a":tru}`, `{"a":nul}`,
		`{"a":1`, ``, `{}`, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
	} {
		out = append(out, []byte(s))
	}
	return out
}

// TestDecodeFastMatchesEncodingJSON: whatever the fast decoder takes, it
// reads into exactly what encoding/json reads, and it never takes what
// encoding/json rejects.
func TestDecodeFastMatchesEncodingJSON(t *testing.T) {
	fast := 0
	for _, data := range fastCorpus(t) {
		checkDecodeFast(t, data)
		if _, ok := decodeFast(data); ok {
			fast++
		}
	}
	if fast < 100 {
		t.Errorf("only %d documents took the fast path", fast)
	}
}

func checkDecodeFast(t *testing.T, data []byte) {
	got, ok := decodeFast(data)
	if !ok {
		return
	}
	want, err := decodeJSON(data)
	if err != nil {
		t.Fatalf("%q: the fast decoder took what encoding/json rejects: %v", data, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: fast %#v, encoding/json %#v", data, got, want)
	}
}

func FuzzDecodeFast(f *testing.F) {
	for _, data := range fastCorpus(f) {
		f.Add(data)
	}
	f.Fuzz(checkDecodeFast)
}
