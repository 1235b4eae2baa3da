package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/s3grant/s3grant"

// core is the pure core: no AWS SDK, no charm, no terminal, no adapter.
var core = []string{
	"arn", "policy", "spec", "templates", "journal", "internal/textout", "lesson",
	"internal/userfile", "plan", "check", "audit", "wizard",
}

// allowed states, for every package (relative to the module), the s3grant
// packages its non-test code may import. Imports point down: main -> cmd ->
// tui -> export, aws, sandbox -> the pure core; inside the core wizard ->
// check, audit -> plan -> journal -> templates -> spec -> policy -> arn.
// A package missing here fails the test: add it with its place in the graph.
var allowed = map[string][]string{
	".":                 {"cmd"},
	"cmd":               with(core, "tui", "export", "aws", "sandbox"),
	"tui":               with(core, "export"), // aws and sandbox only through interfaces cmd fills
	"export":            core,
	"aws":               core,
	"sandbox":           core,
	"wizard":            without(core, "wizard"),
	"check":             {"arn", "policy", "spec", "templates", "journal", "internal/textout", "plan"},
	"audit":             {"arn", "policy", "spec", "templates", "journal", "internal/textout", "plan"},
	"plan":              {"arn", "policy", "spec", "templates", "journal", "internal/textout", "internal/userfile"},
	"journal":           {"arn", "policy", "spec", "templates", "internal/textout"},
	"lesson":            {"arn", "policy", "spec", "plan", "templates", "journal", "internal/textout"},
	"templates":         {"arn", "policy", "spec"},
	"spec":              {"arn", "policy"},
	"policy":            {"arn"},
	"arn":               nil,
	"internal/textout":  nil,
	"internal/userfile": nil,
	"internal/testenv":  with(core, "sandbox"),
	"internal/golden":   nil,
	"internal/oracle":   nil,
	"internal/layering": nil,
	"bench/minimalhuh":  nil,
	"bench/hello":       nil,
	// the man page and completion writer the release build runs
	"internal/cmd/gendocs": {"cmd"},
}

// testHelpers may be imported by tests only, never by the code they test.
var testHelpers = []string{"internal/testenv", "internal/golden", "internal/oracle"}

// testExtra lists what a package's tests may import beyond its own allowed
// list and the test helpers.
var testExtra = map[string][]string{
	"export": {"aws"}, // the exported scripts run against moto, checked through aws
}

// thirdParty says which packages may import a third-party prefix; any other
// package importing it fails.
var thirdParty = []struct {
	prefix, why string
	only        []string
}{
	{"github.com/aws/", "only aws/ imports the AWS SDK", []string{"aws"}},
	{"github.com/charmbracelet/", "charm belongs to the terminal", []string{"tui", "cmd", "bench/minimalhuh"}},
	{"github.com/alecthomas/chroma", "highlighting belongs to the terminal", []string{"tui", "cmd"}},
	{"github.com/atotto/clipboard", "the clipboard belongs to the terminal", []string{"tui", "cmd"}},
	{"github.com/aymanbagabas/go-osc52", "the clipboard belongs to the terminal", []string{"tui", "cmd"}},
	{"github.com/muesli/", "the terminal belongs to tui/", []string{"tui", "cmd"}},
	{"github.com/spf13/", "flags and commands belong to cmd/", []string{"cmd", "internal/cmd/gendocs"}},
}

func with(base []string, more ...string) []string { return append(slices.Clone(base), more...) }

func without(base []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(base), func(s string) bool { return s == drop })
}

type pkg struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func TestImportsPointDown(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; is the test running inside the module?", len(pkgs))
	}
	for _, p := range pkgs {
		for _, problem := range check(p) {
			t.Error(problem)
		}
	}
}

// TestCheckCatchesWrongImports proves the checker fails on the imports the
// layering forbids, so TestImportsPointDown cannot pass vacuously.
func TestCheckCatchesWrongImports(t *testing.T) {
	bad := []pkg{
		{ImportPath: module + "/spec", Imports: []string{module + "/plan"}},
		{ImportPath: module + "/policy", Imports: []string{"github.com/aws/aws-sdk-go-v2/aws"}},
		{ImportPath: module + "/plan", Imports: []string{"github.com/charmbracelet/lipgloss"}},
		{ImportPath: module + "/tui", Imports: []string{module + "/aws"}},
		{ImportPath: module + "/tui", Imports: []string{module + "/sandbox"}},
		{ImportPath: module + "/sandbox", Imports: []string{"github.com/aws/smithy-go"}},
		{ImportPath: module + "/export", Imports: []string{module + "/cmd"}},
		{ImportPath: module + "/aws", Imports: []string{module + "/internal/testenv"}},
		{ImportPath: module + "/plan", TestImports: []string{module + "/cmd"}},
		{ImportPath: module + "/newpkg"},
	}
	for _, p := range bad {
		if len(check(p)) == 0 {
			t.Errorf("check(%+v) found nothing wrong", p)
		}
	}
	good := pkg{
		ImportPath: module + "/plan", Imports: []string{module + "/spec", "fmt", "github.com/aymanbagabas/go-udiff"},
		TestImports: []string{module + "/internal/golden"},
	}
	if problems := check(good); len(problems) != 0 {
		t.Errorf("check(%+v) = %v, want nothing", good, problems)
	}
}

// check returns one message per import of p the layering forbids.
func check(p pkg) []string {
	rel, ok := relative(p.ImportPath)
	if !ok {
		return []string{fmt.Sprintf("%s is outside module %s", p.ImportPath, module)}
	}
	own, known := allowed[rel]
	if !known {
		return []string{fmt.Sprintf("package %q is not in internal/layering's table: add it with the s3grant "+
			"packages it may import (CONTRIBUTING.md, Layout)", rel)}
	}
	var problems []string
	forTests := with(with(own, testHelpers...), testExtra[rel]...)
	forTests = append(forTests, rel)
	problems = append(problems, checkList(rel, "imports", p.Imports, own)...)
	problems = append(problems, checkList(rel, "tests import", p.TestImports, forTests)...)
	problems = append(problems, checkList(rel, "external tests import", p.XTestImports, forTests)...)
	return problems
}

func checkList(rel, verb string, imports, mayImport []string) []string {
	var problems []string
	for _, imp := range imports {
		if target, internal := relative(imp); internal {
			if !slices.Contains(mayImport, target) {
				problems = append(problems, fmt.Sprintf("%s %s %s: not in its allowed list %v "+
					"(imports point down; internal/layering/layering_test.go)", rel, verb, target, mayImport))
			}
			continue
		}
		for _, rule := range thirdParty {
			if strings.HasPrefix(imp, rule.prefix) && !slices.Contains(rule.only, rel) {
				problems = append(problems, fmt.Sprintf("%s %s %s: %s", rel, verb, imp, rule.why))
			}
		}
	}
	return problems
}

// relative returns an s3grant import path relative to the module ("." for
// the module root) and whether it is one of ours.
func relative(importPath string) (string, bool) {
	if importPath == module {
		return ".", true
	}
	rel, ok := strings.CutPrefix(importPath, module+"/")
	return rel, ok
}

// listPackages runs `go list -json ./...` from the module root.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,TestImports,XTestImports", "./...")
	cmd.Dir = strings.TrimSpace(string(root))
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
}
