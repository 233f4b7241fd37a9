#!/usr/bin/env bash
# Peak memory of `fwrules generate` for every format, against the size of what it writes: the figure of
# issue 11 (peak RSS under 10x the output's size). The input is an ip-ranges document of N /32s in one
# section (default 420,000 in 3.0.0.0/8, every other address: about 8 MiB, the largest document fwrules reads). Each format runs with this
# tree's build and, when BASE is given, with a build of that git ref (git archive into artifacts/, never
# committed), alternately, RUNS times; the table gives the median peak RSS from /usr/bin/time, the output's
# size, their ratio, and this tree's peak over BASE's. `sections` on the same document is the floor: the
# runtime and the parsed document, whatever the format. `diff` and `diff-json` compare the document with one
# of the same size that shares no address (the largest diff two such documents can have), text and JSON.
# FORMATS="nftables diff" measures those rows only.
# Usage: benchmarks/peak-memory.sh [RUNS [PREFIXES]]    (BASE=main benchmarks/peak-memory.sh 3)
#   SKIP_BUILD=1 measures the builds the previous run left in artifacts/peak-memory.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
prefixes=${2:-420000}
work=artifacts/peak-memory
mkdir -p "$work"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

echo "building..." >&2
[ -n "${SKIP_BUILD:-}" ] || dotnet build src/FirewallRules.Cli -c Release -o "$work/this" >/dev/null
builds=(this)
if [ -n "${BASE:-}" ] && [ -n "${SKIP_BUILD:-}" ]; then
  builds+=(base)
elif [ -n "${BASE:-}" ]; then
  rm -rf "$work/base-src" && mkdir -p "$work/base-src"
  git archive "$BASE" | tar -x -C "$work/base-src"
  dotnet build "$work/base-src/src/FirewallRules.Cli" -c Release -o "$work/base" >/dev/null
  builds+=(base)
fi

# N /32s starting at address FIRST, every other one: FIRST 0 and 1 give two documents that share no address.
write_document() {
  python3 - "$prefixes" "$1" <<'PY'
import sys
n, first = int(sys.argv[1]), int(sys.argv[2])
print('{"version": %d, "modified": "2026-11-23-00-00-00", "logs": {"prefixes_ipv4": [' % (60 + first))
print(',\n'.join(f'"3.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}/32"' for i in range(first, 2 * n, 2)))
print('], "prefixes_ipv6": []}}')
PY
}
document="$work/logs-$prefixes.json"
newer="$work/logs-$prefixes-odd.json"
[ -s "$document" ] || write_document 0 > "$document"
[ -s "$newer" ] || write_document 1 > "$newer"

# peak RSS in KiB of one run, or "refused"; the output's size in bytes goes to $work/size-<build>-<format>
measure() {
  local build=$1 format=$2 out="$work/out-$1-$2" args status kib
  case $format in
    sections) args=(sections --input "$document") ;;
    diff) args=(diff "$document" "$newer") ;;
    diff-json) args=(diff --format json "$document" "$newer") ;;
    *) args=(generate -q --input "$document" --section logs --format "$format") ;;
  esac
  # cilium refuses more entries than the pods' policy map holds (16,384 by default; an entry per prefix and port, and
  # logs has two ports): raised, it writes this document too.
  [ "$format" != cilium ] || args+=(--max-policy-map-entries $((2 * prefixes + 2)))
  /usr/bin/time -o "$work/time" -f "%x %M" dotnet "$work/$build/fwrules.dll" "${args[@]}" > "$out" 2>/dev/null || true
  read -r status kib < <(tail -1 "$work/time")
  [ "$status" = 0 ] || { echo refused; return; }
  stat -c %s "$out" > "$work/size-$build-$format"
  echo "$kib"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

formats=(${FORMATS:-sections diff diff-json $(dotnet "$work/this/fwrules.dll" formats | awk '{ print $1 }')})
echo "document: $prefixes /32s, $(stat -c %s "$document") bytes; $runs runs of each, alternately" >&2
header="| format | output MiB | peak RSS MiB | peak / output | peak / input"
[ ${#builds[@]} -gt 1 ] && header+=" | $BASE peak RSS MiB | peak / $BASE's peak"
echo "$header |"
echo "$header |" | sed 's/[^|]\+/ --- /g'
for format in "${formats[@]}"; do
  declare -A samples=()
  for ((run = 0; run < runs; run++)); do
    for build in "${builds[@]}"; do samples[$build]+="$(measure "$build" "$format") "; done
  done
  if [[ ${samples[this]} == *refused* ]]; then
    echo "| $format | refused | | | |"; continue
  fi
  peak=$(tr ' ' '\n' <<< "${samples[this]}" | grep . | median)
  bytes=$(cat "$work/size-this-$format")
  input=$(stat -c %s "$document")
  [[ $format != diff* ]] || input=$((input + $(stat -c %s "$newer")))
  row=$(awk -v k="$peak" -v b="$bytes" -v i="$input" -v f="$format" 'BEGIN { printf "| %s | %.1f | %.0f | %s | %.1f", f, b / 1048576, k / 1024, (f == "sections") ? "(floor)" : sprintf("%.1f", k * 1024 / b), k * 1024 / i }')
  if [ ${#builds[@]} -gt 1 ]; then
    base=$(tr ' ' '\n' <<< "${samples[base]}" | grep -v refused | grep . | median)
    row+=$(awk -v k="$peak" -v p="${base:-0}" 'BEGIN { if (p > 0) printf " | %.0f | %.2f", p / 1024, k / p; else printf " | refused | " }')
  fi
  echo "$row |"
  unset samples
done
