#!/usr/bin/env bash
# Two builds of `fwrules serve` under the same load, alternately, in one run: load.sh (wrk, load.lua's mix of JSON, list
# and rule requests) on BEFORE, then AFTER, ROUNDS times; prints each round's wrk line, peak RSS and load average.
# Usage: benchmarks/serve/compare.sh BEFORE_DLL_DIR AFTER_DLL_DIR [ROUNDS [CONNECTIONS [SECONDS]]]
set -euo pipefail
cd "$(dirname "$0")/../.."
before=$1
after=$2
rounds=${3:-2}
connections=${4:-100}
seconds=${5:-20}
for round in $(seq "$rounds"); do
  for build in before after; do
    dir=$before
    [ "$build" = after ] && dir=$after
    out=$(benchmarks/serve/load.sh "$connections" "$seconds" "$dir" 2>&1)
    echo "round $round $build: $(grep '^requests ' <<<"$out")"
    echo "round $round $build: $(grep -E '^(mirror RSS MiB: peak|mirror peak|load average)' <<<"$out" | cut -c1-60 | tr '\n' ';')"
  done
done
