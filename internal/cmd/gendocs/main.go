// Command gendocs writes s3grant's man pages and shell completions from its
// command tree for the release archives (.goreleaser.yaml's before hooks,
// scripts/release-check.sh). It is a separate program so that cobra's doc
// generator and the markdown packages behind it stay out of the s3grant
// binary and its start-up.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/s3grant/s3grant/cmd"
)

// Set by the release build through -ldflags, as for s3grant itself.
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	dir := flag.String("dir", "", "the directory to write man/ and completions/ into (required)")
	flag.Parse()
	if *dir == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/cmd/gendocs --dir build/docs"+
			"   # writes build/docs/man/*.1 and build/docs/completions/*")
		os.Exit(2)
	}
	build := cmd.BuildInfo{Version: version, Commit: commit, Date: date}
	root := cmd.NewRootCmd(&cmd.App{Build: build, In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr})
	if err := genDocs(root, *dir, build); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// genDocs writes DIR/man/s3grant*.1 and DIR/completions/s3grant.{bash,zsh,fish,ps1}.
func genDocs(root *cobra.Command, dir string, build cmd.BuildInfo) error {
	manDir, compDir := filepath.Join(dir, "man"), filepath.Join(dir, "completions")
	for _, d := range []string{manDir, compDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("gen-docs: %w", err)
		}
	}
	root.DisableAutoGenTag = true // keeps the pages the same from one build to the next
	header := &doc.GenManHeader{
		Title: "S3GRANT", Section: "1", Source: "s3grant " + build.Version, Manual: "s3grant manual",
	}
	// The build date, not today's, so a rebuild of a release makes the same pages.
	if t, err := time.Parse(time.RFC3339, build.Date); err == nil {
		header.Date = &t
	} else {
		epoch := time.Unix(0, 0).UTC()
		header.Date = &epoch
	}
	if err := doc.GenManTree(root, header, manDir); err != nil {
		return fmt.Errorf("gen-docs: man pages: %w", err)
	}
	completions := map[string]func(*os.File) error{
		"s3grant.bash": func(f *os.File) error { return root.GenBashCompletionV2(f, true) },
		"s3grant.zsh":  func(f *os.File) error { return root.GenZshCompletion(f) },
		"s3grant.fish": func(f *os.File) error { return root.GenFishCompletion(f, true) },
		"s3grant.ps1":  func(f *os.File) error { return root.GenPowerShellCompletionWithDesc(f) },
	}
	for name, gen := range completions {
		if err := writeWith(filepath.Join(compDir, name), gen); err != nil {
			return fmt.Errorf("gen-docs: completion %s: %w", name, err)
		}
	}
	return nil
}

func writeWith(path string, gen func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := gen(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
