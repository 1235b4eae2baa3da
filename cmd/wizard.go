package cmd

import (
	"errors"
	"io"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/tui"
)

// wizardOptions are the root command's flags: `s3grant` with no subcommand
// opens the wizard, pre-filled from them.
type wizardOptions struct {
	app             *App
	spec            specFlags
	ownerProfile    string
	consumerProfile string
	accessible      bool
	banner          string // shown in the wizard's header (--sandbox)
	// profileAbout says what each profile is (the sandbox's five), shown
	// next to its name where the wizard asks for profiles.
	profileAbout map[string]string
}

func (o *wizardOptions) register(cmd *cobra.Command) {
	cmd.Long += `

With no command, s3grant opens the wizard: it asks the same questions as
plan one screen at a time (flags pre-fill the answers), previews every
document with the access check, and applies and verifies when connected with
two AWS profiles. --accessible (or ACCESSIBLE=1, or no terminal) asks line by
line instead.`
	cmd.Example += `

  # the wizard, connected to both accounts
  s3grant --owner-profile prod-data --consumer-profile analytics`
	fs := cmd.Flags()
	o.spec.register(fs)
	fs.StringVar(&o.ownerProfile, "owner-profile", "", "the AWS profile of the bucket owner's account")
	fs.StringVar(&o.consumerProfile, "consumer-profile", "", "the AWS profile of the consumer's account")
	fs.BoolVar(&o.accessible, "accessible", false,
		"ask the questions line by line without the full-screen UI (also ACCESSIBLE=1)")
}

func (o *wizardOptions) run(cmd *cobra.Command) error {
	if err := o.refuseNonSpec(); err != nil {
		return err
	}
	s, err := o.spec.resolve(cmd)
	if err != nil {
		return err
	}
	out := o.app.Out
	opts := tui.Options{
		Spec: s, OwnerProfile: o.ownerProfile, ConsumerProfile: o.consumerProfile,
		Profiles:  o.app.profiles(),
		Connector: awsConnector{app: o.app},
		Checker:   planChecker{},
		Saver:     planFileSaver{},
		Clipboard: tui.TerminalClipboard{Out: out},
		Renderer:  rendererFor(out),
		Banner:    o.banner,
		// --sandbox: the sandbox, its accounts and its journal end with
		// the wizard.
		Ephemeral:    o.banner != "",
		ProfileAbout: o.profileAbout,
		EndpointURL:  o.app.AWS.EndpointURL,
	}
	// A stop signal cancels ctx: the flow stops as ctrl+c stops it (an
	// apply finishes its call in flight and rolls back) instead of the
	// process dying mid-write, in both the full-screen and the plain flow.
	ctx, bySignal, stop := withStopSignals(cmd.Context())
	defer stop()
	if o.accessible || os.Getenv("ACCESSIBLE") != "" || !isTerminal(o.app.In) {
		err = tui.RunAccessible(ctx, opts, o.app.In, out)
	} else {
		err = tui.Run(ctx, opts, o.app.In, out)
	}
	if errors.Is(err, tui.ErrInterrupted) {
		err = &ExitError{Code: ExitInterrupt, Err: errors.New("interrupted")}
	}
	return bySignal(err)
}

// rendererFor is the renderer for out. On the process's standard output it
// is Lip Gloss's default renderer, whose terminal background Bubble Tea's
// package init already asked for: a new renderer would ask the terminal
// again, one more round trip before the first frame.
func rendererFor(out io.Writer) *lipgloss.Renderer {
	if out == os.Stdout {
		return lipgloss.DefaultRenderer()
	}
	return lipgloss.NewRenderer(out)
}

// isTerminal reports whether r is a terminal; without one the wizard asks
// line by line.
func isTerminal(r any) bool {
	f, ok := r.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(f.Fd())
}

// planFileSaver saves the plan exactly as `s3grant plan --out` does.
type planFileSaver struct{}

func (planFileSaver) SavePlan(path string, p *plan.Plan) error { return writePlanFile(path, p) }
