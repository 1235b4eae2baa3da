#!/usr/bin/env bash
# Time from process start to the first rendered frame: s3grant's wizard
# beside a minimal huh program, both built the same way, in one run.
# Target: the wizard within 1.2x of the minimal program (issue 14). The
# peak RSS of each up to its first frame is reported beside its time.
#   bench/first-frame.sh [RUNS]   (default 40)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-40}
out=$(mktemp -d)
floor=bench/_sdkfloor-huh
trap 'rm -rf "$out" "$floor"' EXIT
. bench/sdkfloor.sh
sdkfloor "$floor" bench/minimalhuh
go build -trimpath -o "$out/s3grant" .
go build -trimpath -o "$out/minimalhuh" ./bench/minimalhuh
# huh-sdk is the minimal program with the AWS SDK linked: "floor huh-sdk"
# is the ratio no wizard linking aws-sdk-go-v2 can go under.
go build -trimpath -o "$out/huh-sdk" "./$floor"
home="$out/home"; mkdir -p "$home"
# No AWS configuration: the wizard opens on its offline start screen.
export HOME="$home" AWS_CONFIG_FILE="$home/none" AWS_SHARED_CREDENTIALS_FILE="$home/none"
python3 bench/first_frame.py "$runs" \
  "minimal-huh:Who is involved?:$out/minimalhuh" -- \
  "huh-sdk:Who is involved?:$out/huh-sdk" -- \
  "s3grant:Who is involved?:$out/s3grant" | tee "$out/result.txt"
ratio=$(awk '/^ratio / { print $2 }' "$out/result.txt")
awk -v r="$ratio" 'BEGIN { if (r > 1.2) { print "over target: the wizard takes " r "x the minimal program to its first frame (target 1.2x)"; exit 1 } print "within target: " r "x (target 1.2x)" }'
