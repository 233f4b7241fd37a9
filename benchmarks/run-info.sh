#!/usr/bin/env bash
# Sourced by the whole-process scripts: what a table needs to say about its run, and a Native AOT hello world to
# measure beside the tool (the floor of any Native AOT process on the machine).

# Markdown lines naming the run: date, commit, machine and the load average now.
run_info() {
  local commit cpu
  # COMMIT names the commit of a tree that is not a git checkout (git archive).
  commit=${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
  [ -n "${COMMIT:-}" ] || git diff --quiet HEAD 2>/dev/null || commit+=" (with uncommitted changes)"
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: \`$commit\`"
  echo "- machine: ${cpu:-unknown CPU}, $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "- load average (1, 5, 15 min) at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Publishes a Native AOT hello world (with the tool's runtime settings) to $1; the repository's Directory.* files
# would apply to a project under it, so empty ones stop the search.
publish_aot_hello() {
  local out=$1 src=$1-src
  mkdir -p "$src"
  echo '<Project />' > "$src/Directory.Build.props"
  echo '<Project />' > "$src/Directory.Build.targets"
  echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' \
    > "$src/Directory.Packages.props"
  cat > "$src/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
    <PublishAot>true</PublishAot>
    <EventSourceSupport>false</EventSourceSupport>
  </PropertyGroup>
</Project>
XML
  echo 'System.Console.WriteLine("Hello, World!");' > "$src/Program.cs"
  dotnet publish "$src/hello.csproj" -c Release -r linux-x64 -o "$out" >/dev/null
}
