package cmd

import (
	"encoding/json"
	"fmt"

	"sigs.k8s.io/yaml"

	"github.com/s3grant/s3grant/plan"
)

// refuseNonSpec explains, when --spec names a grants file or a plan file,
// that the wizard (one grant at a time, from a spec's answers) does not
// open it, and which commands do: without it the wizard said only that a
// spec has no field "grants" (or "format_version"). Exit 2.
func (o *wizardOptions) refuseNonSpec() error {
	path := o.spec.file
	if path == "" {
		return nil
	}
	data, err := readSpecData(path)
	if err != nil {
		return badInput(err)
	}
	switch kind, isPlan := planKind(data); { // a grants plan holds grants too: plans first
	case isPlan && kind == plan.SetKind:
		return badInput(fmt.Errorf("spec: %s is a grants plan (written by s3grant plan --spec grants.yaml), "+
			"which the wizard does not open: s3grant check %s previews and proves it, s3grant apply %s applies it, "+
			"s3grant verify %s probes it; s3grant status --spec grants.yaml reports drift", path, path, path, path))
	case isPlan:
		return badInput(fmt.Errorf("spec: %s is a plan file (written by s3grant plan), not a spec: "+
			"s3grant check %s, s3grant apply %s and s3grant verify %s take it; the wizard takes a spec "+
			"(--spec grant.yaml) or asks", path, path, path, path))
	case plan.IsGrantsFile(data):
		return badInput(fmt.Errorf("spec: %s is a grants file; the wizard sets up one grant at a time. "+
			"For a grants file use the commands: s3grant plan --spec %s --out plan.json (preview and check "+
			"every grant), s3grant apply plan.json, s3grant verify plan.json, s3grant status --spec %s; "+
			"or give the wizard one grant's spec (--spec grant.yaml)", path, path, path))
	}
	return nil
}

// planKind reports whether data is a plan file (it has a format_version,
// which no spec has) and its kind ("" for a single grant's plan).
func planKind(data []byte) (string, bool) {
	var top struct {
		FormatVersion *int   `json:"format_version"`
		Kind          string `json:"kind"`
	}
	j, err := yaml.YAMLToJSON(data)
	if err != nil || json.Unmarshal(j, &top) != nil {
		return "", false
	}
	return top.Kind, top.FormatVersion != nil
}
