package cmd

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// BuildInfo is what the release build stamps into the binary.
type BuildInfo struct {
	Version string
	Commit  string
	Date    string
}

// resolved fills what the linker did not set from the module's build info
// (go install), so `s3grant version` never prints blanks.
func (b BuildInfo) resolved() BuildInfo {
	info, ok := debug.ReadBuildInfo()
	if b.Version == "" {
		b.Version = "dev"
		if ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
	}
	if ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.time" && b.Date == "":
				b.Date = s.Value
			}
		}
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

func newVersionCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and build date",
		Example: "  s3grant version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "s3grant %s\ncommit: %s\nbuilt:  %s\n",
				app.Build.Version, app.Build.Commit, app.Build.Date)
			return nil
		},
	}
}
