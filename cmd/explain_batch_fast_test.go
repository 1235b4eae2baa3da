package cmd

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// batchFastCorpus is the batch test's request lines and lines that take
// each way out of decodeBatchFast.
func batchFastCorpus() [][]byte {
	var out [][]byte
	for _, c := range batchCases() {
		out = append(out, []byte(c.line()))
	}
	for _, s := range []string{
		`{"principal":"p","action":"s3:GetObject","resource":"r"}`,
		`{"principal":"p","action":"a","resource":"r","context":{"aws:SourceIp":"1.2.3.4","k":["a","b"],"e":[]}}`,
		`{"principal":"p","action":"a","resource":"r","identity_policies":[null,{"Statement":[]}],"key_policy":null}`,
		`{"principal":"p","action":"a","resource":"r","resource_policy":{"Version":"2012-10-17","Statement":[]}}`,
		`{"principal":"p","action":"a","resource":"r","resource_policy":{"a":1}}`,
		`{"principal":"p","principal":"q","action":"a","resource":"r"}`, `{"Principal":"p","action":"a"}`,
		`{"principal":null,"action":"a","resource":"r"}`, `{"principal":1}`, `{"other":"x"}`,
		`{"principal":"p","identity_policies":null}`, `{"principal":"p","identity_policies":{}}`,
		`{"principal":"p","context":null}`, `{"principal":"p","context":{"k":1}}`,
		`{"principal":"p","context":{"k":[1]}}`,
		`{"principal":"p","context":{"k":"a","k":"b"}}`, `{"principal":"p","context":{"k":"a","K":"b"}}`,
		`{"principal":"p\u00e9"}`, "{\"principal\":\"p\tq\"}", "{\"principal\":\"\xff\"}", `{"principal":"p"} {}`,
		`{"principal":"p"`, `[]`, `"x"`, `{"principal":"p","resource_policy":{"a":tru}}`,
		`{"principal":"p","resource_policy":{"a":[01]}}`, `{}`,
	} {
		out = append(out, []byte(s))
	}
	return out
}

// TestDecodeBatchFastMatchesDecoder: whatever decodeBatchFast takes, it
// reads into what encoding/json's Decoder reads (each document the same
// JSON, compacted), and it never takes a line the Decoder rejects.
func TestDecodeBatchFastMatchesDecoder(t *testing.T) {
	fast := 0
	for _, line := range batchFastCorpus() {
		checkDecodeBatchFast(t, line)
		var b batchRequest
		if decodeBatchFast(line, &b) {
			fast++
		}
	}
	if fast < 20 {
		t.Errorf("only %d lines took the fast path", fast)
	}
}

func checkDecodeBatchFast(t *testing.T, line []byte) {
	var got batchRequest
	if !decodeBatchFast(line, &got) {
		return
	}
	want, err := decodeBatchLine(line)
	if err != nil {
		t.Fatalf("%s: the fast path took a line the Decoder rejects: %v", line, err)
	}
	compact := func(raw json.RawMessage) json.RawMessage {
		if raw == nil {
			return nil
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return buf.Bytes()
	}
	for i := range want.IdentityPolicies {
		want.IdentityPolicies[i] = compact(want.IdentityPolicies[i])
	}
	want.ResourcePolicy, want.AccessPointPolicy = compact(want.ResourcePolicy), compact(want.AccessPointPolicy)
	want.KeyPolicy = compact(want.KeyPolicy)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\nfast    %+v\nDecoder %+v", line, got, want)
	}
}

func FuzzDecodeBatchFast(f *testing.F) {
	for _, line := range batchFastCorpus() {
		f.Add(line)
	}
	f.Fuzz(checkDecodeBatchFast)
}
