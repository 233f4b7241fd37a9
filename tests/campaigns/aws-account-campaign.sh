#!/bin/sh
# The AWS account fault campaign, long: fwrules sync -f aws-sg against moto through the loopback fault proxy, one fault
# a run (error, slow calls, version conflict, SIGTERM, SIGINT, kill -9 at a random call, two runners at once), each run
# checked and followed by a clean run that must converge. Needs a Release build of the tests and moto on PATH.
#
#   tests/campaigns/aws-account-campaign.sh [SEED] [RUNS] [TIMEOUT] [TEST_DLL]
#
# Defaults: seed 39, 500 runs, capped at 3h. Progress (each run with its seconds) and the summary line go to
# aws-campaign-SEED.log. TEST_DLL runs a copy of the built tests (so the tree can be rebuilt meanwhile), e.g.
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
