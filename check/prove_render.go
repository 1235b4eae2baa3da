package check

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/s3grant/s3grant/internal/textout"
)

// maxShown bounds the extra accesses printed per list; the JSON output
// carries every one.
const maxShown = 40

// WriteText renders the proof: what it covered, then each access beyond the
// spec with the statements that grant it and why it is extra, then the
// findings on statements s3grant does not own.
func (pr *Proof) WriteText(w io.Writer) error {
	tw := textout.New(w)
	pr.writeText(tw)
	return tw.Err()
}

func (pr *Proof) writeText(tw *textout.Writer) {
	verdict := "no access beyond the spec"
	if !pr.OK {
		verdict = fmt.Sprintf("FAIL: %d accesses beyond the spec", len(pr.Extra))
	}
	tw.Printf("\nProof over every request: %s\n", verdict)
	tw.Printf("  %d S3 actions (%d classes) x %d principal classes x %d paths x %d key classes, "+
		"%d s3:prefix classes; %d requests, %d evaluations\n",
		pr.Actions, pr.ActionClasses, len(pr.Principals), len(pr.Paths), len(pr.Keys),
		len(pr.ListPrefixes), pr.Requests, pr.Evaluations)
	for _, k := range sortedKeys(pr.Context) {
		tw.Printf("  condition %s: %s\n", k, strings.Join(pr.Context[k], ", "))
	}
	for _, a := range pr.Assumptions {
		tw.Printf("  assumes: %s\n", a)
	}
	writeAccesses(tw, "Access beyond the spec (granted by s3grant's statements)", pr.Extra)
	writeAccesses(tw,
		"Findings: access beyond the spec granted by statements s3grant does not own (kept by the merge)",
		pr.Foreign)
}

func writeAccesses(tw *textout.Writer, title string, list []ExtraAccess) {
	if len(list) == 0 {
		return
	}
	tw.Printf("\n%s\n", title)
	for i, e := range list {
		if i == maxShown {
			tw.Printf("  ... and %d more (-o json lists every one)\n", len(list)-i)
			return
		}
		tw.Printf("  FAIL %s  %s  %s%s\n", e.Principal, e.Action, e.Resource, contextNote(e.Context))
		tw.Printf("       who: %s, %s\n", e.Who, e.Path)
		tw.Printf("       granted by: %s\n", strings.Join(e.Statements, "; "))
		tw.Printf("       why: %s\n", e.Why)
	}
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
