#!/usr/bin/env bash
# Whole-process timing of `fwrules aggregate` as users run it, against its peers on the same generated
# files: the binary the README publishes (Native AOT; "fwrules" below), the same summarising to 60 prefixes
# (`--max 60`), the framework-dependent build (`dotnet fwrules.dll`), firehol's `iprange` (IPv4 only), and
# Rust's `ipnet` (`Ipv4Net::aggregate`/`Ipv6Net::aggregate` from Debian's librust-ipnet-dev, built here
# at run time into artifacts/, never committed), with three floors: `wc -l` reading the same file, a Native AOT
# hello world (the start and exit of any such process), and benchmarks/floor (the least work any correct aggregator
# must do, in C, built here with gcc -O3 -march=native; its output is checked against fwrules'). Commands run alternately (one run of each in turn), so
# a burst of load on a shared machine hits all of them alike. The table (Markdown, on standard output) names the
# date, the commit, the machine and the load, and gives medians, each median's ratio to fwrules' and to `wc -l`'s,
# and peak RSS from /usr/bin/time. Absolute times hold for that run only: quote the ratios.
# Usage: benchmarks/whole-process.sh [RUNS [INPUT...]]
#   RUNS defaults to 15; INPUT is any of v4-1m v4dense-1m v6-1m v4-10m v4dense-10m v6-10m (default: all six).
#   SKIP_PUBLISH=1 reuses the last builds and inputs.
#   BUSY=1 adds, per input, a second alternating round with the other core held busy (`taskset -c 1 yes`): plain
#   `fwrules aggregate` against `taskset -c 0 fwrules aggregate` (one core); a ratio above 1 means the second
#   thread cost more than it gave.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/run-info.sh

runs=${1:-15}
inputs=("${@:2}")
[ ${#inputs[@]} -gt 0 ] || inputs=(v4-1m v4dense-1m v6-1m v4-10m v4dense-10m v6-10m)
work=artifacts/whole-process
mkdir -p "$work"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# Rust's ipnet, from the crate sources Debian installs (a directory source replaces crates.io, offline).
build_ipnet() {
  local crate=/usr/share/cargo/registry project="$work/ipnet-aggregate"
  [ -d "$crate" ] && ls -d "$crate"/ipnet-2.* >/dev/null 2>&1 && command -v cargo >/dev/null || return 1
  mkdir -p "$project/src" "$project/.cargo"
  printf '[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "%s"\n' "$crate" > "$project/.cargo/config.toml"
  printf '[package]\nname = "ipnet-aggregate"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nipnet = "2"\n' > "$project/Cargo.toml"
  cat > "$project/src/main.rs" <<'RUST'
// Reads one prefix (or bare address) per line, aggregates each family with ipnet, writes one per line.
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::io::{BufWriter, Write};
use std::net::IpAddr;

fn main() {
    let path = std::env::args().nth(1).expect("usage: ipnet-aggregate FILE");
    let text = std::fs::read_to_string(path).expect("readable file");
    let (mut v4, mut v6) = (Vec::new(), Vec::new());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        match line.parse::<IpNet>().or_else(|_| line.parse::<IpAddr>().map(IpNet::from)).expect("a prefix") {
            IpNet::V4(net) => v4.push(net),
            IpNet::V6(net) => v6.push(net),
        }
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    Ipv4Net::aggregate(&v4).iter().for_each(|net| writeln!(out, "{net}").unwrap());
    Ipv6Net::aggregate(&v6).iter().for_each(|net| writeln!(out, "{net}").unwrap());
}
RUST
  (cd "$project" && cargo build --release --offline --quiet) >&2 && echo "$project/target/release/ipnet-aggregate"
}

if [ "${SKIP_PUBLISH:-}" != 1 ]; then
  echo "building..." >&2
  dotnet publish src/FirewallRules.Cli -c Release -o "$work/fd" >/dev/null
  dotnet publish src/FirewallRules.Cli -c Release -r linux-x64 -o "$work/sf" >/dev/null
  dotnet build benchmarks/FirewallRules.Benchmarks -c Release >/dev/null
fi
[ "${SKIP_PUBLISH:-}" = 1 ] && [ -x "$work/hello/hello" ] || publish_aot_hello "$work/hello"
generate() { dotnet benchmarks/FirewallRules.Benchmarks/bin/Release/net10.0/FirewallRules.Benchmarks.dll generate "$@"; }
for input in "${inputs[@]}"; do
  [ -s "$work/$input.txt" ] && continue
  case $input in
    v4-1m) generate ipv4-random 1000000 ;; v4dense-1m) generate ipv4-dense 1000000 ;; v6-1m) generate ipv6-random 1000000 ;;
    v4-10m) generate ipv4-random 10000000 ;; v4dense-10m) generate ipv4-dense 10000000 ;; v6-10m) generate ipv6-random 10000000 ;;
    *) echo "unknown input: $input" >&2; exit 2 ;;
  esac > "$work/$input.txt"
done

reference="fwrules"
tools=("$reference|$work/sf/fwrules aggregate" "fwrules --max 60|$work/sf/fwrules aggregate -q --max 60"
  "fwrules (dll)|dotnet $work/fd/fwrules.dll aggregate" "wc -l|wc -l" "hello world (Native AOT)|$work/hello/hello")
