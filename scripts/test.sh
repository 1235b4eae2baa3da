#!/usr/bin/env bash
# Runs every test: vet, the unit and integration suites (moto, the AWS CLI,
# the npm oracle and tmux are started by the tests themselves), and the fuzz
# seed corpora (go test runs them as ordinary tests).
set -euo pipefail
cd "$(dirname "$0")/.."
go vet ./...
go test -count=1 -timeout 40m ./...
# The apply/undo suite again, against s3grant's own policy-enforcing sandbox
# instead of moto. Not run there: the audit suite (CloudTrail is moto-only),
# TestForeignShapesSurvive and TestVerifyAgainstMoto (their fixtures and
# expectations are moto's: AWS and the sandbox refuse principals and resources
# that do not exist, and deny what moto allows), and TestFaultInjection (with a
# backend as fast as the sandbox, the apply's call count varies between runs
# and an IAM read through the fault proxy fails with "use of closed network
# connection": under investigation in aws/, see the sandbox notes).
S3GRANT_TEST_BACKEND=sandbox go test -count=1 -timeout 30m -run 'TestLifecycle|TestConcurrentChange|TestUndoRefusesChangedDocuments|TestAccountsAndCLI' ./aws/ ./internal/testenv/
# The release: goreleaser check and a snapshot build of all six targets, with
# the archives' man pages, completions, checksums and stamped version checked.
bash scripts/release-check.sh
