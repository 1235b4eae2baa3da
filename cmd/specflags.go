package cmd

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"

	"github.com/s3grant/s3grant/internal/userfile"
	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// specFlags are the answers as flags, shared by plan and the wizard: one
// flag per spec.Fields entry (its name, help and kind), plus --spec.
type specFlags struct {
	file string
}

func (f *specFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.file, "spec", "",
		"read the answers from a YAML or JSON file (field names are the flag names); flags override it")
	for _, fl := range spec.Fields {
		switch {
		case fl.Bool:
			fs.Bool(fl.Name, false, fl.Usage)
		case fl.List:
			fs.StringArray(fl.Name, nil, fl.Usage)
		default:
			fs.String(fl.Name, "", fl.Usage)
		}
	}
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
	for _, fl := range spec.Fields {
		if !fs.Changed(fl.Name) {
			continue
		}
		vals, err := flagValues(fs, fl)
		if err == nil {
			err = fl.Set(&out, vals)
		}
		if err != nil {
			return out, badInput(err)
		}
	}
	return out, nil
}

// flagValues reads a spec field's flag as the strings spec.Field.Set takes.
func flagValues(fs *pflag.FlagSet, fl spec.Field) ([]string, error) {
	switch {
	case fl.Bool:
		b, err := fs.GetBool(fl.Name)
		return []string{strconv.FormatBool(b)}, err
	case fl.List:
		vals, err := fs.GetStringArray(fl.Name)
		if fl.Commas {
			vals = splitAll(vals)
		}
		return vals, err
	default:
		v, err := fs.GetString(fl.Name)
		return []string{v}, err
	}
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
		return s, fmt.Errorf("spec %s: %w (fields are the flag names, e.g. bucket, owner-account, consumer-account)",
			filepath.Base(path), err)
	}
	return s, nil
}

func readSpecData(path string) ([]byte, error) {
	example := "grant.yaml holding method: bucket-policy, bucket: analytics-exports, ..."
	return userfile.Read("spec", path, example, userfile.MaxSpecSize)
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
		return nil, true, badInput(fmt.Errorf("spec: %s is a grants file: %s cannot be combined with it "+
			"(edit the grant in the file)", filepath.Base(f.file), strings.Join(set, ", ")))
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
