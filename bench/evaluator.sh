#!/usr/bin/env bash
# Benchmarks of the access evaluator (issue 14), results in
# bench/out/evaluator.txt (git-ignored):
# - BenchmarkVersusIAMSimulate: s3grant's evaluator and
#   @cloud-copilot/iam-simulate (scripts/setup.sh installs it) on the same
#   10,000 generated requests in one run: decisions per second parsing each
#   request's documents (x-parse-*: the ratio, target 30x) and with the
#   documents parsed once (s3grant-prepared/s, target 1,000,000), in wall
#   time and in CPU time (*-cpu: fair when other work loads the machine).
# - BenchmarkDecidePrepared and BenchmarkParseAndDecide, -count times, for
#   benchstat ranges; BenchmarkExplainBatch: 10,000 requests through
#   explain --batch; the differential cases and the 5x10 plan check.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
{
  go test -run '^$' -bench 'BenchmarkVersusIAMSimulate' -benchtime 1x -count "${VSCOUNT:-1}" ./policy/
  go test -run '^$' -bench 'BenchmarkDecidePrepared|BenchmarkParseAndDecide|BenchmarkEvaluateDifferentialCases' -benchmem -count "${COUNT:-5}" ./policy/
  go test -run '^$' -bench 'BenchmarkExplainBatch' -benchtime 3x -count "${COUNT:-5}" ./cmd/
  go test -run '^$' -bench 'BenchmarkCheckPlan5x10' -benchmem -count "${COUNT:-5}" ./check/
} 2>&1 | tee bench/out/evaluator.txt