# The floor (benchmarks/floor): the least work any aggregator must do, in C, built here for this machine.
if command -v gcc >/dev/null && gcc -O3 -march=native -o "$work/floor" benchmarks/floor/floor.c; then
  tools+=("floor (C)|$work/floor")
else
  echo "floor skipped: needs gcc" >&2
fi
command -v iprange >/dev/null && tools+=("iprange|iprange")
if ipnet=$(build_ipnet); then
  tools+=("ipnet (Rust)|$ipnet")
else
  echo "ipnet peer skipped: needs cargo and Debian's librust-ipnet-dev" >&2
fi

# Times each "name|command" on $file alternately, runs + 1 rounds (the first not counted), into times[] and medians[].
time_alternately() {
  local run tool start end
  for ((run = 0; run <= runs; run++)); do
    for tool in "$@"; do
      start=${EPOCHREALTIME/./}
      ${tool#*|} "$file" > "$work/out.txt" 2>/dev/null
      end=${EPOCHREALTIME/./}
      # The first round only warms the page cache and is not counted.
      ((run > 0)) && times[${tool%%|*}]+="$((end - start)) "
    done
  done
  for tool in "$@"; do
    medians[${tool%%|*}]=$(tr ' ' '\n' <<<"${times[${tool%%|*}]}" | grep -v '^$' | median)
  done
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

run_info
echo
echo "| input | command | median ms (this run) | min ms | median / fwrules | median / wc -l | peak RSS MiB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for input in "${inputs[@]}"; do
  file="$work/$input.txt"
  candidates=()
  for tool in "${tools[@]}"; do
    # iprange reads IPv4 only.
    [[ $input == v6-* && ${tool%%|*} == iprange ]] || candidates+=("$tool")
  done
  declare -A times=() medians=()
  time_alternately "${candidates[@]}"
  for tool in "${candidates[@]}"; do
    name=${tool%%|*}
    samples=$(tr ' ' '\n' <<<"${times[$name]}" | grep -v '^$')
    /usr/bin/time -o "$work/rss.txt" -f %M ${tool#*|} "$file" > "$work/out.txt" 2>/dev/null
    printf '| %s | %s | %.0f | %.0f | %.2f | %.2f | %.1f |\n' "$input" "$name" \
      "$(awk -v us="${medians[$name]}" 'BEGIN {print us / 1000}')" "$(sort -n <<<"$samples" | head -1 | awk '{print $1 / 1000}')" \
      "$(awk -v a="${medians[$name]}" -v b="${medians[$reference]}" 'BEGIN {print a / b}')" \
      "$(awk -v a="${medians[$name]}" -v b="${medians["wc -l"]}" 'BEGIN {print a / b}')" \
      "$(awk -v kb="$(cat "$work/rss.txt")" 'BEGIN {print kb / 1024}')"
  done
  unset times medians
  if [ "${BUSY:-}" = 1 ]; then
    # The other core held busy for the whole round: does the second thread ever cost more than it gives?
    declare -A times=() medians=()
    taskset -c 1 yes > /dev/null & hog=$!
    time_alternately "fwrules, other core busy|$work/sf/fwrules aggregate" "taskset -c 0 fwrules, other core busy|taskset -c 0 $work/sf/fwrules aggregate"
    kill "$hog"; wait "$hog" 2>/dev/null || true
    for name in "fwrules, other core busy" "taskset -c 0 fwrules, other core busy"; do
      printf '| %s | %s | %.0f | %.0f | %.2f | | |\n' "$input" "$name" "$(awk -v us="${medians[$name]}" 'BEGIN {print us / 1000}')" \
        "$(tr ' ' '\n' <<<"${times[$name]}" | grep -v '^$' | sort -n | head -1 | awk '{print $1 / 1000}')" \
        "$(awk -v a="${medians[$name]}" -v b="${medians["taskset -c 0 fwrules, other core busy"]}" 'BEGIN {print a / b}')"
    done
    unset times medians
  fi
  # The peers must agree on the answer, or the times compare different work.
  $work/sf/fwrules aggregate -q "$file" > "$work/ours.txt"
  if [ -x "$work/floor" ]; then
    "$work/floor" "$file" > "$work/theirs.txt"
    cmp -s "$work/theirs.txt" "$work/ours.txt" && echo "$input: the floor prints the same list" >&2 \
      || { echo "$input: the floor's list differs from ours:" >&2; diff "$work/ours.txt" "$work/theirs.txt" | head -4 >&2 || true; }
  fi
  if [ -n "${ipnet:-}" ]; then
    # Where they differ, the first lines that do (ipnet 2.5's aggregate drops 255.255.255.255 from a list that reaches it).
    "$ipnet" "$file" > "$work/theirs.txt"
    cmp -s "$work/theirs.txt" "$work/ours.txt" && echo "$input: ipnet prints the same list" >&2 \
      || { echo "$input: ipnet's list differs from ours:" >&2; diff "$work/ours.txt" "$work/theirs.txt" | head -4 >&2 || true; }
  fi
done
echo
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
