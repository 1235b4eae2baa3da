// Package cmd is s3grant's command tree: one file per command. Commands parse
// flags, call the domain packages and print; they hold no policy logic.
// Whatever a command reaches outside the process (the streams, AWS accounts,
// the journal, the AWS profiles) comes from the App in its options (app.go),
// as in gh: Execute fills it from the process, --sandbox with the sandbox's.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK        = 0
	ExitFailure   = 1
	ExitBadInput  = 2
	ExitCheckFail = 3
	ExitFindings  = 4
	ExitDrift     = 5
	ExitInterrupt = 130
)

// ExitError carries an exit code with the message printed on stderr.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// badInput marks err as invalid input (exit 2).
func badInput(err error) error { return &ExitError{Code: ExitBadInput, Err: err} }

// NewRootCmd builds the command tree.
func NewRootCmd(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "s3grant",
		Short: "Set up cross-account access to an S3 bucket, safely",
		Long: `s3grant sets up access from one AWS account (the consumer) to an S3 bucket in
another (the owner): with a bucket policy, an IAM role to assume, an S3 access
point, or (legacy) ACLs. It shows every document for both accounts merged with
what already exists, proves what the result allows and denies, applies it in
the right order with a journal, and can undo it.`,
		Example: `  # preview a read-only grant without touching AWS
  s3grant plan --method bucket-policy --bucket analytics-exports \
    --owner-account 111122223333 --consumer-account 222233334444 --prefix reports/`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	wiz := &wizardOptions{app: app}
	wiz.register(root)
	root.RunE = func(cmd *cobra.Command, _ []string) error { return wiz.run(cmd) }
	// s3grant --version prints what `s3grant version` does.
	root.Version = app.Build.Version
	root.SetVersionTemplate(fmt.Sprintf("s3grant {{.Version}}\ncommit: %s\nbuilt:  %s\n",
		app.Build.Commit, app.Build.Date))
	registerSandboxFlag(root, wiz, app)
	root.SetIn(app.In)
	root.SetOut(app.Out)
	root.SetErr(app.ErrOut)
	root.AddCommand(
		newPlanCmd(app),
		newCheckCmd(app),
		newExplainCmd(app),
		newVersionCmd(app),
		newAuditCmd(app),
		newExportCmd(app),
		newApplyCmd(app),
		newStatusCmd(app),
		newUndoCmd(app),
		newRunsCmd(app),
		newVerifyCmd(app),
		newSandboxCmd(app),
		newLearnCmd(app),
	)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput(err) })
	documentBuiltins(root)
	return root
}

// Execute runs the command line and returns the process exit code.
func Execute(build BuildInfo) int {
	app := &App{Build: build.resolved(), In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	return run(context.Background(), app, os.Args[1:])
}

func run(ctx context.Context, app *App, args []string) int {
	root := NewRootCmd(app)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(app.ErrOut, "error:", err)
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	if isUsageError(err) {
		return ExitBadInput
	}
	return ExitFailure
}

// documentBuiltins adds cobra's help and completion commands now (cobra
// would add them when the command runs) so they carry examples like every
// other command, in --help and in the man pages.
func documentBuiltins(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	bashExample := "  source <(s3grant completion bash)                          # this shell\n" +
		"  s3grant completion bash > /etc/bash_completion.d/s3grant  # every shell"
	examples := map[string]string{
		"help":       "  s3grant help plan",
		"completion": "  # bash, for this shell only\n  source <(s3grant completion bash)",
		"bash":       bashExample,
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
