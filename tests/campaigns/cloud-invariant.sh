#!/usr/bin/env bash
# The cloud admission invariant at any size: every address format outside Linux (AWS, Azure, GCP, Kubernetes, Cilium,
# Calico, Windows, the lists) read back into its target's evaluator admits exactly each drawn plan
# (tests/FirewallRules.Tests/Invariant/Cloud/AdmissionInvariantTests.cs).
# Usage (from the repository, after dotnet build -c Release):
#   tests/campaigns/cloud-invariant.sh FIRST_SEED SEEDS [PLANS_PER_SEED] [FORMAT]
# e.g. tests/campaigns/cloud-invariant.sh 1 50   (50 seeds of 6 plans, every format)
# Exits non-zero when any format fails. A failure names the seed, the format, the plan and the probes it answers otherwise, with the command that replays it.
set -euo pipefail
first=${1:?first seed}
seeds=${2:?seeds}
plans=${3:-6}
format=${4:-}
cd "$(dirname "$0")/../.."
filter="FullyQualifiedName~Invariant.Cloud.AdmissionInvariantTests"
[ -z "$format" ] || filter="$filter&Name~$format"
FWRULES_INVARIANT_SEED=$first FWRULES_INVARIANT_SEEDS=$seeds FWRULES_INVARIANT_PLANS=$plans CI=true \
  dotnet test tests/FirewallRules.Tests -c Release --no-build --filter "$filter" \
  --logger "console;verbosity=normal" 2>&1 | { grep -E "seeds |admits other|^  (seed|plan|  )|Passed|Failed|Total" || true; }
