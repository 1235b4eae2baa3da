#!/usr/bin/env bash
# Benchmark of s3grant apply against moto: wall time per apply (Prepare +
# Apply), AWS calls per apply, read calls, and the minimum the plan needs
# (one per write). Starts its own moto_server. Output in bench/out/apply.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go test ./aws/ -run '^$' -bench BenchmarkApply -benchtime "${BENCHTIME:-5x}" | tee bench/out/apply.txt
