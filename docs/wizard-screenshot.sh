#!/usr/bin/env bash
# Regenerates docs/wizard-preview.png: the wizard's preview screen run in
# tmux, captured with its colours (capture-pane -e) and rendered by
# charmbracelet/freeze.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
sock="s3grant-shot-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/s3grant" .
mkdir -p "$tmp/home"
HOME="$tmp/home" COLORTERM=truecolor TERM=xterm-256color tmux -L "$sock" -f /dev/null new-session -d -x 104 -y 34 \
  "$tmp/s3grant --method bucket-policy --bucket analytics-exports --region eu-west-1 \
   --owner-account 111122223333 --consumer-account 222233334444 \
   --consumer-principal arn:aws:iam::222233334444:role/analytics --prefix reports/; sleep 60"
sleep 1
# Accept the pre-filled answers: accounts, method, then every question.
for _ in $(seq 12); do tmux -L "$sock" send-keys Enter; sleep 0.25; done
sleep 0.5
tmux -L "$sock" capture-pane -e -p > "$tmp/preview.ansi"
go run github.com/charmbracelet/freeze@v0.2.2 "$tmp/preview.ansi" --language ansi --window \
  --padding 20 --margin 0 --border.radius 8 --background "#0d1117" -o docs/wizard-preview.png
