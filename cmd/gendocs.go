package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newGenDocsCmd is the hidden command the release build runs to put man
// pages and shell completions, generated from this command tree, into the
// archives.
func newGenDocsCmd(app *App) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:     "gen-docs --dir DIR",
		Short:   "Write the man pages and shell completions (used by the release build)",
		Example: "  s3grant gen-docs --dir dist/docs   # writes dist/docs/man/*.1 and dist/docs/completions/*",
		Hidden:  true,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return genDocs(cmd.Root(), dir, app.Build)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "the directory to write man/ and completions/ into (required)")
	_ = cmd.MarkFlagRequired("dir")
	return cmd
}

// genDocs writes DIR/man/s3grant*.1 and DIR/completions/s3grant.{bash,zsh,fish,ps1}.
func genDocs(root *cobra.Command, dir string, build BuildInfo) error {
	manDir, compDir := filepath.Join(dir, "man"), filepath.Join(dir, "completions")
	for _, d := range []string{manDir, compDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("gen-docs: %w", err)
		}
	}
	root.DisableAutoGenTag = true // keeps the pages the same from one build to the next
	header := &doc.GenManHeader{Title: "S3GRANT", Section: "1", Source: "s3grant " + build.Version, Manual: "s3grant manual"}
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

// documentBuiltins adds cobra's help and completion commands now (cobra
// would add them when the command runs) so they carry examples like every
// other command, in --help and in the man pages.
func documentBuiltins(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	examples := map[string]string{
		"help":       "  s3grant help plan",
		"completion": "  # bash, for this shell only\n  source <(s3grant completion bash)",
		"bash":       "  source <(s3grant completion bash)                          # this shell\n  s3grant completion bash > /etc/bash_completion.d/s3grant  # every shell",
		"zsh":        "  s3grant completion zsh > \"${fpath[1]}/_s3grant\"",
		"fish":       "  s3grant completion fish > ~/.config/fish/completions/s3grant.fish",
		"powershell": "  s3grant completion powershell | Out-String | Invoke-Expression",
	}
	for _, c := range root.Commands() {
		if c.Name() != "help" && c.Name() != "completion" {
			continue
		}
		if c.Example == "" {
			c.Example = examples[c.Name()]
		}
		for _, sub := range c.Commands() {
			if sub.Example == "" {
				sub.Example = examples[sub.Name()]
			}
		}
	}
}
