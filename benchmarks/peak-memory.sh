#!/usr/bin/env bash
# Peak memory of `fwrules generate` for every format, against the size of what it writes: the budget
# is peak RSS under 10x the output's size. The input is an ip-ranges document of N /32s in one
# section (default 420,000 in 3.0.0.0/8, every other address: about 8 MiB, the largest document fwrules reads). Each format runs with this
# tree's build and, when BASE is given, with a build of that git ref (git archive into artifacts/, never
# committed), alternately, RUNS times; the table gives the median peak RSS from /usr/bin/time, the output's
# size, their ratio, and this tree's peak over BASE's. `sections` on the same document is the floor: the
# runtime and the parsed document, whatever the format. `diff` and `diff-json` compare the document with one
# of the same size that shares no address (the largest diff two such documents can have), text and JSON.
# FORMATS="nftables diff" measures those rows only. A format that refuses the document (the cloud formats stop at
# their platforms' quotas) is measured at the largest document of such /32s it accepts, found by bisection with this
# tree's build (to within 2%), and its row names that size; `runtime` is `sections` on a document of 10 /32s, the
# floor of any run, and "(peak - runtime) / output" is what a format's run holds above it, against its output.
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
  python3 - "${2:-$prefixes}" "$1" <<'PY'
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

# A document of N /32s (cached in $work).
sized_document() {
  local path="$work/logs-$1.json"
  [ -s "$path" ] || write_document 0 "$1" > "$path"
  echo "$path"
}
tiny=$(sized_document 10)

# peak RSS in KiB of one run, or "refused"; the output's size in bytes goes to $work/size-<build>-<format>
measure() {
  local build=$1 format=$2 input=${3:-$document} out="$work/out-$1-$2" args status kib
  case $format in
    runtime) args=(sections --input "$tiny") ;;
    sections) args=(sections --input "$input") ;;
    diff) args=(diff "$document" "$newer") ;;
    diff-json) args=(diff --format json "$document" "$newer") ;;
    *) args=(generate -q --input "$input" --section logs --format "$format") ;;
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

# The largest number of /32s (within 2%) that FORMAT accepts with this tree's build, or 0.
largest_accepted() {
  local format=$1 low=0 high=$prefixes middle
  # A format that refuses 10 /32s (ip6tables: no IPv6 in the document) refuses them all.
  [ "$(measure this "$format" "$tiny")" != refused ] || { echo 0; return; }
  while (( (high - low) * 50 > high )); do
    middle=$(( (low + high + 1) / 2 ))
    if dotnet "$work/this/fwrules.dll" generate -q --input "$(sized_document "$middle")" --section logs --format "$format" > /dev/null 2>&1; then
      low=$middle
    else
      high=$(( middle - 1 ))
    fi
  done
  echo "$low"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

formats=(${FORMATS:-runtime sections diff diff-json $(dotnet "$work/this/fwrules.dll" formats | awk '{ print $1 }')})
echo "document: $prefixes /32s, $(stat -c %s "$document") bytes; $runs runs of each, alternately" >&2
runtime_kib=$(measure this runtime)
header="| format | output MiB | peak RSS MiB | peak / output | (peak - runtime) / output | peak / input"
[ ${#builds[@]} -gt 1 ] && header+=" | $BASE peak RSS MiB | peak / $BASE's peak"
echo "$header |"
echo "$header |" | sed 's/[^|]\+/ --- /g'
for format in "${formats[@]}"; do
  declare -A samples=()
  input=$document label=$format
  if [[ $format != runtime && $format != sections && $format != diff* ]] && [ "$(measure this "$format")" = refused ]; then
    fit=$(largest_accepted "$format")
    [ "$fit" -gt 0 ] || { echo "| $format | refused | | | | |"; continue; }
    input=$(sized_document "$fit") label="$format ($fit /32s)"
  fi
  for ((run = 0; run < runs; run++)); do
    for build in "${builds[@]}"; do samples[$build]+="$(measure "$build" "$format" "$input") "; done
  done
  if [[ ${samples[this]} == *refused* ]]; then
    echo "| $label | refused | | | | |"; continue
  fi
  peak=$(tr ' ' '\n' <<< "${samples[this]}" | grep . | median)
  bytes=$(cat "$work/size-this-$format")
  [ "$format" = runtime ] && input=$tiny
  size=$(stat -c %s "$input")
  [[ $format != diff* ]] || size=$((size + $(stat -c %s "$newer")))
  row=$(awk -v k="$peak" -v r="$runtime_kib" -v b="$bytes" -v i="$size" -v f="$label" 'BEGIN {
    floor = (f == "sections" || f == "runtime")
    printf "| %s | %.1f | %.0f | %s | %s | %s", f, b / 1048576, k / 1024, floor ? "(floor)" : sprintf("%.1f", k * 1024 / b),
      floor ? "" : sprintf("%.1f", (k - r) * 1024 / b), (f == "runtime") ? "" : sprintf("%.1f", k * 1024 / i) }')
  if [ ${#builds[@]} -gt 1 ]; then
    base=$(tr ' ' '\n' <<< "${samples[base]}" | grep -v refused | grep . | median)
    row+=$(awk -v k="$peak" -v p="${base:-0}" 'BEGIN { if (p > 0) printf " | %.0f | %.2f", p / 1024, k / p; else printf " | refused | " }')
  fi
  echo "$row |"
  unset samples
done
