#!/usr/bin/env bash
# Renders a run's report.html in headless Chromium with the network switched off and writes a full-page
# screenshot next to it, so a person (or CI) can look at what a browser shows.
#   tools/check-report.sh runs/<name>/report.html [OUT.png] [WIDTH] [HEIGHT]
# Needs Debian's chromium (apt-get install -y chromium). Exits 1 when the page references anything that is
# not embedded or not a file next to it, or when Chromium fails.
set -euo pipefail
report="${1:?usage: tools/check-report.sh REPORT.html [OUT.png] [WIDTH]}"
out="${2:-${report%.html}-screenshot.png}"
width="${3:-1360}"
[ -f "$report" ] || { echo "check-report: no such file: $report" >&2; exit 1; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "check-report: chromium not found (apt-get install -y chromium)" >&2; exit 1; }

dir="$(cd "$(dirname "$report")" && pwd)"
# Every src/href must be a data: URI or an existing relative file; nothing may point at a network.
bad=0
while IFS= read -r ref; do
  case "$ref" in
    data:*) ;;
    *://*|//*) echo "check-report: network reference: $ref" >&2; bad=1 ;;
    *) [ -f "$dir/$ref" ] || { echo "check-report: missing file: $ref" >&2; bad=1; } ;;
  esac
done < <(grep -oE '(src|href)="[^"]*"' "$report" | sed -E 's/^(src|href)="//; s/"$//')
[ "$bad" = 0 ] || exit 1

# One tall window: the report is a single column; blank space below it is harmless.
height="${4:-6000}"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,$height" \
  --proxy-server='127.0.0.1:9' --virtual-time-budget=3000 \
  --screenshot="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")" "file://$dir/$(basename "$report")" 2>/dev/null
echo "check-report: $report renders; screenshot $out (${width}x${height})"
