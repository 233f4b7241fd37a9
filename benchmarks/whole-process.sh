#!/usr/bin/env bash
# Whole-process timing of `fwrules aggregate` as users run it: the framework-dependent build
# (`dotnet fwrules.dll`), the self-contained single-file ReadyToRun build, and firehol's `iprange`
# on the same generated files. Commands run alternately (one run of each in turn), so a burst of
# load on a shared machine hits all of them alike; the table gives medians, and peak RSS from
# /usr/bin/time. Usage: benchmarks/whole-process.sh [RUNS [INPUT...]]
#   RUNS defaults to 15; INPUT is any of v4-1m v6-1m v4-10m (default: all three).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-15}
inputs=("${@:2}")
[ ${#inputs[@]} -gt 0 ] || inputs=(v4-1m v6-1m v4-10m)
work=artifacts/whole-process
mkdir -p "$work"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

echo "building..." >&2
dotnet publish src/FirewallRules.Cli -c Release -o "$work/fd" >/dev/null
dotnet publish src/FirewallRules.Cli -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:PublishReadyToRun=true -o "$work/sf" >/dev/null
dotnet build benchmarks/FirewallRules.Benchmarks -c Release >/dev/null
generate() { dotnet benchmarks/FirewallRules.Benchmarks/bin/Release/net10.0/FirewallRules.Benchmarks.dll generate "$@"; }
[ -s "$work/v4-1m.txt" ] || generate ipv4-random 1000000 > "$work/v4-1m.txt"
[ -s "$work/v6-1m.txt" ] || generate ipv6-random 1000000 > "$work/v6-1m.txt"
[ -s "$work/v4-10m.txt" ] || generate ipv4-random 10000000 > "$work/v4-10m.txt"

fd="dotnet $work/fd/fwrules.dll aggregate"
sf="$work/sf/fwrules aggregate"
tools=("fwrules (dll)|$fd" "fwrules (single file)|$sf")
command -v iprange >/dev/null && tools+=("iprange|iprange")

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "| input | command | median ms | min ms | peak RSS MiB |"
echo "| --- | --- | ---: | ---: | ---: |"
for input in "${inputs[@]}"; do
  file="$work/$input.txt"
  candidates=()
  for tool in "${tools[@]}"; do
    # iprange reads IPv4 only.
    [[ $input == v6-* && ${tool%%|*} == iprange ]] || candidates+=("$tool")
  done
  declare -A times=()
  for ((run = 0; run <= runs; run++)); do
    for tool in "${candidates[@]}"; do
      start=${EPOCHREALTIME/./}
      ${tool#*|} "$file" > "$work/out.txt" 2>/dev/null
      end=${EPOCHREALTIME/./}
      # The first round only warms the page cache and is not counted.
      ((run > 0)) && times[${tool%%|*}]+="$((end - start)) "
    done
  done
  for tool in "${candidates[@]}"; do
    name=${tool%%|*}
    samples=$(tr ' ' '\n' <<<"${times[$name]}" | grep -v '^$')
    /usr/bin/time -o "$work/rss.txt" -f %M ${tool#*|} "$file" > "$work/out.txt" 2>/dev/null
    rss=$(cat "$work/rss.txt")
    printf '| %s | %s | %.0f | %.0f | %.1f |\n' "$input" "$name" \
      "$(median <<<"$samples" | awk '{print $1 / 1000}')" "$(sort -n <<<"$samples" | head -1 | awk '{print $1 / 1000}')" \
      "$(awk -v kb="$rss" 'BEGIN {print kb / 1024}')"
  done
  unset times
done
