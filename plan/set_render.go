package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/s3grant/s3grant/internal/textout"
)

// WriteText renders the set for people: a summary, one line per grant,
// then each account's steps in run order with the grants each one carries
// and the diff of its document, then every grant's warnings.
func (set *Set) WriteText(w io.Writer) error {
	tw := textout.New(w)
	tw.Printf("Plan %s: %d grants on %d buckets, %d accounts, %d writes\n",
		set.SetID, len(set.Grants), len(set.Buckets()), len(set.Accounts()), len(set.Steps))
	tw.Printf("\nGrants (each keeps its own Sids, so one can be changed or removed alone)\n")
	for i, g := range set.Grants {
		s := g.Spec
		tw.Printf("  grants[%d] %s  %s %s access to %s for %s (Sids %s*)\n",
			i, g.GrantID, s.Method, s.Access, s.Scope(), strings.Join(s.ConsumerAccounts, ", "), g.SidPrefix)
	}
	acct := ""
	for _, st := range set.Steps {
		if st.AccountID != acct {
			acct = st.AccountID
			tw.Printf("\n%s account %s\n", strings.ToUpper(string(st.Account[:1]))+string(st.Account[1:]), acct)
		}
		tw.Printf("  %d. %s %s  (%s)\n", st.ID, st.Operation, st.Target, grantList(st.Grants))
		if d := set.DocumentFor(st); d != nil {
			tw.Printf("%s\n", indentText(strings.TrimRight(d.Diff(), "\n"), "     "))
		}
	}
	for i, g := range set.Grants {
		for _, wn := range g.Warnings {
			tw.Printf("  [%s] grants[%d] %s: %s\n", wn.Severity, i, wn.Code, wn.Message)
		}
	}
	return tw.Err()
}

// grantList names grants as the file does: grants[0], grants[3].
func grantList(idx []int) string {
	names := make([]string, len(idx))
	for i, g := range idx {
		names[i] = fmt.Sprintf("grants[%d]", g)
	}
	return strings.Join(names, ", ")
}

func indentText(s, pre string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n")
}
