#!/bin/sh
# The AWS account fault campaign, long: fwrules sync -f aws-sg against moto through the loopback fault proxy, one fault
# a run (error, slow calls, version conflict, SIGTERM, SIGINT, kill -9 at a random call, two runners at once), each run
# checked and followed by a clean run that must converge. Needs a Release build of the tests and moto on PATH.
#
#   tests/campaigns/aws-account-campaign.sh [SEED] [RUNS] [TIMEOUT]
#
# Defaults: seed 39, 500 runs, capped at 3h. Progress and the summary line go to aws-campaign-SEED.log.
set -eu
seed=${1:-39}
runs=${2:-500}
cap=${3:-3h}
here=$(cd "$(dirname "$0")/../.." && pwd)
log=${FWRULES_CAMPAIGN_LOG:-$PWD/aws-campaign-$seed.log}
echo "campaign seed=$seed runs=$runs cap=$cap log=$log"
FWRULES_CAMPAIGN_SEED=$seed FWRULES_CAMPAIGN_RUNS=$runs FWRULES_CAMPAIGN_LOG=$log \
  timeout --kill-after=30s "$cap" dotnet test "$here/tests/FirewallRules.Tests" -c Release --no-build \
  --filter "FullyQualifiedName~AwsCampaignTests.Campaign_LongRun"
tail -n 1 "$log"
