#!/usr/bin/env bash
# Does `serve` slow the other verbs? hyperfine times `generate` and `aggregate` with two builds of the
# tool in one run: BEFORE (a build of main without the server) and AFTER (this tree), each as the
# framework-dependent dll and as the published binary. Usage:
#   benchmarks/serve/startup.sh BEFORE_DLL_DIR BEFORE_SINGLE_FILE_DIR AFTER_DLL_DIR AFTER_SINGLE_FILE_DIR [RUNS]
# (build the dll with `dotnet build src/FirewallRules.Cli -c Release -o DIR`, the single file with the
# README's `dotnet publish src/FirewallRules.Cli -c Release -r linux-x64 -o DIR`, Native AOT;
# -p:PublishAot=false -p:PublishSingleFile=true for the ReadyToRun single file the figures in
# benchmarks/README.md were taken with).
set -euo pipefail
before_dll=$1 before_sf=$2 after_dll=$3 after_sf=$4 runs=${5:-40}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 0 255); do echo "198.51.$((i % 2 + 100)).$i/32"; done > "$work/prefixes.txt"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
generate="generate --section logs --format nftables -q"
aggregate="aggregate $work/prefixes.txt -q"
[ "${SKIP_HYPERFINE:-}" = 1 ] || hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$work/table.md" \
  -n "generate, dll, before" "dotnet $before_dll/fwrules.dll $generate" \
  -n "generate, dll, after" "dotnet $after_dll/fwrules.dll $generate" \
  -n "generate, single file, before" "$before_sf/fwrules $generate" \
  -n "generate, single file, after" "$after_sf/fwrules $generate" \
  -n "aggregate, dll, before" "dotnet $before_dll/fwrules.dll $aggregate" \
  -n "aggregate, dll, after" "dotnet $after_dll/fwrules.dll $aggregate" \
  -n "aggregate, single file, before" "$before_sf/fwrules $aggregate" \
  -n "aggregate, single file, after" "$after_sf/fwrules $aggregate" >&2
[ -s "$work/table.md" ] && cat "$work/table.md"
echo
# Wall time on a busy shared machine is noise; the user-mode instructions a run executes are not (perf
# stat, 5 runs each, variance shown). Same commands, same order.
if perf stat -e instructions:u true >/dev/null 2>&1; then
  echo "| command | user-mode instructions (perf stat -r 5) | variance |"
  echo "| --- | ---: | ---: |"
  for build in "dll|dotnet BEFORE/fwrules.dll|dotnet AFTER/fwrules.dll" "single file|BEFORE/fwrules|AFTER/fwrules"; do
    IFS='|' read -r kind before after <<< "$build"
    for verb in generate aggregate; do
      args=$([ "$verb" = generate ] && echo "$generate" || echo "$aggregate")
      for side in before after; do
        template=$([ "$side" = before ] && echo "$before" || echo "$after")
        dir=$([ "$kind" = dll ] && { [ "$side" = before ] && echo "$before_dll" || echo "$after_dll"; } || { [ "$side" = before ] && echo "$before_sf" || echo "$after_sf"; })
        command=${template/BEFORE/$dir}; command=${command/AFTER/$dir}
        # shellcheck disable=SC2086
        line=$(perf stat -x, -e instructions:u -r 5 $command $args 2>&1 >/dev/null | tail -1)
        echo "| $verb, $kind, $side | $(cut -d, -f1 <<< "$line") | $(cut -d, -f4 <<< "$line") |"
      done
    done
  done
fi
echo
echo "single file sizes: before $(stat -c %s "$before_sf/fwrules") bytes, after $(stat -c %s "$after_sf/fwrules") bytes"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
