#!/usr/bin/env bash
# Benchmarks of the sandbox: GetObject requests per second with SigV4
# verification and policy evaluation (over HTTPS on loopback, and straight
# into the handler), and the heap held with 10,000 objects with the time to
# list 1,000 of them. Results go to bench/out/sandbox.txt (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go test -run '^$' -bench 'BenchmarkGetObject|BenchmarkTenThousandObjects' -benchtime "${BENCHTIME:-3s}" -count "${COUNT:-1}" \
  ./sandbox/ | tee bench/out/sandbox.txt
