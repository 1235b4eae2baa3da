package export

import (
	"fmt"
	"strings"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/templates"
)

// docIO is how the AWS CLI reads and writes one kind of document. @FILE@ in
// write stands for the document's file:// path.
type docIO struct {
	missing string // the AWS error code that means "no document yet"
	read    []string
	write   []string
}

func (s *script) docIO(st plan.Step, d *plan.Document) (docIO, error) {
	region := regionFlag(s.p.Spec.Region)
	bucket := q(bucketName(d.Target))
	owner := "--expected-bucket-owner " + s.p.Spec.OwnerAccount
	name := q(lastSegment(d.Target))
	switch st.Operation {
	case templates.OpPutBucketPolicy:
		return docIO{
			"NoSuchBucketPolicy",
			[]string{"s3api get-bucket-policy", region, "--bucket", bucket, owner, "--query Policy --output text"},
			[]string{"s3api put-bucket-policy", region, "--bucket", bucket, owner, "--policy @FILE@"},
		}, nil
	case templates.OpCreateRole:
		return docIO{
			"NoSuchEntity",
			[]string{"iam get-role --role-name", name, "--query Role.AssumeRolePolicyDocument --output json"},
			[]string{"iam update-assume-role-policy --role-name", name, "--policy-document @FILE@"},
		}, nil
	case templates.OpPutRolePolicy:
		return docIO{
			"NoSuchEntity",
			[]string{
				"iam get-role-policy --role-name", name, "--policy-name", q(d.Name),
				"--query PolicyDocument --output json",
			},
			[]string{"iam put-role-policy --role-name", name, "--policy-name", q(d.Name), "--policy-document @FILE@"},
		}, nil
	case templates.OpPutUserPolicy:
		return docIO{
			"NoSuchEntity",
			[]string{
				"iam get-user-policy --user-name", name, "--policy-name", q(d.Name),
				"--query PolicyDocument --output json",
			},
			[]string{"iam put-user-policy --user-name", name, "--policy-name", q(d.Name), "--policy-document @FILE@"},
		}, nil
	case templates.OpPutAccessPointPolicy:
		acct := "--account-id " + st.AccountID
		return docIO{
			"NoSuchAccessPointPolicy",
			[]string{"s3control get-access-point-policy", region, acct, "--name", name, "--query Policy --output text"},
			[]string{"s3control put-access-point-policy", region, acct, "--name", name, "--policy @FILE@"},
		}, nil
	case templates.OpPutKeyPolicy:
		key := q(d.Target)
		kr := regionFlag(arnRegion(d.Target))
		return docIO{
			"NotFoundException",
			[]string{"kms get-key-policy", kr, "--key-id", key, "--policy-name default --query Policy --output text"},
			[]string{"kms put-key-policy", kr, "--key-id", key, "--policy-name default --policy @FILE@"},
		}, nil
	default: // no special case
	}
	return docIO{}, fmt.Errorf("step %d: cannot export operation %s", st.ID, st.Operation)
}

func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[3]
}

// policyStep reads the current document, decides, and writes the plan's.
func (s *script) policyStep(st plan.Step, d *plan.Document) error {
	base := docFileName(st, d)
	merged := s.doc(base, d.Policy.Canonical())
	existing := `""`
	if d.Existing != nil {
		existing = s.doc(strings.TrimSuffix(base, ".json")+".existing.json", d.Existing.Canonical())
	}
	write := func(indent string, args []string) {
		cmd := strings.ReplaceAll(s.aws(st, args...), "@FILE@", `"file://$DOCS/`+base+`"`)
		s.line("%s%s >/dev/null", indent, cmd)
		s.line(`%secho "step %d: wrote %s %s"`, indent, st.ID, d.Kind, d.Target)
	}
	if st.Operation == templates.OpCreatePolicy {
		s.managedPolicy(st, d, base, existing, merged)
		return nil
	}
	io, err := s.docIO(st, d)
	if err != nil {
		return err
	}
	switch st.Operation {
	case templates.OpCreateRole:
		s.line("current=$(read_current %s %s)", io.missing, s.aws(st, io.read...))
		s.line(`if [ -z "$current" ]; then`)
		maxSession := orDefault(st.Params["MaxSessionDuration"], "3600")
		s.line("  %s >/dev/null", strings.ReplaceAll(s.aws(st, "iam create-role --role-name", q(lastSegment(d.Target)),
			"--assume-role-policy-document @FILE@", "--max-session-duration", maxSession,
			"--tags Key=created-by,Value=s3grant"), "@FILE@", `"file://$DOCS/`+base+`"`))
		s.line(`  echo "step %d: created role %s"`, st.ID, lastSegment(d.Target))
		s.line("elif should_write %d \"$current\" %s %s; then", st.ID, existing, merged)
		write("  ", io.write)
		s.line("fi")
	default:
		s.line("current=$(read_current %s %s)", io.missing, s.aws(st, io.read...))
		s.line("if should_write %d \"$current\" %s %s; then", st.ID, existing, merged)
		write("  ", io.write)
		s.line("fi")
	}
	return nil
}

