# shellcheck shell=bash
# Sourced by bench/startup.sh and bench/first-frame.sh. sdkfloor DIR BASE
# writes DIR/main.go: the program BASE (bench/hello or bench/minimalhuh)
# with a blank import of every AWS SDK package s3grant links (config and
# the service clients, from `go list -deps .`). Timed beside BASE, it shows
# what the SDK's package initialisation alone costs: the floor no binary
# that links aws-sdk-go-v2 can go under. DIR is inside the module and
# starts with "_", which go's ./... patterns and the linter skip.
sdkfloor() {
  local dir=$1 base=$2 imports
  imports=$(go list -deps . | grep -E '^github.com/aws/aws-sdk-go-v2/(config|service/[a-z0-9]+)$' | sed 's/.*/\t_ "&"/')
  mkdir -p "$dir"
  awk -v imports="$imports" '{ print } /^package main$/ { print ""; print "import ("; print imports; print ")" }' \
    "$base/main.go" > "$dir/main.go"
}
