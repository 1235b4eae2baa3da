#!/usr/bin/env bash
# Start-up: `s3grant version` beside a Go hello-world, both built the same
# way, run alternately in one run. Target (issue 14): within 2x of the
# hello-world's wall time. Also prints s3grant's package initialisation
# (GODEBUG=inittrace=1), heaviest first, to show what start-up spends.
#   bench/startup.sh [RUNS]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
out=$(mktemp -d)
floor=bench/_sdkfloor-startup
trap 'rm -rf "$out" "$floor"' EXIT
. bench/sdkfloor.sh
sdkfloor "$floor" bench/hello
go build -trimpath -o "$out/s3grant" .
go build -trimpath -o "$out/hello" ./bench/hello
go build -trimpath -o "$out/hello-sdk" "./$floor"
# hello-sdk is the hello-world with the AWS SDK linked: "floor hello-sdk"
# is the ratio no binary linking aws-sdk-go-v2 can go under.
python3 bench/startup.py "$runs" "hello:$out/hello" -- "hello-sdk:$out/hello-sdk" -- "s3grant:$out/s3grant" version |
  tee "$out/result.txt"
echo "heaviest package initialisation (GODEBUG=inittrace=1, one run):"
GODEBUG=inittrace=1 "$out/s3grant" version 2>&1 >/dev/null | sort -t, -k2 -g -r -k2 | awk '{ print "  " $2, $5, $6 }' | sort -k2 -g -r | head -8
ratio=$(awk '/^ratio / { print $2 }' "$out/result.txt")
awk -v r="$ratio" 'BEGIN { if (r > 2) { print "over target: s3grant version takes " r "x a hello-world (target 2x)"; exit 1 } print "within target: " r "x (target 2x)" }'
