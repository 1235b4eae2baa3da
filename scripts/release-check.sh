#!/usr/bin/env bash
# Checks the release configuration and builds a snapshot of every target
# (linux, darwin, windows x amd64, arm64) with the pinned goreleaser, then
# checks the archives: names, checksums, man pages, completions, and that
# the linux/amd64 binary prints the stamped version.
#
# It builds what is COMMITTED, in a temporary clone: goreleaser reads the
# commit, its date and the remote from git, and the work tree stays clean.
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
goreleaser release --snapshot --clean --skip=publish
echo "release-check: snapshot built in $(( $(date +%s) - start ))s"

fail() { echo "release-check: $*" >&2; exit 1; }
shopt -s nullglob
archives=(dist/s3grant_*_linux_amd64.tar.gz dist/s3grant_*_linux_arm64.tar.gz
  dist/s3grant_*_darwin_amd64.tar.gz dist/s3grant_*_darwin_arm64.tar.gz
  dist/s3grant_*_windows_amd64.zip dist/s3grant_*_windows_arm64.zip)
[ ${#archives[@]} -eq 6 ] || fail "expected 6 archives, found: $(ls dist)"
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
