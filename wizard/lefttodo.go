package wizard

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// LeftToDo is what the grant still needs after a successful apply before
// anyone but an admin can use it: a consumer-side managed policy (written
// when no principal was named) is attached to nobody, so only identities
// whose own policies already allow S3 reach the bucket. Each entry says so
// and gives the commands that attach it; profile is the consumer's ("" for
// the default chain).
//
// Attaching a managed policy to a role, user or group:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html
func LeftToDo(p *plan.Plan, profile string) []string {
	flag := ""
	if profile != "" {
		flag = " \\\n      --profile " + ShellQuote(profile)
	}
	var out []string
	for _, st := range p.Steps {
		if st.Account != templates.Consumer || st.Operation != templates.OpCreatePolicy {
			continue
		}
		name := st.Target[strings.LastIndex(st.Target, "/")+1:]
		out = append(out, fmt.Sprintf("Policy %s in account %s is attached to nobody: "+
			"until it is, only identities whose own policies already allow S3 (like an admin) get in. "+
			"Attach it to each role or user that needs access:\n"+
			"  aws iam attach-role-policy --role-name ROLE \\\n      --policy-arn %s%s\n"+
			"  aws iam attach-user-policy --user-name USER \\\n      --policy-arn %s%s",
			name, arn.AccountOf(st.Target), st.Target, flag, st.Target, flag))
	}
	return out
}
