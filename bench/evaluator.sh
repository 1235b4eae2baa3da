#!/usr/bin/env bash
# Benchmarks of the access evaluator: evaluations per second on the
# differential test's 630 generated cases, and the time to build and check
# the access matrix of a 5 consumers x 10 prefixes plan. Results go to
# bench/out/evaluator.txt (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go test -run '^$' -bench 'BenchmarkEvaluateDifferentialCases|BenchmarkCheckPlan5x10' -benchmem -count "${COUNT:-3}" \
  ./policy/ ./check/ | tee bench/out/evaluator.txt
