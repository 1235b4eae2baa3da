package cmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"

	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// specFlags are the answers as flags, shared by plan and the wizard.
type specFlags struct {
	file         string
	method       string
	access       string
	requireTLSNo bool
	s            spec.Spec
}

func (f *specFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.file, "spec", "", "read the answers from a YAML or JSON file (field names are the flag names); flags override it")
	fs.StringVar(&f.method, "method", "", "bucket-policy, iam-role, access-point or acl")
	fs.StringVar(&f.s.Bucket, "bucket", "", "the bucket name, e.g. analytics-exports")
	fs.StringVar(&f.s.Region, "region", "", "the bucket's region, e.g. eu-west-1 (required for access points)")
	fs.StringVar(&f.s.OwnerAccount, "owner-account", "", "the 12-digit ID of the account that owns the bucket")
	fs.StringArrayVar(&f.s.ConsumerAccounts, "consumer-account", nil, "a consumer account ID (repeatable)")
	fs.StringArrayVar(&f.s.ConsumerPrincipals, "consumer-principal", nil, "a role or user ARN in a consumer account (repeatable); default: the whole account")
	fs.StringArrayVar(&f.s.Prefixes, "prefix", nil, "a key prefix ending in / (repeatable); default: the whole bucket")
	fs.StringVar(&f.access, "access", "", "read, write, read-write or list (default read)")
	fs.BoolVar(&f.requireTLSNo, "no-require-tls", false, "do not add the statement that denies plain-HTTP requests")
	fs.StringVar(&f.s.OrgID, "org-id", "", "require the consumer to be in this AWS Organization, e.g. o-a1b2c3d4e5")
	fs.StringVar(&f.s.ExternalID, "external-id", "", "iam-role: the sts:ExternalId the consumer must pass")
	fs.StringVar(&f.s.RoleName, "role-name", "", "iam-role: the role to create in the owner account (default s3grant-BUCKET)")
	fs.StringVar(&f.s.AccessPoint, "access-point", "", "access-point: the access point name (default s3grant-CONSUMER)")
	fs.StringVar(&f.s.AccessPointOwner, "access-point-owner", "", "access-point: owner (in the bucket's account) or consumer (cross-account)")
	fs.StringVar(&f.s.KMSKey, "kms-key", "", "the ARN of the customer managed key the bucket's objects are encrypted with")
	fs.StringArrayVar(&f.s.CanonicalIDs, "canonical-id", nil, "acl: a consumer's canonical user ID (repeatable)")
}

// resolve merges the spec file (if any) with the flags that were set.
func (f *specFlags) resolve(cmd *cobra.Command) (spec.Spec, error) {
	var out spec.Spec
	if f.file != "" {
		var err error
		if out, err = readSpecFile(f.file); err != nil {
			return out, badInput(err)
		}
	}
	fs := cmd.Flags()
	set := func(name string, apply func()) {
		if fs.Changed(name) {
			apply()
		}
	}
	set("method", func() { out.Method = spec.Method(f.method) })
	set("bucket", func() { out.Bucket = f.s.Bucket })
	set("region", func() { out.Region = f.s.Region })
	set("owner-account", func() { out.OwnerAccount = f.s.OwnerAccount })
	set("consumer-account", func() { out.ConsumerAccounts = splitAll(f.s.ConsumerAccounts) })
	set("consumer-principal", func() { out.ConsumerPrincipals = splitAll(f.s.ConsumerPrincipals) })
	set("prefix", func() { out.Prefixes = f.s.Prefixes })
	set("access", func() { out.Access = spec.Access(f.access) })
	set("no-require-tls", func() { out.NoRequireTLS = f.requireTLSNo })
	set("org-id", func() { out.OrgID = f.s.OrgID })
	set("external-id", func() { out.ExternalID = f.s.ExternalID })
	set("role-name", func() { out.RoleName = f.s.RoleName })
	set("access-point", func() { out.AccessPoint = f.s.AccessPoint })
	set("access-point-owner", func() { out.AccessPointOwner = f.s.AccessPointOwner })
	set("kms-key", func() { out.KMSKey = f.s.KMSKey })
	set("canonical-id", func() { out.CanonicalIDs = splitAll(f.s.CanonicalIDs) })
	return out, nil
}

// splitAll lets list flags take comma-separated values too
// (--consumer-account 1,2); ARNs and IDs never contain commas.
func splitAll(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// readSpecFile reads a YAML or JSON spec, rejecting unknown fields so a typo
// is not silently ignored.
func readSpecFile(path string) (spec.Spec, error) {
	var s spec.Spec
	data, err := readSpecData(path)
	if err != nil {
		return s, err
	}
	if err := yaml.UnmarshalStrict(data, &s); err != nil {
		return s, fmt.Errorf("spec %s: %w (fields are the flag names, e.g. bucket, owner-account, consumer-account)", filepath.Base(path), err)
	}
	return s, nil
}

func readSpecData(path string) ([]byte, error) {
	return userfile.Read("spec", path, "grant.yaml holding method: bucket-policy, bucket: analytics-exports, ...", userfile.MaxSpecSize)
}

// grants reads --spec as a grants file (a list of grants under grants:),
// when it is one: ok is false for a single spec. A grants file is bounded
// like a spec file and every grant is validated, errors naming grants[i]
// and the field; the answer flags cannot be combined with it (which grant
// would they change?).
func (f *specFlags) grants(cmd *cobra.Command) (specs []spec.Spec, ok bool, err error) {
	if f.file == "" {
		return nil, false, nil
	}
	data, err := readSpecData(f.file)
	if err != nil {
		return nil, false, badInput(err)
	}
	if !plan.IsGrantsFile(data) {
		return nil, false, nil
	}
	var set []string
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if fl.Name != "spec" && cmd.Flags().Lookup(fl.Name) != nil && isSpecFlag(fl.Name) {
			set = append(set, "--"+fl.Name)
		}
	})
	if len(set) > 0 {
		return nil, true, badInput(fmt.Errorf("spec: %s is a grants file: %s cannot be combined with it (edit the grant in the file)", filepath.Base(f.file), strings.Join(set, ", ")))
	}
	specs, err = plan.ParseGrants(data)
	if err != nil {
		return nil, true, badInput(fmt.Errorf("spec %s: %w", filepath.Base(f.file), err))
	}
	return specs, true, nil
}

func isSpecFlag(name string) bool {
	fs := pflag.NewFlagSet("", pflag.ContinueOnError)
	(&specFlags{}).register(fs)
	return fs.Lookup(name) != nil
}
