#!/usr/bin/env bash
# Regenerates the wizard's pictures in docs/: each method's preview
# (wizard-preview-METHOD.png), the access check tab (wizard-check.png) and
# the summary after apply and verification (wizard-summary.png). Each is
# `s3grant --sandbox` run in tmux, answered from flags, captured with its
# colours (capture-pane -e) and rendered by charmbracelet/freeze.
#   docs/wizard-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
sock="s3grant-shot-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/s3grant" .
width=110 height=36

# The sandbox's answers: every method's flags add to these.
common=(--bucket analytics-exports --region eu-west-1)
role=arn:aws:iam::222233334444:role/analytics

screen() { tmux -L "$sock" capture-pane -p; }

# wait_for TEXT: until the screen shows TEXT (at most 60 s).
wait_for() {
  for _ in $(seq 300); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.2
  done
  echo "screenshot: the screen never showed '$1':" >&2
  screen >&2
  return 1
}

# start ARGS...: the wizard on the sandbox (its own HOME, no AWS
# configuration), connected with the sandbox's preselected profiles.
start() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$tmp/home" && mkdir -p "$tmp/home"
  env -u AWS_PROFILE HOME="$tmp/home" AWS_CONFIG_FILE="$tmp/home/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/home/none" \
    COLORTERM=truecolor TERM=xterm-256color \
    tmux -L "$sock" -f /dev/null new-session -d -x "$width" -y "$height" "$tmp/s3grant --sandbox $*; sleep 600"
  wait_for "Connect with profiles"
  tmux -L "$sock" send-keys Enter
  wait_for "Owner profile"
  tmux -L "$sock" send-keys Enter Enter
  wait_for "How should the consumer get in?"
}

# to_preview: accept every pre-filled answer (confirming the ACL warning)
# until the preview is ready.
to_preview() {
  for _ in $(seq 40); do
    s=$(screen)
    case "$s" in
    *"Ready: press a to apply"*) return 0 ;;
    *"Type acl and press enter"*) tmux -L "$sock" send-keys -l acl ;;
    esac
    tmux -L "$sock" send-keys Enter
    sleep 0.3
  done
  wait_for "Ready: press a to apply"
}

# shot NAME: the pane as it is now, to docs/NAME.png.
shot() {
  sleep 0.3
  tmux -L "$sock" capture-pane -e -p > "$tmp/$1.ansi"
  go run github.com/charmbracelet/freeze@v0.2.2 "$tmp/$1.ansi" --language ansi --window \
    --padding 20 --margin 0 --border.radius 8 --background "#0d1117" -o "docs/$1.png"
}

start --method bucket-policy "${common[@]}" --consumer-principal "$role" --prefix reports/
to_preview
shot wizard-preview-bucket-policy
# The access check: the fourth tab.
tmux -L "$sock" send-keys Tab Tab Tab
wait_for "Must be denied"
shot wizard-check
# Apply (asked first), then the summary with the verification.
tmux -L "$sock" send-keys a
wait_for "Apply this plan?"
tmux -L "$sock" send-keys y
wait_for "Send this to the consumer"
shot wizard-summary

start --method iam-role "${common[@]}" --consumer-principal "$role" --prefix reports/
to_preview
shot wizard-preview-iam-role

start --method access-point "${common[@]}" --consumer-principal "$role" --prefix reports/
to_preview
# The bucket policy's delegation to the access point: the owner's second tab.
tmux -L "$sock" send-keys Right
wait_for "delegates to access point"
shot wizard-preview-access-point

start --method acl "${common[@]}" --access list --canonical-id 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be
to_preview
shot wizard-preview-acl
