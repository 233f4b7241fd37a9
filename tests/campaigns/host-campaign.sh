#!/bin/sh
# The host fault campaign at any size: random events over nftables, nftables-strict and iptables-ipset-script in
# throwaway network namespaces, with real connections after each (tests/FirewallRules.Tests/Sync/HostCampaign.cs).
# Usage (root, from the repository, after dotnet build -c Release):
#   tests/campaigns/host-campaign.sh SEED EVENTS_PER_FORMAT [MAX_SECONDS] [TEST_DLL] [FORMAT]
# e.g. tests/campaigns/host-campaign.sh 7 700 5400   (2,100 events, at most 90 minutes)
# The three formats play at once (a check's drops are waits, which another format's sync fills), each on a host of its
# own: each stops after the event under way once MAX_SECONDS less two minutes is spent, so the summary lines (events,
# connections, lapses per format) always come. Each event is appended to the file named by FWRULES_CAMPAIGN_LOG when set,
# with where its time went (the syncs, the connection checks). TEST_DLL runs a copy of the built tests (so the tree can be
# rebuilt meanwhile). FORMAT plays that format alone.
# Every parameter (sections, versions, prefixes changed, shrinks, clock offsets, kill timing) comes from the seed and the
# format. A campaign stops after the event of its first lapse and prints the seed, the event index and the command that
# replays it (FWRULES_CAMPAIGN_UNTIL=INDEX with the same seed, format and events).
set -eu
seed=${1:?seed}
events=${2:?events per format}
limit=${3:-7200}
target=${4:-tests/FirewallRules.Tests}
format=${5:-}
cd "$(dirname "$0")/../.."
case "$target" in *.dll) build="" ;; *) build="-c Release --no-build" ;; esac
budget=$(( limit - 120 ))
[ "$budget" -gt 30 ] || budget=30
FWRULES_CAMPAIGN_FORMATS=$format FWRULES_CAMPAIGN_SEED=$seed FWRULES_CAMPAIGN_EVENTS=$events FWRULES_CAMPAIGN_SECONDS=$budget \
  timeout --kill-after=30 "$limit" \
  dotnet test "$target" $build --filter "FullyQualifiedName~HostCampaignTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "campaign |lapses:|LAPSE|^  |Passed|Failed|Skipped|Total" || true
