#!/usr/bin/env bash
# Copies one chart out of a rustmq-perf HTML report as a standalone SVG file, for documents such as the README.
# The report draws its charts in the browser, so headless Chromium renders the page and the chart's <svg> element
# is taken from the rendered DOM.
#
#   benchmarks/tools/chart-svg.sh REPORT.html CHART OUT.svg
#
# CHART is one of: throughput-records, throughput-mb, latency, cpu.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 REPORT.html throughput-records|throughput-mb|latency|cpu OUT.svg" >&2
  exit 2
fi
report=$1 chart=$2 out=$3
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
  echo "no Chromium found: install Debian's chromium or set CHROMIUM" >&2
  exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --dump-dom \
  "file://$(realpath "$report")" 2>/dev/null > "$profile/dom.html"
python3 - "$profile/dom.html" "$chart" "$out" <<'PY'
import re, sys
dom, chart, out = open(sys.argv[1], encoding='utf-8').read(), sys.argv[2], sys.argv[3]
m = re.search(r'<svg[^>]*data-chart="%s"[^>]*>.*?</svg>' % re.escape(chart), dom, re.S)
if not m:
    sys.exit('chart %r not found in the rendered report' % chart)
svg = m.group(0).replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
open(out, 'w', encoding='utf-8').write('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + '\n')
print('wrote', out)
PY
