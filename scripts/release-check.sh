#!/usr/bin/env bash
# Checks the release configuration and builds a snapshot of every target
# (linux, darwin, windows x amd64, arm64) with the pinned goreleaser, then
# checks the archives: names, checksums, man pages, completions, and that
# the linux/amd64 binary prints the stamped version.
#
# It builds what is COMMITTED, in a temporary clone: goreleaser reads the
# commit, its date and the remote from git, and the work tree stays clean.
#
# Under CI=true it builds two targets, linux/amd64 and windows/amd64 (one
# tar.gz, one zip), from a copy of .goreleaser.yaml narrowed in the clone:
# the cold six-target build is most of .ci/run's time on a two-core machine
# and the other four targets add no new archive format or code path. The
# unchanged configuration still passes `goreleaser check`, and every archive
# built is checked. Outside CI (or with RELEASE_TARGETS=all) all six build.
set -euo pipefail
cd "$(dirname "$0")/.."

GORELEASER="github.com/goreleaser/goreleaser/v2@v2.15.1"
goreleaser() { go run "$GORELEASER" "$@"; }

start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-hardlinks . "$work/repo"
cd "$work/repo"
goreleaser check

targets=(linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64)
if [ "${CI:-}" = true ] && [ "${RELEASE_TARGETS:-}" != all ]; then
  targets=(linux_amd64 windows_amd64)
  sed -i -e 's/^    goos: \[linux, darwin, windows\]$/    goos: [linux, windows]/' \
    -e 's/^    goarch: \[amd64, arm64\]$/    goarch: [amd64]/' .goreleaser.yaml
  if ! grep -qx '    goos: \[linux, windows\]' .goreleaser.yaml || ! grep -qx '    goarch: \[amd64\]' .goreleaser.yaml; then
    echo "release-check: cannot narrow .goreleaser.yaml's targets for CI (its goos/goarch lines changed)" >&2
    exit 1
  fi
  # Left uncommitted: a snapshot builds a dirty tree and stamps HEAD's commit.
  echo "release-check: CI=true, building ${targets[*]} only"
fi
goreleaser release --snapshot --clean --skip=publish
echo "release-check: snapshot built in $(( $(date +%s) - start ))s"

fail() { echo "release-check: $*" >&2; exit 1; }
shopt -s nullglob
for target in "${targets[@]}"; do
  ext=tar.gz
  [[ $target == windows_* ]] && ext=zip
  archive=(dist/s3grant_*_"$target"."$ext")
  [ ${#archive[@]} -eq 1 ] || fail "no $target .$ext archive in dist/: $(ls dist)"
done
archives=(dist/s3grant_*.tar.gz dist/s3grant_*.zip)
[ ${#archives[@]} -eq ${#targets[@]} ] || fail "expected ${#targets[@]} archives, found: $(ls dist)"
sums=(dist/s3grant_*_checksums.txt)
[ ${#sums[@]} -eq 1 ] || fail "no checksums file in dist/"
(cd dist && sha256sum --check --quiet "$(basename "${sums[0]}")") || fail "checksums do not match"

tarball=$(ls dist/s3grant_*_linux_amd64.tar.gz)
listing=$(tar -tzf "$tarball")
for want in s3grant README.md CHANGELOG.md man/s3grant.1 man/s3grant-plan.1 man/s3grant-export.1 \
  completions/s3grant.bash completions/s3grant.zsh completions/s3grant.fish completions/s3grant.ps1; do
  grep -qx "$want" <<<"$listing" || fail "$tarball lacks $want"
done
python3 -m zipfile -l dist/s3grant_*_windows_amd64.zip | grep -q "s3grant.exe" || fail "the windows archive lacks s3grant.exe"

mkdir "$work/bin"
tar -xzf "$tarball" -C "$work/bin" s3grant
version=$(basename "$tarball" | sed -E 's/^s3grant_(.*)_linux_amd64\.tar\.gz$/\1/')
out=$("$work/bin/s3grant" version)
grep -qx "s3grant $version" <<<"$out" || fail "s3grant version printed '$out', want version $version"
grep -qx "commit: $(git rev-parse HEAD)" <<<"$out" || fail "s3grant version printed '$out', want commit $(git rev-parse HEAD)"
grep -q "^built:  20" <<<"$out" || fail "s3grant version printed '$out', want the commit date"
echo "release-check: ok ($(( $(date +%s) - start ))s)"
