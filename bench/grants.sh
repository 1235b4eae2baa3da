#!/usr/bin/env bash
# Benchmark of applying the 30-grant file (plan/testdata/grants30.yaml: 5
# buckets, 10 consumer accounts) in s3grant's sandbox: wall time per apply
# (prepare: reading every account; check: the proof of what is written;
# write: the parallel writes, the settle re-read and the public-bucket
# check), the writes per apply, and the CPU time of the process (s3grant and
# the in-process sandbox). Target: under 5 s. Output in bench/out/grants.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
{
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
	go test ./aws/ -run '^$' -bench BenchmarkApplyGrants30 -benchtime "${BENCHTIME:-3x}"
	go test ./check/ -run '^$' -bench BenchmarkCheckWritten30 -benchtime "${BENCHTIME:-3x}"
} | tee bench/out/grants.txt
