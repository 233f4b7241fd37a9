#!/bin/sh
# The host fault campaign at any size: random events over nftables, nftables-strict and iptables-ipset-script in
# throwaway network namespaces, with real connections after each (tests/FirewallRules.Tests/Sync/HostCampaign.cs).
# Usage (root, from the repository, after dotnet build -c Release):
#   tests/campaigns/host-campaign.sh SEED EVENTS_PER_FORMAT [MAX_SECONDS]
# e.g. tests/campaigns/host-campaign.sh 7 700 5400   (2,100 events, at most 90 minutes)
# A lapse fails with the seed and the event list that reproduces it; the summary lines give events, connections, lapses.
set -eu
seed=${1:?seed}
events=${2:?events per format}
limit=${3:-7200}
cd "$(dirname "$0")/../.."
FWRULES_CAMPAIGN_SEED=$seed FWRULES_CAMPAIGN_EVENTS=$events timeout --kill-after=30 "$limit" \
  dotnet test tests/FirewallRules.Tests -c Release --no-build --filter "FullyQualifiedName~HostCampaignTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "campaign |lapses:|^  |Passed|Failed|Total" || true
