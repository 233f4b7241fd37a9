#!/usr/bin/env bash
# Load test of `fwrules serve` on 127.0.0.1 only: wrk (Debian's package) with CONNECTIONS concurrent
# clients for SECONDS, mixing full and conditional GETs of lists and rules (load.lua). The mirror is the
# built tool, mirroring the real v52 document from a loopback upstream (python's http.server). Prints
# wrk's summary, and the mirror's resident memory sampled every second (peak, first and last sample).
# Usage: benchmarks/serve/load.sh [CONNECTIONS [SECONDS [FWRULES_DLL_DIR]]]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-200}
seconds=${2:-30}
tool=${3:-src/FirewallRules.Cli/bin/Release/net10.0}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$work/upstream/us1"
cp data/ip-ranges/datadoghq.com-v52.json "$work/upstream/us1/index.html"
python3 -m http.server 18181 --bind 127.0.0.1 --directory "$work/upstream" >/dev/null 2>&1 &
sleep 1
dotnet "$tool/fwrules.dll" serve --site us1 --base-url http://127.0.0.1:18181/us1/ --listen 127.0.0.1:18180 \
  --cache "$work/cache" --quiet 2>"$work/serve.log" &
mirror=$!
base=http://127.0.0.1:18180
until curl -sf "$base/healthz" >/dev/null; do sleep 0.2; done

etag() { curl -sI "$base$1" | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}'; }
export LIST_ETAG; LIST_ETAG=$(etag /v1/us1/lists/synthetics.txt)
export RULES_ETAG; RULES_ETAG=$(etag "/v1/us1/rules/nftables?section=synthetics,webhooks&direction=ingress")
export DOC_DATE; DOC_DATE=$(curl -sI "$base/v1/us1/ip-ranges.json" | tr -d '\r' | awk -F': ' 'tolower($1) == "last-modified" {print $2}')

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$mirror/status"; }
(for _ in $(seq "$seconds"); do rss; sleep 1; done) > "$work/rss" &
sampler=$!
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s benchmarks/serve/load.lua "$base" | tee "$work/wrk"
wait "$sampler" || true
echo "mirror RSS MiB: peak $(sort -n "$work/rss" | tail -1); every second: $(tr '\n' ' ' < "$work/rss")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mirror peak (VmHWM) MiB: $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$mirror/status")"
echo "renders: $(curl -s "$base/metrics" | grep '^fwrules_mirror_renders_total')"
kill -TERM "$mirror"; wait "$mirror"; echo "mirror exit code after SIGTERM: $?"
