package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/sandbox"
)

// newSandboxCmd is `s3grant sandbox`: the practice AWS.
func newSandboxCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "A practice AWS on this machine: two accounts that enforce their policies",
		Long: `The sandbox is a small AWS on 127.0.0.1 (S3, S3 Control, IAM, STS, KMS and
CloudTrail, the parts s3grant and everyday consumer commands use) with two demo accounts: the
owner 111122223333 with the bucket analytics-exports (objects under reports/
and exports/, one encrypted with a customer managed key) and the consumer
222233334444 with the role analytics. Requests are signed and every one is
decided by s3grant's policy evaluator, so what you see is what the policies
allow. Nothing real is touched.`,
		Example: `  # start it and follow the printed instructions
  s3grant sandbox serve

  # or run the whole wizard against it
  s3grant --sandbox`,
	}
	cmd.AddCommand(newSandboxServeCmd(app))
	return cmd
}

type sandboxServeOptions struct {
	port        int
	state       string
	profileFile string
}

func newSandboxServeCmd(app *App) *cobra.Command {
	o := &sandboxServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the sandbox and print how to reach it as each account",
		Long: `serve starts the sandbox on 127.0.0.1 and prints its endpoint and, for each
account, the AWS_* variables that act as it (or writes them all to one AWS
config file with --profile-file). It runs until interrupted (ctrl+c). State is
kept in memory unless --state names a file (written with mode 0600).`,
		Example: `  s3grant sandbox serve
  s3grant sandbox serve --port 4566 --state ~/.s3grant-sandbox.json --profile-file ~/.s3grant-sandbox.config
  AWS_CONFIG_FILE=~/.s3grant-sandbox.config aws --profile sandbox-consumer s3 ls s3://analytics-exports/reports/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd, app) },
	}
	fs := cmd.Flags()
	fs.IntVar(&o.port, "port", 0, "the port on 127.0.0.1 (default: a free one)")
	fs.StringVar(&o.state, "state", "", "keep the sandbox's state in this file (mode 0600) across runs")
	fs.StringVar(&o.profileFile, "profile-file", "",
		"write an AWS config file with a profile per account instead of printing variables")
	return cmd
}

func (o *sandboxServeOptions) run(cmd *cobra.Command, app *App) error {
	if o.port < 0 || o.port > 65535 {
		return badInput(fmt.Errorf("port: must be from 1 to 65535 (or 0 for a free one), "+
			"e.g. --port 4566, got %d", o.port))
	}
	// Every request is logged on stderr with its answer, denials with why.
	run, err := startSandbox(sandbox.Options{StatePath: o.state, Log: app.ErrOut}, o.port, o.profileFile)
	if err != nil {
		return err
	}
	defer run.stop()
	run.describe(app.Out, o.profileFile != "")
	ctx, cancel := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	<-ctx.Done()
	fmt.Fprintln(app.ErrOut, "sandbox stopped")
	return nil
}

// sandboxRun is a started sandbox with the files clients need: its CA
// certificate and an AWS config file holding a profile per identity.
type sandboxRun struct {
	srv      *sandbox.Server
	sb       *sandbox.Sandbox
	dir      string // temporary directory to remove; "" when files were asked for
	caFile   string
	config   string
	profiles []sandbox.Profile
}

// startSandbox starts the sandbox and writes its CA and config file (next
// to profileFile when given, in a temporary directory otherwise).
func startSandbox(opts sandbox.Options, port int, profileFile string) (*sandboxRun, error) {
	if opts.StatePath != "" {
		abs, err := filepath.Abs(opts.StatePath)
		if err != nil {
			return nil, badInput(fmt.Errorf("state: %w", err))
		}
		opts.StatePath = abs
	}
	sb, err := sandbox.New(opts)
	if err != nil {
		return nil, err
	}
	srv, err := sb.Start(port)
	if err != nil {
		return nil, err
	}
	r := &sandboxRun{srv: srv, sb: sb, profiles: sb.Profiles(), config: profileFile}
	if profileFile == "" {
		if r.dir, err = os.MkdirTemp("", "s3grant-sandbox-"); err != nil {
			r.stop()
			return nil, err
		}
		r.config = filepath.Join(r.dir, "config")
	}
	r.caFile = r.config + ".ca.pem"
	err = errors.Join(sandbox.WriteFile(r.caFile, sb.CACertPEM()),
		sandbox.WriteFile(r.config, sandbox.ConfigFile(r.profiles, srv.URL(), sandbox.Region, r.caFile)))
	if err != nil {
		r.stop()
		return nil, fmt.Errorf("write the sandbox's profile file: %w", err)
	}
	return r, nil
}

func (r *sandboxRun) stop() {
	_ = r.srv.Close()
	if r.dir != "" {
		_ = os.RemoveAll(r.dir)
	}
}

// describe prints the endpoint and how to act as each identity.
func (r *sandboxRun) describe(w io.Writer, profileFile bool) {
	fmt.Fprintf(w, "s3grant sandbox: a practice AWS on this machine. Nothing real is touched.\n\n")
	fmt.Fprintf(w, "endpoint   %s  (plain HTTP on the same port: %s, where aws:SecureTransport is false)\n",
		r.srv.URL(), r.srv.PlainURL())
	fmt.Fprintf(w, "accounts   owner %s (bucket %s), consumer %s (role %s), partner %s\n\n", sandbox.OwnerAccount,
		sandbox.DemoBucket, sandbox.ConsumerAccount, sandbox.ConsumerRoleName, sandbox.PartnerAccount)
	if profileFile {
		fmt.Fprintf(w, "Profiles written to %s:\n", r.config)
		for _, p := range r.profiles {
			fmt.Fprintf(w, "  %-24s %s\n", p.Name, p.About)
		}
		fmt.Fprintf(w, "  %-24s the consumer role assumed from sandbox-consumer-admin\n\n", "sandbox-consumer-role")
		fmt.Fprintf(w, "Try, as the consumer (denied until a grant is applied):\n"+
			"  export AWS_CONFIG_FILE=%s AWS_CA_BUNDLE=%s\n"+
			"  aws --profile sandbox-consumer --endpoint-url %s s3 ls s3://%s/reports/\n",
			r.config, r.caFile, r.srv.URL(), sandbox.DemoBucket)
		return
	}
	for _, p := range r.profiles {
		fmt.Fprintln(w, sandbox.EnvBlock(p, r.srv.URL(), sandbox.Region, r.caFile))
	}
	fmt.Fprintf(w, "Paste one block into a shell, then try (denied for the consumer until a grant is applied):\n"+
		"  aws --endpoint-url %s s3 ls s3://%s/reports/\n", r.srv.URL(), sandbox.DemoBucket)
	fmt.Fprintf(w, "\nOr use profiles: export AWS_CONFIG_FILE=%s (profiles %s)\n", r.config, profileNames(r.profiles))
}

func profileNames(ps []sandbox.Profile) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// sandboxBanner is the wizard's header on the sandbox.
const sandboxBanner = "SANDBOX · nothing real is touched"

// registerSandboxFlag adds `s3grant --sandbox`: the wizard against a
// sandbox started for the run, with its owner and consumer profiles
// preselected. The sandbox, its files and the run's journals live only as
// long as the wizard.
func registerSandboxFlag(root *cobra.Command, wiz *wizardOptions, app *App) {
	var on bool
	root.Flags().BoolVar(&on, "sandbox", false, "run the wizard against the built-in sandbox: "+
		"a practice AWS on this machine with two demo accounts (nothing real is touched)")
	inner := root.RunE
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if !on {
			return inner(cmd, args)
		}
		run, err := startSandbox(sandbox.Options{}, 0, "")
		if err != nil {
			return err
		}
		defer run.stop()
		wiz.app = run.app(app)
		if wiz.ownerProfile == "" {
			wiz.ownerProfile = "sandbox-owner"
		}
		if wiz.consumerProfile == "" {
			wiz.consumerProfile = "sandbox-consumer-admin"
		}
		wiz.banner = sandboxBanner
		wiz.profileAbout = map[string]string{}
		for _, p := range run.profiles {
			wiz.profileAbout[p.Name] = p.Account + ": " + p.About
		}
		fmt.Fprintf(app.ErrOut, "s3grant sandbox on %s: owner %s (profile %s), consumer %s (profile %s). "+
			"Nothing real is touched.\n",
			run.srv.URL(), sandbox.OwnerAccount, wiz.ownerProfile, sandbox.ConsumerAccount, wiz.consumerProfile)
		err = inner(cmd, args)
		fmt.Fprintln(app.ErrOut, "sandbox stopped: nothing real was touched")
		return err
	}
}

// app is base with the sandbox's endpoint, profiles, CA and region, and
// journals of its own: the process's environment is left as it is, and none
// of the user's own credentials or profiles are read.
func (r *sandboxRun) app(base *App) *App {
	a := *base
	a.AWS = aws.ConnectOptions{EndpointURL: r.srv.URL(), Files: &aws.ConfigFiles{
		Config: r.config, Credentials: filepath.Join(r.dir, "no-credentials"), CABundle: r.caFile,
		Region: sandbox.Region, NoInstanceMetadata: true,
	}}
	a.JournalDir = filepath.Join(r.dir, "home", "runs")
	return &a
}