// managedPolicy creates the consumer's managed policy, or adds a version
// when it exists (IAM keeps at most five: the script stops rather than
// delete one).
func (s *script) managedPolicy(st plan.Step, d *plan.Document, base, existing, merged string) {
	arn := q(d.Target)
	file := `"file://$DOCS/` + base + `"`
	s.line("version=$(read_current NoSuchEntity %s)",
		s.aws(st, "iam get-policy --policy-arn", arn, "--query Policy.DefaultVersionId --output text"))
	s.line(`if [ -z "$version" ]; then`)
	s.line("  %s >/dev/null", s.aws(st, "iam create-policy --policy-name", q(d.Name), "--policy-document", file,
		"--tags Key=created-by,Value=s3grant"))
	s.line(`  echo "step %d: created managed policy %s: attach it to the roles or users that need access"`,
		st.ID, d.Name)
	s.line("else")
	s.line(`  current=$(%s)`, s.aws(st, "iam get-policy-version --policy-arn", arn, `--version-id "$version"`,
		"--query PolicyVersion.Document --output json"))
	s.line("  if should_write %d \"$current\" %s %s; then", st.ID, existing, merged)
	s.line("    %s >/dev/null",
		s.aws(st, "iam create-policy-version --policy-arn", arn, "--policy-document", file, "--set-as-default"))
	s.line(`    echo "step %d: wrote a new default version of %s"`, st.ID, d.Name)
	s.line("  fi")
	s.line("fi")
}

// bucketACL writes the merged ACL. When the plan did not read the ACL, the
// owner's canonical ID is read now and given FULL_CONTROL first, and the
// ACL found must be the default one (the owner alone).
func (s *script) bucketACL(st plan.Step, d *plan.Document) {
	bucket := q(bucketName(d.Target))
	region := regionFlag(s.p.Spec.Region)
	owner := "--expected-bucket-owner " + s.p.Spec.OwnerAccount
	base := docFileName(st, d)
	path := s.doc(base, toAWSACL(d.ACL, "").indented())
	s.line("# ACL writes fail with AccessControlListNotSupported when Object Ownership is")
	s.line("# BucketOwnerEnforced: this script does not turn ACLs back on (s3grant apply asks first).")
	s.line("current=$(%s)", s.aws(st, "s3api get-bucket-acl", region, "--bucket", bucket, owner, "--output json"))
	merged, existing := path, `""`
	if d.ACL.Owner == "" {
		s.line(`owner=$(jq -r .Owner.ID <<<"$current")`)
		s.line(`jq --arg o "$owner" '.Owner.ID = $o | `+
			`.Grants = [{Grantee: {Type: "CanonicalUser", ID: $o}, Permission: "FULL_CONTROL"}] + .Grants' `+
			`%s >"$WORK/acl.json"`, path)
		s.line(`jq -n --arg o "$owner" '{Owner: {ID: $o}, ` +
			`Grants: [{Grantee: {Type: "CanonicalUser", ID: $o}, Permission: "FULL_CONTROL"}]}' ` +
			`>"$WORK/acl-default.json"`)
		merged, existing = `"$WORK/acl.json"`, `"$WORK/acl-default.json"`
	} else if d.ExistingACL != nil {
		existing = s.doc(strings.TrimSuffix(base, ".json")+".existing.json", toAWSACL(d.ExistingACL, "").indented())
	}
	s.line(`if should_write %d "$current" %s %s %s; then`, st.ID, existing, merged, aclNorm)
	policyFile := `--access-control-policy "file://` + strings.Trim(merged, `"`) + `"`
	s.line("  %s", s.aws(st, "s3api put-bucket-acl", region, "--bucket", bucket, owner, policyFile))
	s.line(`  echo "step %d: wrote the bucket ACL of %s"`, st.ID, bucketName(d.Target))
	s.line("fi")
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
