#!/usr/bin/env bash
# Start-up of the published binary (the README's command: Native AOT) against the floors: a Native AOT hello world
# (the start and exit of any Native AOT process) and a trimmed, self-contained ReadyToRun hello world, written and published here at run time into
# artifacts/ with the tool's own runtime settings (invariant globalization, no TieredPGO, no concurrent GC,
# no EventSource). The tool's own ReadyToRun single file (-p:PublishAot=false -p:PublishSingleFile=true)
# runs beside them, for the difference AOT makes. hyperfine times the commands in one run; perf stat then
# counts the user-mode instructions of each, which do not depend on the machine's load (where the machine has a PMU:
# a VM without one counts none, and the table is left out). The Markdown on standard output names the date, the
# commit, the machine and the load; absolute times hold for that run only: quote the ratios.
# Usage: benchmarks/startup.sh [RUNS]   (RUNS defaults to 40; SKIP_PUBLISH=1 reuses the last builds)
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/run-info.sh

runs=${1:-40}
work=artifacts/startup
hello=$work/hello-src
mkdir -p "$hello"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# The repository's Directory.* files would apply to a project under it: empty ones stop the search.
echo '<Project />' > "$hello/Directory.Build.props"
echo '<Project />' > "$hello/Directory.Build.targets"
echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' \
  > "$hello/Directory.Packages.props"
cat > "$hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
    <TieredPGO>false</TieredPGO>
    <ConcurrentGarbageCollection>false</ConcurrentGarbageCollection>
    <SelfContained>true</SelfContained>
    <PublishSingleFile>true</PublishSingleFile>
    <PublishReadyToRun>true</PublishReadyToRun>
    <PublishTrimmed>true</PublishTrimmed>
    <EventSourceSupport>false</EventSourceSupport>
  </PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine("Hello, World!");' > "$hello/Program.cs"

if [ "${SKIP_PUBLISH:-}" != 1 ]; then
  echo "publishing..." >&2
  dotnet publish "$hello/hello.csproj" -c Release -r linux-x64 -o "$work/hello" >/dev/null
  publish_aot_hello "$work/hello-aot"
  dotnet publish src/FirewallRules.Cli -c Release -r linux-x64 -o "$work/aot" >/dev/null
  dotnet publish src/FirewallRules.Cli -c Release -r linux-x64 -p:PublishAot=false -p:PublishSingleFile=true -o "$work/sf" >/dev/null
fi

generate="generate --section logs --format nftables"
run_info
echo
hyperfine -N --warmup 5 --runs "$runs" --export-markdown "$work/table.md" \
  -n "hello world (Native AOT)" "$work/hello-aot/hello" \
  -n "hello world (single file)" "$work/hello/hello" \
  -n "fwrules $generate" "$work/aot/fwrules $generate" \
  -n "fwrules --version" "$work/aot/fwrules --version" \
  -n "fwrules formats" "$work/aot/fwrules formats" \
  -n "fwrules $generate (ReadyToRun single file)" "$work/sf/fwrules $generate" >&2
cat "$work/table.md"
echo
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

if perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -q '^[0-9]'; then
  echo
  echo "| command | user-mode instructions (perf stat -r 10) | / hello world | CPU ms (task-clock) |"
  echo "| --- | ---: | ---: | ---: |"
  # user-mode instructions and CPU milliseconds (task-clock), each the mean of 10 runs
  count() { perf stat -x, -e instructions:u,task-clock -r 10 "$@" 2>&1 >/dev/null | awk -F, '/instructions/ {i = $1} /task-clock/ {t = $1} END {print i, t}'; }
  read -r base _ < <(count "$work/hello/hello")
  for name in "hello world|$work/hello/hello" "hello world (Native AOT)|$work/hello-aot/hello" "generate|$work/aot/fwrules $generate" "--version|$work/aot/fwrules --version" \
    "formats|$work/aot/fwrules formats" "generate, ReadyToRun single file|$work/sf/fwrules $generate"; do
    # shellcheck disable=SC2086
    read -r n ms < <(count ${name#*|})
    printf '| %s | %.1f M | %.2f | %.1f |\n' "${name%%|*}" "$(awk -v n="$n" 'BEGIN {print n / 1e6}')" "$(awk -v n="$n" -v b="$base" 'BEGIN {print n / b}')" "$ms"
  done
fi
echo
echo "sizes: Native AOT $(stat -c %s "$work/aot/fwrules") bytes (hello world $(stat -c %s "$work/hello-aot/hello")), ReadyToRun single file $(stat -c %s "$work/sf/fwrules") bytes, hello world $(stat -c %s "$work/hello/hello") bytes"
