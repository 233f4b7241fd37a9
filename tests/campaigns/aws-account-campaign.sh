#!/bin/sh
# The AWS account fault campaign, long: fwrules sync against moto through the loopback fault proxy (MotoPrefixListProxy:
# moto 5.2.1 neither checks a modify's version nor restores a version, so the proxy answers those as AWS does). The seed
# draws the lanes (format aws-sg or aws-prefix-list, sections, IPv4 or both families, entries per list, keep period; three
# lanes from 100 runs on) and each run: its lane's next document, the fault (an error on a call, slow calls, a version
# conflict, SIGTERM, SIGINT or kill -9 after a call, SIGTERM while a modify is in flight, two runners forced to overlap),
# the runners, the call, the delays. After each run every list and group is read back and checked list by list, then a
# clean run must converge to exactly the model (grace record included). Needs a Release build of the tests and moto on PATH.
#
#   tests/campaigns/aws-account-campaign.sh [SEED] [RUNS] [TIMEOUT] [TEST_DLL]
#
# Defaults: seed 39, 500 runs, capped at 3h. Progress (each run with its seconds, and cut=: how many prefixes its lane had
# removed early because the grace record was full) and the summary line go to
# aws-campaign-SEED.log. The campaign stops at the first run with a violation and prints the command that replays it:
# FWRULES_CAMPAIGN_UNTIL=RUN stops after that run, FWRULES_CAMPAIGN_DEALT=1 deals the faults from a deck as the suite's
# run does (replay the suite's run with FWRULES_CAMPAIGN_DEALT=1 ... aws-account-campaign.sh 3901 45).
# TEST_DLL runs a copy of the built tests (so the tree can be rebuilt meanwhile), e.g.
#   cp -a tests/FirewallRules.Tests/bin/Release/net10.0 /tmp/aws-campaign-bin
#   nice -n 10 tests/campaigns/aws-account-campaign.sh 39 500 3h /tmp/aws-campaign-bin/FirewallRules.Tests.dll
set -eu
seed=${1:-39}
runs=${2:-500}
cap=${3:-3h}
here=$(cd "$(dirname "$0")/../.." && pwd)
target=${4:-$here/tests/FirewallRules.Tests}
case "$target" in *.dll) build="" ;; *) build="-c Release --no-build" ;; esac
log=${FWRULES_CAMPAIGN_LOG:-$PWD/aws-campaign-$seed.log}
echo "campaign seed=$seed runs=$runs cap=$cap log=$log target=$target"
rc=0
# shellcheck disable=SC2086 # $build is two words or none
FWRULES_CAMPAIGN_SEED=$seed FWRULES_CAMPAIGN_RUNS=$runs FWRULES_CAMPAIGN_LOG=$log \
  timeout --kill-after=30s "$cap" dotnet test "$target" $build \
  --filter "FullyQualifiedName~AwsCampaignTests.Campaign_LongRun" || rc=$?
tail -n 1 "$log"
exit "$rc"
