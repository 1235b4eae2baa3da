#!/usr/bin/env bash
# Runs every test: vet, the unit and integration suites (moto, the AWS CLI,
# the npm oracle and tmux are started by the tests themselves), and the fuzz
# seed corpora (go test runs them as ordinary tests).
set -euo pipefail
cd "$(dirname "$0")/.."
go vet ./...
go test -count=1 -timeout 40m ./...
# The apply/undo suite again, against s3grant's own policy-enforcing sandbox
# instead of moto. Left out there: the audit suite (CloudTrail is moto-only),
# the tests whose fixtures only moto accepts (unique-ID principals stored
# directly, statuses forged by the fault proxy, moto's allow-everything in
# TestVerifyAgainstMoto, SuggestNames' moto listing). TestFaultInjection runs
# here too: the sandbox answers before net/http is done with a request's body,
# which used to drop the connection under the response (aws/request_body.go).
S3GRANT_TEST_BACKEND=sandbox go test -count=1 -timeout 30m \
  -run 'TestLifecycle|TestConcurrentChange|TestForeignShapesSurvive|TestUndoRefusesChangedDocuments|TestACLDowngrade|TestManagedPolicyVersionsAllPages|TestPropagationRetry|TestThrottlingRetry|TestCancelRollsBack|TestNoRollbackThenUndo|TestAccountsAndCLI|TestFaultInjection' \
  ./aws/ ./internal/testenv/
# The release: goreleaser check and a snapshot build of all six targets, with
# the archives' man pages, completions, checksums and stamped version checked.
bash scripts/release-check.sh
