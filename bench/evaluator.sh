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
#   ranges (decisions/cpu-s: CPU time, fair on a loaded machine);
#   BenchmarkExplainBatch: 10,000 requests through explain --batch; the
#   differential cases, the 5x10 plan check, and the proof of every example
#   plan (BenchmarkProve, cpu-ms/op).
# With BASE=REV (a commit), the same benchmarks run on that revision too (a
# `git archive` copy in a temporary directory) and bench/compare.py prints
# before and after side by side: BASE=main bench/evaluator.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
run() {
  uptime
  go test -run '^$' -bench 'BenchmarkVersusIAMSimulate' -benchtime 1x -count "${VSCOUNT:-1}" ./policy/
  go test -run '^$' -bench 'BenchmarkDecidePrepared|BenchmarkParseAndDecide|BenchmarkEvaluateDifferentialCases' -benchmem -count "${COUNT:-5}" ./policy/
  go test -run '^$' -bench 'BenchmarkExplainBatch' -benchtime 3x -count "${COUNT:-5}" ./cmd/
  go test -run '^$' -bench 'BenchmarkCheckPlan5x10' -benchmem -count "${COUNT:-5}" ./check/
  go test -run '^$' -bench 'BenchmarkProve' -benchtime 3x -count "${PROVECOUNT:-1}" ./check/
  uptime
}
if [ -n "${BASE:-}" ]; then
  base=$(mktemp -d)
  trap 'rm -rf "$base"' EXIT
  git archive "$BASE" | tar -x -C "$base"
  # The base may lack the newer benchmarks' metrics: compare.py shows the
  # ones both report. bench/iamsimulate.js comes from this tree.
  cp bench/iamsimulate.js "$base/bench/"
  ln -s "$PWD/test-tools/node_modules" "$base/test-tools/node_modules"
  (cd "$base" && run) 2>&1 | tee bench/out/evaluator-base.txt
fi
run 2>&1 | tee bench/out/evaluator.txt
if [ -n "${BASE:-}" ]; then
  echo "== before ($BASE) and after (this tree), medians:"
  python3 bench/compare.py bench/out/evaluator-base.txt bench/out/evaluator.txt
fi
