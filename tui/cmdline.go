package tui

import (
	"strings"

	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// planCommand is the `s3grant plan` command line that produces the same
// plan as the wizard's answers, flags in the order `plan --help` lists them.
func planCommand(s spec.Spec) []string {
	args := []string{"s3grant", "plan"}
	add := func(flag, v string) {
		if v != "" {
			args = append(args, "--"+flag+" "+wizard.ShellQuote(v))
		}
	}
	addAll := func(flag string, vs []string) {
		for _, v := range vs {
			add(flag, v)
		}
	}
	add("method", string(s.Method))
	add("bucket", s.Bucket)
	add("region", s.Region)
	add("owner-account", s.OwnerAccount)
	addAll("consumer-account", s.ConsumerAccounts)
	addAll("consumer-principal", s.ConsumerPrincipals)
	addAll("prefix", s.Prefixes)
	add("access", string(s.Access))
	if s.NoRequireTLS {
		args = append(args, "--no-require-tls")
	}
	add("org-id", s.OrgID)
	add("external-id", s.ExternalID)
	add("role-name", s.RoleName)
	add("access-point", s.AccessPoint)
	add("access-point-owner", s.AccessPointOwner)
	add("kms-key", s.KMSKey)
	addAll("canonical-id", s.CanonicalIDs)
	return args
}

// planCommandText joins the command for display and copying, one flag a
// line with shell continuations.
func planCommandText(s spec.Spec) string {
	args := planCommand(s)
	return args[0] + " " + args[1] + " \\\n  " + strings.Join(args[2:], " \\\n  ")
}
