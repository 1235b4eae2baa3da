// Command s3grant sets up cross-account access to an Amazon S3 bucket safely.
package main

import (
	"os"

	"github.com/s3grant/s3grant/cmd"
)

// Set by the release build through -ldflags "-X main.version=...".
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	os.Exit(cmd.Execute(cmd.BuildInfo{Version: version, Commit: commit, Date: date}))
}
