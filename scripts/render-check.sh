#!/usr/bin/env bash
# Renders the demo report in headless Chromium and saves a screenshot, so a
# person can look at what the HTML shows.
#
#   scripts/render-check.sh [OUT.png]      # default docs/demo-report.png
#
# Needs Debian's chromium (apt-get install chromium); the demo runs first.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/demo-report.png}
html=$(mktemp --suffix .html)
profile=$(mktemp -d)
trap 'rm -rf "$html" "$profile"' EXIT
cargo run --release --quiet -- demo --html "$html" > /dev/null
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --hide-scrollbars --window-size=1200,1500 --screenshot="$PWD/$out" "file://$html" 2>/dev/null
echo "wrote $out"
