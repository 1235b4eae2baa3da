package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/check"
	"github.com/s3grant/s3grant/internal/textout"
	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/policy"
)

// The flags of the Access Analyzer-style checks.
const (
	flagNoNewAccess      = "no-new-access"
	flagAccessNotGranted = "access-not-granted"
	flagNoPublicAccess   = "no-public-access"
)

type analyzerFlags struct {
	noNewAccess      bool
	accessNotGranted []string
	noPublicAccess   bool
}

func (f *analyzerFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.noNewAccess, flagNoNewAccess, false,
		"check that NEW.json allows nothing EXISTING.json does not (two policy files)")
	fl.StringSliceVar(&f.accessNotGranted, flagAccessNotGranted, nil,
		"check that no one may perform these S3 actions (comma-separated, e.g. s3:DeleteObject,s3:PutObjectAcl)")
	fl.BoolVar(&f.noPublicAccess, flagNoPublicAccess, false,
		"check that anonymous callers and accounts no document names get no access")
}

func (f *analyzerFlags) any() bool {
	return f.noNewAccess || len(f.accessNotGranted) > 0 || f.noPublicAccess
}

// runAnalyzer runs the checks the flags ask for and exits 3 when one fails.
func (o *checkOptions) runAnalyzer(args []string) error {
	var results []*check.AnalyzerResult
	if o.noNewAccess {
		if len(args) != 2 || len(o.accessNotGranted) > 0 || o.noPublicAccess {
			return badInput(fmt.Errorf("--%s takes two policy files and no other check: "+
				"s3grant check --%s EXISTING.json NEW.json", flagNoNewAccess, flagNoNewAccess))
		}
		existing, err := readPolicyInput("EXISTING.json", args[0])
		if err != nil {
			return badInput(err)
		}
		updated, err := readPolicyInput("NEW.json", args[1])
		if err != nil {
			return badInput(err)
		}
		results = append(results, check.NoNewAccess(existing, updated))
	} else {
		if len(args) != 1 {
			return badInput(fmt.Errorf("--%s and --%s take one plan or policy file, got %d",
				flagAccessNotGranted, flagNoPublicAccess, len(args)))
		}
		actions, err := validActions(o.accessNotGranted)
		if err != nil {
			return badInput(err)
		}
		target, err := readTarget(args[0])
		if err != nil {
			return badInput(err)
		}
		if len(actions) > 0 {
			results = append(results, check.AccessNotGranted(target, actions))
		}
		if o.noPublicAccess {
			results = append(results, check.NoPublicAccess(target))
		}
	}
	if err := printAnalyzer(o.app.Out, results, o.output); err != nil {
		return err
	}
	var failed []string
	for _, r := range results {
		if !r.Pass {
			failed = append(failed, r.Check)
		}
	}
	if len(failed) > 0 {
		err := fmt.Errorf("check: %s failed (the requests above prove it)", strings.Join(failed, ", "))
		return &ExitError{Code: ExitCheckFail, Err: err}
	}
	return nil
}

// validActions checks --access-not-granted: S3 actions of the catalogue,
// named exactly (no wildcards).
func validActions(in []string) ([]string, error) {
	known := map[string]string{}
	for _, a := range policy.S3Actions() {
		known[strings.ToLower(a.IAMName())] = a.IAMName()
	}
	var out []string
	for _, a := range in {
		name, ok := known[strings.ToLower(strings.TrimSpace(a))]
		if !ok {
			return nil, fmt.Errorf("--%s: %q is not an S3 action of AWS's Service Authorization Reference "+
				"(name each action exactly, no wildcards; example: s3:DeleteObject,s3:PutObjectAcl)",
				flagAccessNotGranted, a)
		}
		out = append(out, name)
	}
	return out, nil
}

// readBounded reads a user's file through userfile.Read: a regular file of
// at most userfile.MaxSize, never a FIFO or a device.
func readBounded(what, path string) ([]byte, error) {
	return userfile.Read(what, path, "policy.json", userfile.MaxSize)
}

func readPolicyInput(what, path string) (*policy.Policy, error) {
	data, err := readBounded(what, path)
	if err != nil {
		return nil, err
	}
	p, err := policy.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s %s: not a policy document: %w "+
			"(example: {\"Version\":\"2012-10-17\",\"Statement\":[...]})", what, path, err)
	}
	if len(p.Statement) == 0 {
		return nil, fmt.Errorf("%s %s: the policy has no statement", what, path)
	}
	return p, nil
}

// readTarget reads a plan (a file with format_version) or a policy.
func readTarget(path string) (check.Target, error) {
	data, err := readBounded("FILE", path)
	if err != nil {
		return check.Target{}, err
	}
	var probe struct {
		FormatVersion *int `json:"format_version"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.FormatVersion != nil {
		var p plan.Plan
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&p); err != nil {
			return check.Target{}, fmt.Errorf("PLAN.json %s: not a plan written by s3grant plan --out: %w", path, err)
		}
		if err := p.Validate(); err != nil {
			return check.Target{}, fmt.Errorf("PLAN.json %s: %w", path, err)
		}
		return check.Target{Name: "plan " + path, Plan: &p}, nil
	}
	pol, err := readPolicyInput("POLICY.json", path)
	if err != nil {
		return check.Target{}, err
	}
	return check.Target{Name: "policy " + path, Policy: pol}, nil
}

func printAnalyzer(w io.Writer, results []*check.AnalyzerResult, format outputFormat) error {
	if format == outputJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(results)
	}
	tw := textout.New(w)
	for _, r := range results {
		tw.Printf("%s\n", r.Summary())
		for i, e := range r.Requests {
			if i == 40 {
				tw.Printf("  ... and %d more (-o json lists every one)\n", len(r.Requests)-i)
				break
			}
			tw.Printf("  %s  %s  %s  (%s, %s)\n", e.Principal, e.Action, e.Resource, e.Who, e.Path)
			tw.Printf("      granted by: %s\n", strings.Join(e.Statements, "; "))
		}
	}
	return tw.Err()
}
