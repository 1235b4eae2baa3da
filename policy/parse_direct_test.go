package policy

import (
	"reflect"
	"testing"
)

// directCorpus is fastCorpus with policy documents that take each branch
// of parseDirect, valid and not: repeated keys (the reference keeps the
// last), every element and principal type, condition values of each kind.
func directCorpus(t testing.TB) [][]byte {
	out := fastCorpus(t)
	for _, s := range []string{
		`{"Version":"2008-10-17","Id":"x","Statement":[]}`,
		`{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}`,
		`{"Version":"2012-10-17","Statement":[],"Statement":{"Effect":"Allow","Action":"s3:*"}}`,
		`{"Version":"2012-10-16","Statement":[]}`, `{"Version":1,"Statement":[]}`, `{"Id":1}`, `{"Other":1}`,
		`{"Statement":[{"Sid":"a","Effect":"Deny","NotAction":["s3:Get*"],"NotResource":"arn:aws:s3:::b/*",` +
			`"NotPrincipal":{"AWS":["111122223333"],"Service":"s3.amazonaws.com","Federated":"x",` +
			`"CanonicalUser":"c"}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":"*","Resource":["a","b"],` +
			`"Condition":{"StringEquals":{"k":["a",1,true,false,1.5e3]},"Bool":{"aws:SecureTransport":false},` +
			`"NumericLessThan":{"n":-0.5},"ForAnyValue:StringLike":{"x":[]}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":{}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Bool":{}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Action":"s3:GetObject"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":{"AWS":"a","AWS":"b"}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Bool":{"a":"1"},"Bool":{"b":"2"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Bool":{"a":"1","a":"2"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Bool":{"a":null}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Bool":{"a":[{}]}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Nope":{"a":"1"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"Bool":["a"]}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":"arn:aws:iam::111122223333:root"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":{"Other":"x"}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":{"AWS":[]}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":[]}]}`, `{"Statement":[{"Effect":"Allow","Action":[1]}]}`,
		`{"Statement":[{"Effect":"allow","Action":"s3:*"}]}`, `{"Statement":[{"Action":"s3:*"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:*"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Sid":1}]}`, `{"Statement":["x"]}`, `{"Statement":1}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"a","NotResource":"b"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Principal":"*","NotPrincipal":"*"}]}`,
	} {
		out = append(out, []byte(s))
	}
	return out
}

// TestParseDirectMatchesReference: whatever parseDirect takes, it reads
// into exactly the Policy the reference path reads, and it never takes
// what the reference rejects.
func TestParseDirectMatchesReference(t *testing.T) {
	direct := 0
	for _, data := range directCorpus(t) {
		checkParseDirect(t, data)
		if _, ok := parseDirect(data); ok {
			direct++
		}
	}
	if direct < 100 {
		t.Errorf("only %d documents took the direct path", direct)
	}
}

func checkParseDirect(t *testing.T, data []byte) {
	got, ok := parseDirect(data)
	if !ok {
		return
	}
	want, err := parseTree(data)
	if err != nil {
		t.Fatalf("%s: the direct path took what the reference rejects: %v", data, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: direct %#v, reference %#v", data, got, want)
	}
}

func FuzzParseDirect(f *testing.F) {
	for _, data := range directCorpus(f) {
		f.Add(data)
	}
	f.Fuzz(checkParseDirect)
}
