package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/policy"
)

type explainOptions struct {
	app               *App
	principal         string
	action            string
	resource          string
	resourceAccount   string
	bucket            string
	identityPolicies  []string
	resourcePolicy    string
	accessPointPolicy string
	keyPolicy         string
	kmsKey            string
	bpa               []string
	context           []string
	output            outputFormat
	batch             string
	reasons           bool
	// parsed holds the batch's documents by their text: a batch asks many
	// requests of the same few documents, and parsing them dominated.
	parsed map[string]*policy.Policy
}

func newExplainCmd(app *App) *cobra.Command {
	o := &explainOptions{app: app}
	cmd := &cobra.Command{
		Use:   "explain",
		Short: "Explain why one request is allowed or denied",
		Long: `explain evaluates one request against the documents you give, with AWS's
policy evaluation logic, and prints Allowed, ExplicitlyDenied or
ImplicitlyDenied with the statements (or the missing allow) that decided it.
S3 resources go through S3's rules: an access point ARN needs the identity
policy, the access point policy and the bucket policy (--resource-policy);
--key-policy adds the SSE-KMS key check. A role ARN with sts:AssumeRole takes
--resource-policy as the trust policy; a key ARN takes --key-policy.
Global keys the request implies (aws:PrincipalArn, aws:PrincipalAccount,
aws:SecureTransport=true, s3:ResourceAccount, s3:DataAccessPoint*) are filled
in unless given with --context.

--batch FILE (or - for standard input) answers many requests in one process:
one JSON object a line, {"principal", "action", "resource", "resource_account",
"bucket", "identity_policies": [POLICY...], "resource_policy",
"access_point_policy", "key_policy", "kms_key", "context": {"KEY": ["VALUE"]}}
with the documents inline (principal, action and resource required), each
answered in order by {"decision", "reasons"} or, for a line that is not a
valid request, {"error"}; the exit code is then 2, after every line.`,
		Example: `  # why can't the consumer's role read this object?
  s3grant explain --principal arn:aws:iam::222233334444:role/analytics \
    --action s3:GetObject --resource arn:aws:s3:::analytics-exports/reports/q1.csv \
    --resource-account 111122223333 --identity-policy role-policy.json \
    --resource-policy bucket-policy.json

  # the same over plain HTTP, as JSON
  s3grant explain --principal arn:aws:iam::222233334444:role/analytics \
    --action s3:GetObject --resource arn:aws:s3:::analytics-exports/reports/q1.csv \
    --resource-account 111122223333 --resource-policy bucket-policy.json \
    --context aws:SecureTransport=false -o json

  # decide thousands of requests, decisions only
  s3grant explain --batch requests.jsonl --reasons=false`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.batch != "" {
				return o.startBatch(cmd)
			}
			return o.run()
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.principal, "principal", "",
		"the caller: a role, role session, user or account root ARN, or \"anonymous\"")
	f.StringVar(&o.action, "action", "", "the action, e.g. s3:GetObject")
	f.StringVar(&o.resource, "resource", "", "the resource ARN, e.g. arn:aws:s3:::analytics-exports/reports/q1.csv")
	f.StringVar(&o.resourceAccount, "resource-account", "",
		"the account that owns the resource (the bucket owner for S3 ARNs, which carry no account)")
	f.StringVar(&o.bucket, "bucket", "", "the bucket behind an access point ARN")
	f.StringArrayVar(&o.identityPolicies, "identity-policy", nil,
		"a JSON file with an identity policy of the principal (repeatable)")
	f.StringVar(&o.resourcePolicy, "resource-policy", "",
		"a JSON file with the resource policy: bucket policy, or trust policy for a role")
	f.StringVar(&o.accessPointPolicy, "access-point-policy", "", "a JSON file with the access point policy")
	f.StringVar(&o.keyPolicy, "key-policy", "", "a JSON file with the KMS key policy")
	f.StringVar(&o.kmsKey, "kms-key", "", "the SSE-KMS key ARN of the object (with --key-policy)")
	f.StringSliceVar(&o.bpa, "bpa", nil, "Block Public Access settings on: restrict-public-buckets, ignore-public-acls")
	f.StringArrayVar(&o.context, "context", nil,
		"a condition key and value, KEY=VALUE (repeatable; repeat a key for several values)")
	addOutputFlag(f, &o.output)
	f.StringVar(&o.batch, "batch", "", "answer many requests: a file (or - for standard input) "+
		"with one JSON request a line, answered one JSON line each, in order")
	f.BoolVar(&o.reasons, "reasons", true,
		"with --batch, give the reasons as well as the decisions (--reasons=false: decisions only)")
	return cmd
}

// explainInput is the request and documents, checked and read.
type explainInput struct {
	req      policy.Request
	identity []policy.Doc
	resource *policy.Policy
	ap       *policy.Policy
	key      *policy.Policy
	bpa      policy.BlockPublicAccess
}

func (o *explainOptions) run() error {
	in, err := o.read()
	if err != nil {
		return badInput(err)
	}
	var res policy.Result
	if isS3ARN(o.resource) {
		req, err := o.s3Request(in.req)
		if err != nil {
			return badInput(err)
		}
		res = policy.AuthorizeS3(req, o.s3Setup(in))
	} else {
		res = policy.Evaluate(o.genericInput(in))
	}
	return printResult(o.app.Out, res, o.output)
}

