#!/usr/bin/env bash
# Render an HTML file to PNG with headless Chromium (no network, throwaway profile).
#   scripts/screenshot_html.sh PAGE.html OUT.png [WIDTHxHEIGHT]
# Needs Debian's chromium and a font with Persian glyphs:
#   apt-get update && apt-get install -y chromium fonts-noto-core
set -euo pipefail
page=${1:?usage: $0 PAGE.html OUT.png [WIDTHxHEIGHT]}
out=${2:?usage: $0 PAGE.html OUT.png [WIDTHxHEIGHT]}
size=${3:-1200x1600}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "chromium not found: apt-get update && apt-get install -y chromium fonts-noto-core" >&2
  exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --screenshot="$(realpath -m "$out")" \
  --window-size="${size/x/,}" "file://$(realpath "$page")" 2>/dev/null
echo "wrote $out"
