package plan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/spec"
)

// Every plan s3grant writes reads back as itself: the reader's derivation
// refuses nothing it made.
func TestParseAcceptsEveryPlanItWrites(t *testing.T) {
	bucketPolicy, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Colleague","Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::333344445555:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-exports/shared/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range Examples() {
		for _, known := range []bool{false, true} {
			st := &State{Known: known}
			st.SetPolicy(DocKey{Kind: policy.KindBucketPolicy, Target: ex.Spec.BucketARN()}, bucketPolicy)
			p, err := New(ex.Spec, st)
			if err != nil {
				t.Fatal(err)
			}
			data, err := Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(data)
			if err != nil {
				t.Fatalf("%s: Parse refused a plan s3grant wrote: %v", ex.Name, err)
			}
			again, _ := Marshal(back)
			if string(again) != string(data) {
				t.Fatalf("%s: the derived plan differs from the one written", ex.Name)
			}
		}
	}
}

// tamper returns the example plan's JSON after edit changed it.
func tamper(t *testing.T, name string, edit func(m map[string]any)) []byte {
	t.Helper()
	for _, ex := range Examples() {
		if ex.Name != name {
			continue
		}
		p, err := New(ex.Spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(p)
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		out, _ := json.Marshal(m)
		return out
	}
	t.Fatalf("no example %s", name)
	return nil
}

func at(m map[string]any, path ...any) map[string]any {
	var cur any = m
	for _, k := range path {
		switch k := k.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur.(map[string]any)
}

const adminRole = "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"

// The refusals of issue 12 item 1: a plan file whose steps, documents,
// grant ID or Sid prefix are not what its spec derives, or whose spec was
// edited after its documents were made, is refused naming the field.
func TestParseRefusesATamperedPlan(t *testing.T) {
	cases := []struct {
		name, example string
		edit          func(m map[string]any)
		field, rule   string
	}{
		{"role steps pointed at an admin role", "iam-role/external-id", func(m map[string]any) {
			at(m, "steps", 0)["target"] = adminRole
			at(m, "steps", 1)["target"] = adminRole
		}, "steps[0].target", "OrganizationAccountAccessRole"},
		{"an extra consumer account in the spec", "bucket-policy/read", func(m map[string]any) {
			s := at(m, "spec")
			s["consumer-account"] = append(s["consumer-account"].([]any), "444455556666")
		}, "grant_id", "the spec derives"},
		{"a * trust policy", "iam-role/external-id", func(m map[string]any) {
			doc := at(m, "documents", 0, "document")
			st := doc["Statement"].([]any)[0].(map[string]any)
			st["Principal"] = "*"
		}, "documents[0].document", `+      "Principal": "*"`},
		{"s3:* in the role's permissions", "iam-role/external-id", func(m map[string]any) {
			for _, f := range []string{"document", "generated"} {
				st := at(m, "documents", 1, f)["Statement"].([]any)[0].(map[string]any)
				st["Action"] = "s3:*"
			}
		}, "documents[1].document", "s3:*"},
		{"the prefix removed from the spec", "bucket-policy/read", func(m map[string]any) {
			delete(at(m, "spec"), "prefix")
		}, "documents[0].document", "reports/"},
		{"the external ID removed from the spec", "iam-role/external-id", func(m map[string]any) {
			delete(at(m, "spec"), "external-id")
		}, "documents[0].document", "sts:ExternalId"},
		{"an invalid spec", "bucket-policy/read", func(m map[string]any) {
			at(m, "spec")["prefix"] = []any{""}
		}, "prefix", "must not be empty"},
		{"another grant ID", "bucket-policy/read", func(m map[string]any) { m["grant_id"] = "DEADBEEF" }, "grant_id", "DEADBEEF"},
		{"another Sid prefix", "bucket-policy/read", func(m map[string]any) { m["sid_prefix"] = "S3GrantDEADBEEF" }, "sid_prefix", "S3GrantDEADBEEF"},
		{"a step dropped", "iam-role/external-id", func(m map[string]any) { m["steps"] = m["steps"].([]any)[1:] }, "steps", "steps"},
		{"documents null", "bucket-policy/read", func(m map[string]any) { m["documents"] = nil }, "documents", "is missing or null"},
		{"steps null", "bucket-policy/read", func(m map[string]any) { m["steps"] = nil }, "steps", "is missing or null"},
		{"a null document", "bucket-policy/read", func(m map[string]any) { m["documents"].([]any)[0] = nil }, "documents[0]", "is null"},
		{"no spec", "bucket-policy/read", func(m map[string]any) { delete(m, "spec") }, "spec", "is missing"},
		{"another format version", "bucket-policy/read", func(m map[string]any) { m["format_version"] = 2 }, "format_version", "not supported"},
		{"an unknown field", "bucket-policy/read", func(m map[string]any) { m["stepz"] = []any{} }, "plan file", "unknown field"},
		{"an unknown document field", "bucket-policy/read", func(m map[string]any) { at(m, "documents", 0)["targt"] = "x" }, "plan file", "unknown field"},
		{"an unknown kind", "bucket-policy/read", func(m map[string]any) { at(m, "documents", 0)["kind"] = "s3-policy" }, "documents[0].kind", "not a document kind"},
		{"an existing policy over AWS's size limit", "bucket-policy/read", func(m map[string]any) {
			at(m, "documents", 0)["existing"] = map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + strings.Repeat("b", 21000),
			}}}
		}, "documents[0].existing", "over the 20480 limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(tamper(t, c.example, c.edit))
			fes := spec.AsFieldErrors(err)
			if len(fes) == 0 {
				t.Fatalf("Parse = %v, want field errors", err)
			}
			if fes[0].Field != c.field || !strings.Contains(err.Error(), c.rule) || fes[0].Example == "" {
				t.Fatalf("first problem %+v (all: %v), want field %s, a rule with %q and an example", fes[0], err, c.field, c.rule)
			}
		})
	}
}

func TestParseRefusesWhatIsNotAPlan(t *testing.T) {
	for _, data := range []string{"", "null", "[]", "{}", `{"format_version":1}{}`, "\x00", `{"format_version":"1"}`} {
		_, err := Parse([]byte(data))
		if len(spec.AsFieldErrors(err)) == 0 {
			t.Errorf("Parse(%q) = %v, want a field error", data, err)
		}
	}
}

func TestReadFileWritesAndReads(t *testing.T) {
	p, err := New(Examples()[0].Spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("plan file mode: %v %v", info, err)
	}
	back, err := ReadFile(path)
	if err != nil || back.GrantID != p.GrantID {
		t.Fatalf("ReadFile: %v", err)
	}
	if _, err := ReadFile("/dev/zero"); err == nil || !strings.Contains(err.Error(), "PLAN.json /dev/zero: is a device") {
		t.Fatalf("ReadFile(/dev/zero) = %v", err)
	}
}