func (o *explainOptions) read() (explainInput, error) {
	var in explainInput
	if err := o.checkRequest(); err != nil {
		return in, err
	}
	ctx, err := parseContext(o.context)
	if err != nil {
		return in, err
	}
	in.req = policy.Request{
		Principal: o.principal, Action: o.action, Resource: o.resource,
		ResourceAccount: o.resourceAccount, Context: ctx,
	}
	if o.principal == "anonymous" {
		in.req.Principal = ""
	}
	for _, f := range o.identityPolicies {
		p, err := readPolicyFlag("identity-policy", f)
		if err != nil {
			return in, err
		}
		doc := policy.Doc{Name: "identity policy " + filepath.Base(f), Kind: policy.KindIdentityPolicy, Policy: p}
		in.identity = append(in.identity, doc)
	}
	for _, d := range []struct {
		flag, file string
		into       **policy.Policy
	}{
		{"resource-policy", o.resourcePolicy, &in.resource},
		{"access-point-policy", o.accessPointPolicy, &in.ap},
		{"key-policy", o.keyPolicy, &in.key},
	} {
		if d.file == "" {
			continue
		}
		if *d.into, err = readPolicyFlag(d.flag, d.file); err != nil {
			return in, err
		}
	}
	in.bpa, err = parseBPA(o.bpa)
	return in, err
}

func (o *explainOptions) checkRequest() error {
	p := o.principal
	switch {
	case p == "":
		return fmt.Errorf("principal: is required, " +
			"e.g. --principal arn:aws:iam::222233334444:role/analytics (or anonymous)")
	case p != "anonymous" && !strings.HasPrefix(p, "arn:") && !policy.IsAccountID(p) &&
		!strings.HasSuffix(p, ".amazonaws.com"):
		return fmt.Errorf("principal: must be an ARN, a 12-digit account ID, a service principal or anonymous, "+
			"e.g. arn:aws:iam::222233334444:role/analytics; got %q", p)
	case !strings.Contains(o.action, ":"):
		return fmt.Errorf("action: must be SERVICE:ACTION, e.g. --action s3:GetObject; got %q", o.action)
	case !strings.HasPrefix(o.resource, "arn:") || len(strings.SplitN(o.resource, ":", 6)) != 6:
		return fmt.Errorf("resource: must be an ARN, "+
			"e.g. --resource arn:aws:s3:::analytics-exports/reports/q1.csv; got %q", o.resource)
	case o.resourceAccount != "" && !policy.IsAccountID(o.resourceAccount):
		return fmt.Errorf("resource-account: must be a 12-digit account ID, e.g. 111122223333; got %q",
			o.resourceAccount)
	}
	if o.resourceAccount == "" {
		o.resourceAccount = strings.SplitN(o.resource, ":", 6)[4]
	}
	if o.resourceAccount == "" {
		return fmt.Errorf("resource-account: is required for %s (S3 bucket and object ARNs carry no account), "+
			"e.g. --resource-account 111122223333", o.resource)
	}
	if o.kmsKey != "" && !strings.HasPrefix(o.kmsKey, "arn:") {
		return fmt.Errorf("kms-key: must be a key ARN, "+
			"e.g. arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab; got %q", o.kmsKey)
	}
	return nil
}

func parseContext(pairs []string) (policy.Context, error) {
	ctx := policy.Context{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("context: must be KEY=VALUE, e.g. --context aws:SecureTransport=false; got %q", kv)
		}
		prev, _ := ctx.Get(k)
		ctx.Set(k, append(prev, v)...)
	}
	return ctx, nil
}

func parseBPA(vals []string) (policy.BlockPublicAccess, error) {
	var b policy.BlockPublicAccess
	for _, v := range vals {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "restrict-public-buckets":
			b.RestrictPublicBuckets = true
		case "ignore-public-acls":
			b.IgnorePublicAcls = true
		case "":
		default:
			return b, fmt.Errorf("bpa: unknown setting %q: use restrict-public-buckets and/or ignore-public-acls, "+
				"e.g. --bpa restrict-public-buckets,ignore-public-acls", v)
		}
	}
	return b, nil
}

// policyFileExample is the valid policy file errors point to.
const policyFileExample = `bucket-policy.json holding {"Version":"2012-10-17","Statement":[...]}`

// readPolicyFlag reads the policy file a flag names: a bounded regular file
// (exit 2 otherwise), parsed as a policy.
func readPolicyFlag(flag, path string) (*policy.Policy, error) {
	data, err := userfile.Read(flag, path, policyFileExample, userfile.MaxPolicySize)
	if err != nil {
		return nil, badInput(err)
	}
	p, err := policy.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return p, nil
}

func printResult(w io.Writer, r policy.Result, format outputFormat) error {
	if r.Reasons == nil {
		r.Reasons = []policy.Reason{}
	}
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	}
	if _, err := fmt.Fprintln(w, r.Decision); err != nil {
		return err
	}
	for _, x := range r.Reasons {
		if _, err := fmt.Fprintf(w, "  - %s\n", x.String()); err != nil {
			return err
		}
	}
	return nil
}
