package wizard

import (
	"regexp"
	"strings"
	"sync"

	"github.com/s3grant/s3grant/spec"
)

// ConsumerInstructions says what the consumer uses and shows the commands
// to try, for the method of the plan.
func ConsumerInstructions(s spec.Spec, apAlias string) string {
	prefix := ""
	if len(s.Prefixes) > 0 {
		prefix = s.Prefixes[0]
	}
	target := "s3://" + s.Bucket + "/" + prefix
	var lines []string
	switch s.Method {
	case spec.MethodIAMRole:
		role := s.RoleARN()
		assume := "aws sts assume-role --role-session-name s3grant \\\n      --role-arn " + role
		if s.ExternalID != "" {
			assume += " \\\n      --external-id " + ShellQuote(s.ExternalID)
		}
		lines = append(lines, "Role to assume: "+role)
		if s.ExternalID != "" {
			lines = append(lines, "ExternalId: "+s.ExternalID)
		}
		lines = append(lines, "  "+assume, "  (then use the returned credentials)")
	case spec.MethodAccessPoint:
		acct := s.OwnerAccount
		if s.APOwnerIsConsumer() {
			acct = s.ConsumerAccounts[0]
		}
		apARN := s.AccessPointARN(acct)
		lines = append(lines, "Access point ARN: "+apARN)
		target = "s3://" + apARN + "/" + prefix
		if apAlias != "" {
			lines = append(lines, "Access point alias: "+apAlias)
			target = "s3://" + apAlias + "/" + prefix
		}
	default: // no special case
	}
	if s.Access.Lists() {
		lines = append(lines, "  aws s3 ls "+target)
	}
	if s.Access.Reads() {
		lines = append(lines, "  aws s3 cp "+target+"FILE .")
	}
	if s.Access.Writes() {
		lines = append(lines, "  aws s3 cp FILE "+target)
	}
	return strings.Join(lines, "\n")
}

var shellSafe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9@%_+=:,./-]+$`) })

// ShellQuote quotes a value for POSIX shells when it needs it.
func ShellQuote(v string) string {
	if shellSafe().MatchString(v) {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
