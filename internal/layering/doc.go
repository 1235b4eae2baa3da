// Package layering holds the test that enforces s3grant's import graph
// (CONTRIBUTING.md, "Layout"): every package's allowed s3grant imports are
// stated as a table, and any other import, or a forbidden third-party one
// (the AWS SDK outside aws/, charm outside the terminal packages), fails
// `go test ./internal/layering/`, with or without the linter.
package layering
