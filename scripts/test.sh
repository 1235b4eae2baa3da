#!/usr/bin/env bash
# Runs every test: formatting, go.mod tidiness, vet, the linter, the unit and
# integration suites (moto, the AWS CLI, the npm oracle and tmux are started
# by the tests themselves), and the fuzz seed corpora (go test runs them as
# ordinary tests). The import layering is a test too (internal/layering).
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned; scripts/setup.sh builds it once (go run caches the binary).
GOLANGCI_LINT="github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0"

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "test: gofmt -l lists files to format:" >&2
  echo "$unformatted" >&2
  exit 1
fi
ignored_but_tracked=$(git ls-files -ci --exclude-standard)
if [ -n "$ignored_but_tracked" ]; then
  echo "test: .gitignore matches tracked files:" >&2
  echo "$ignored_but_tracked" >&2
  exit 1
fi
go mod tidy -diff
go vet ./...
go run "$GOLANGCI_LINT" run ./...
go test -count=1 -timeout 40m ./...
# The tests marked testenv.SandboxToo(t) again, against s3grant's own
# policy-enforcing sandbox instead of moto. The packages and the -run list
# come from the marker (a renamed test keeps its second run, and tests
# without it are not run a second time: the moto pass ran them). A marked
# test that skips, pins moto, or never starts the harness fails there.
mapfile -t sandbox_pkgs < <(grep -rlE --include='*_test.go' '(^|[^A-Za-z])SandboxToo\(t\)' . |
  xargs -n1 dirname | sort -u)
[ ${#sandbox_pkgs[@]} -gt 0 ] || { echo "test: no test is marked testenv.SandboxToo" >&2; exit 1; }
sandbox_tests=$(awk '/^func Test[A-Za-z0-9_]*\(/ { name = $2; sub(/\(.*/, "", name) }
  /(^|[^A-Za-z])SandboxToo\(t\)/ && name != "" { print name; name = "" }' \
  $(grep -rlE --include='*_test.go' '(^|[^A-Za-z])SandboxToo\(t\)' .) | sort -u | paste -sd'|')
echo "test: sandbox pass: ${sandbox_tests//|/ }"
S3GRANT_TEST_BACKEND=sandbox go test -count=1 -timeout 30m -run "^(${sandbox_tests})\$" "${sandbox_pkgs[@]}"
# The release: goreleaser check and a snapshot build (all six targets; two
# under CI=true), with the archives' man pages, completions, checksums and
# stamped version checked.
bash scripts/release-check.sh
