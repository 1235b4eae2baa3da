#!/usr/bin/env bash
# Benchmark of `s3grant audit --all-buckets` over 500 buckets of the sandbox
# (a third in another region, every fifth shared with another account): the
# reads, each bucket's audit and the summary, at --parallel 8 (the default)
# and 32. Target (issue 15): under 10 s a run. Results go to
# bench/out/audit-all.txt (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go test -run '^$' -bench 'BenchmarkAuditAllBuckets' -benchtime "${BENCHTIME:-3x}" -count "${COUNT:-1}" \
  ./aws/ | tee bench/out/audit-all.txt
