#!/usr/bin/env bash
# Installs everything s3grant's build and tests need on a fresh machine:
# Go modules, tmux, the AWS CLI v2 (Debian) beside v1, moto's server, and
# the npm test oracle. Safe to re-run. Fails loudly when a part is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v tmux >/dev/null || need_apt+=(tmux)
[ -x /usr/bin/aws ] || need_apt+=(awscli)
command -v shellcheck >/dev/null || need_apt+=(shellcheck)  # lints the script s3grant export writes
command -v jq >/dev/null || need_apt+=(jq)                  # the exported script compares documents with it
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -E"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "setup: downloading Go modules"
go mod download

# The pinned linter scripts/test.sh runs: building it here (go run caches the
# binary) keeps its cold build, a few minutes on two cores, out of the tests.
GOLANGCI_LINT=$(sed -n 's/^GOLANGCI_LINT="\(.*\)"$/\1/p' scripts/test.sh)
[ -n "$GOLANGCI_LINT" ] || { echo "setup: no GOLANGCI_LINT pin in scripts/test.sh" >&2; exit 1; }
echo "setup: building $GOLANGCI_LINT"
go run "$GOLANGCI_LINT" version

if ! command -v moto_server >/dev/null; then
  echo "setup: moto_server not found (pip install 'moto[server]==5.2.1' where PyPI is reachable)" >&2
  exit 1
fi

if [ -f test-tools/package.json ]; then
  echo "setup: installing the test oracle (npm ci in test-tools/)"
  (cd test-tools && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: done"
