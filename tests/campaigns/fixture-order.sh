#!/usr/bin/env bash
# No fixture depends on another: the fixtures of some test folders (default Sync and Aws) run one after another in an
# order shuffled from SEED, each in a test process of its own, and after each one what a run may leave behind
# (.ci/leftovers: network namespaces, tool processes, temporary folders) is compared with what was there before it:
# a fixture that fails in this order, or leaves anything behind, fails the script and is named. The run has its own
# TMPDIR and namespace prefix, and counts only what holds them (LEFTOVERS_MINE), so it may share the machine.
# NUnit's --seed orders tests, not fixtures; a filter per fixture, in the shuffled order, does.
# Usage (from the repository, after dotnet build -c Release):
#   tests/campaigns/fixture-order.sh SEED [FOLDER...]      e.g. tests/campaigns/fixture-order.sh 7 Sync Aws
set -uo pipefail
seed=${1:?seed}
shift
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(Sync Aws)
cd "$(dirname "$0")/../.." || exit 2

mapfile -t fixtures < <(for folder in "${folders[@]}"; do
  grep -l '^\[TestFixture' "tests/FirewallRules.Tests/$folder"/*.cs | xargs -n 1 basename | sed 's/\.cs$//'
done | python3 -c "import random, sys; names = sorted(sys.stdin.read().split()); random.Random($seed).shuffle(names); print(*names, sep='\n')")

export TMPDIR LEFTOVERS_MINE=1 FWRULES_TEST_NETNS_PREFIX="fo$seed-"
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/fixture-order-XXXXXX") || exit 2
chmod 755 "$TMPDIR" # mktemp's 700 would shut out the web servers' workers, which run as nobody or www-data: 403 to every request
before=$(mktemp -p /tmp)
.ci/leftovers | sort >"$before"
failed=0
start=$(date +%s)
echo "seed $seed: ${#fixtures[@]} fixtures of ${folders[*]}"
for fixture in "${fixtures[@]}"; do
  t0=$(date +%s)
  out=$(CI=true dotnet test tests/FirewallRules.Tests -c Release --no-build --filter "FullyQualifiedName~.$fixture." 2>&1)
  status=$?
  summary=$(grep -Eo '(Passed|Failed)!.*Total: +[0-9]+' <<<"$out" | tr -s ' ' | tail -n 1)
  sleep 1 # a process stopped at the fixture's end is gone within its grace period
  left=$(.ci/leftovers | sort | comm -13 "$before" -)
  printf '%-44s %5ss  %s\n' "$fixture" $(($(date +%s) - t0)) "${summary:-no summary (exit $status)}"
  if [ "$status" -ne 0 ]; then
    grep -E '^\s+Failed |Error Message' -A 2 <<<"$out" | head -n 12 | sed 's/^/    /'
    kept="/tmp/fixture-order-$seed-$fixture.txt" # the whole output: the lines above are cut
    printf '%s\n' "$out" >"$kept" && echo "    whole output: $kept"
    failed=$((failed + 1))
  fi
  if [ -n "$left" ]; then
    echo "    left behind:"; sed 's/^/      /' <<<"$left"
    failed=$((failed + 1))
    .ci/leftovers | sort >"$before" # named once, at the fixture that left it
  fi
done
rm -f "$before"
rmdir "$TMPDIR" 2>/dev/null
echo "seed $seed: ${#fixtures[@]} fixtures, $failed failed or left something behind, $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ]
