#!/usr/bin/env bash
# Regenerates docs/learn-step3.png: `s3grant learn` on step 3 (both halves:
# allowed, exports/ and plain HTTP denied) run in tmux, captured with its
# colours (capture-pane -e) and rendered by charmbracelet/freeze, as
# docs/wizard-screenshot.sh does for the wizard.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
sock="s3grant-learn-shot-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/s3grant" .
mkdir -p "$tmp/home"
HOME="$tmp/home" COLORTERM=truecolor TERM=xterm-256color tmux -L "$sock" -f /dev/null new-session -d -x 104 -y 34 \
  "$tmp/s3grant learn --step 3; sleep 60"
# Wait until the sandbox has answered (the header lists its decisions).
for _ in $(seq 50); do
  tmux -L "$sock" capture-pane -p | grep -q 'sandbox: allowed' && break
  sleep 0.2
done
tmux -L "$sock" capture-pane -e -p > "$tmp/learn.ansi"
go run github.com/charmbracelet/freeze@v0.2.2 "$tmp/learn.ansi" --language ansi --window \
  --padding 20 --margin 0 --border.radius 8 --background "#0d1117" -o docs/learn-step3.png
