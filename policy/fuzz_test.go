package policy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: any input either fails with a located error or parses to a
// document whose canonical form is a fixed point of Parse+Canonical, and
// merging our statements keeps every foreign statement.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/shapes/*.json")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if pe := (*ParseError)(nil); !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		c := p.Canonical()
		q, err := Parse(c)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, c)
		}
		if !bytes.Equal(q.Canonical(), c) {
			t.Fatalf("canonical form not stable:\n%s\n---\n%s", c, q.Canonical())
		}
		const prefix = "S3GrantFUZZ"
		merged := Merge(p, prefix, ours(prefix))
		foreign, got := Foreign(p, prefix), Foreign(merged, prefix)
		if len(foreign) != len(got) {
			t.Fatalf("merge lost foreign statements")
		}
		for i := range foreign {
			if !bytes.Equal(foreign[i].Canonical(), got[i].Canonical()) {
				t.Fatalf("merge changed foreign statement %d", i)
			}
		}
		_ = Normalize(p).Canonical()
	})
}
