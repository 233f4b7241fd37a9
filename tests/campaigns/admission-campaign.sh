#!/bin/sh
# The admission invariant at any size: SEEDS seeds from FIRST_SEED, each drawing four plans (sections of the embedded snapshot and of a
# real document, an agent configuration over each) and their probes around and outside them, every Linux output loaded into a
# throwaway namespace's kernel and compared with the plan (tests/FirewallRules.Tests/Invariant/KernelAdmitsThePlanTests.cs).
# Usage (root, from the repository, after dotnet build -c Release):
#   tests/campaigns/admission-campaign.sh FIRST_SEED SEEDS [MAX_SECONDS] [TEST_DLL] [OUTPUTS]
# e.g. tests/campaigns/admission-campaign.sh 1 200 3600   (200 seeds, 800 plans, each through the seven outputs, at most an hour)
# MAX_SECONDS is shared by the outputs: each stops after the seed under way once its share is spent, so the summary lines (seeds,
# plans, probes, violations per output) always come. OUTPUTS (comma-separated: nftables, nftables-strict, nftables-chain, iptables,
# ipset, iptables-script, iptables-ipset-script; FWRULES_ADMISSION_OUTPUTS when set) plays those alone. FWRULES_ADMISSION_SAMPLE sets
# the networks probed per rule and family (every one by default). TEST_DLL runs a copy of the built tests (so the tree can be rebuilt meanwhile). A
# violation fails with the seed, the plan, each probe that differs (expected and seen) and the line that replays it.
set -eu
first=${1:?first seed}
seeds=${2:?number of seeds}
limit=${3:-7200}
target=${4:-tests/FirewallRules.Tests}
outputs=${5:-${FWRULES_ADMISSION_OUTPUTS:-}}
cd "$(dirname "$0")/../.."
case "$target" in *.dll) build="" ;; *) build="-c Release --no-build" ;; esac
if [ -n "$outputs" ]; then share=$(echo "$outputs" | tr ',' '\n' | grep -c .); else share=7; fi
budget=$(( (limit - 120) / share ))
[ "$budget" -gt 30 ] || budget=30
FWRULES_ADMISSION_SEED=$first FWRULES_ADMISSION_SEEDS=$seeds FWRULES_ADMISSION_SECONDS=$budget FWRULES_ADMISSION_OUTPUTS=$outputs \
  FWRULES_TEST_NETNS_PREFIX=${FWRULES_TEST_NETNS_PREFIX:-fwr-adm-} CI=true \
  timeout --kill-after=30 "$limit" \
  dotnet test "$target" $build --filter "FullyQualifiedName~KernelAdmitsThePlanTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "^ *admission |^ *seed [0-9]+ plan|probes differ|expected .*, seen|replay:|Passed|Failed|Skipped|Total" || true
