#!/usr/bin/env bash
# Breaks each guarded rule on purpose and shows that its proof notices: every tests/mutations/*.patch (or the patches
# given) is applied to a scratch copy of HEAD, which is built, and the tests the patch names on its "# test:" line are run
# (CI=true). A patch whose tests still pass is MISSED: the proof cannot fail on the fault it guards.
#
#   tests/mutations/run.sh                                 # every patch
#   tests/mutations/run.sh tests/mutations/squid-*.patch   # some
#
# Each patch starts with "# rule: what it breaks" and "# test: an NUnit filter" (and, for a guard of the threat model in
# docs/guides/security-model.md, "# row: the input it trusts"); the rest is a git diff. Prints one
# line per patch (caught/MISSED, seconds, the first failing test) and exits 1 when any was missed or did not apply.
set -uo pipefail
root=$(git rev-parse --show-toplevel) || exit 2
cd "$root" || exit 2
patches=("$@")
[ ${#patches[@]} -gt 0 ] || patches=(tests/mutations/*.patch)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/fwrules-mutations-XXXXXX")
tree="$scratch/tree"
git worktree add -q --detach "$tree" HEAD || exit 2
cleanup() { git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1; rm -rf "$scratch"; }
trap cleanup EXIT
# The tests' Node.js packages (.ci/run installs them into .tools/, which git does not track): the repository's, else every test
# that reads an output with them (HashiCorp's HCL parser, the CloudFormation schemas) fails for the tool, not for the patch.
[ -e "$root/.tools" ] && ln -s "$root/.tools" "$tree/.tools"

missed=0
printf '%-34s %-8s %6s  %s\n' patch result seconds "failing test (or why)"
for patch in "${patches[@]}"; do
  name=$(basename "$patch" .patch)
  filter=$(sed -n 's/^# test: //p' "$patch" | head -n 1)
  git -C "$tree" checkout -q -- . 2>/dev/null
  if ! git -C "$tree" apply "$root/$patch" 2>"$scratch/apply.log"; then
    printf '%-34s %-8s %6s  %s\n' "$name" MISSED - "does not apply: $(head -n 1 "$scratch/apply.log")"
    missed=$((missed + 1))
    continue
  fi

  start=$(date +%s)
  # No native fwrules (its publish is the slow half of a build): the tests start the framework-dependent one, of the same code.
  if ! (cd "$tree" && SkipNativeTool=true dotnet build -c Release tests/FirewallRules.Tests >"$scratch/build.log" 2>&1); then
    printf '%-34s %-8s %6s  %s\n' "$name" MISSED - "does not build: $(grep -m 1 -o 'error [A-Z0-9]*:.*' "$scratch/build.log")"
    missed=$((missed + 1))
    continue
  fi

  (cd "$tree" && SkipNativeTool=true CI=true dotnet test -c Release --no-build tests/FirewallRules.Tests --filter "$filter" >"$scratch/test.log" 2>&1)
  status=$?
  seconds=$(($(date +%s) - start))
  failing=$(grep -m 1 -oE '^\s+Failed [^ ]+' "$scratch/test.log" | sed 's/^ *Failed //')
  if grep -q 'An error occurred trying to start process' "$scratch/test.log"; then
    # A test that could not start its tool proves nothing about the patch.
    printf '%-34s %-8s %6s  %s\n' "$name" MISSED "$seconds" "a tool did not start: $(grep -m 1 -o "trying to start process '[^']*'" "$scratch/test.log")"
    missed=$((missed + 1))
  elif grep -qE 'CI=true requires it|CI must run them' "$scratch/test.log"; then
    # Nor does a test that failed for a tool it did not find (ExternalTool.Missing, LinuxTools.Require under CI=true).
    printf '%-34s %-8s %6s  %s\n' "$name" MISSED "$seconds" "a tool is missing: $(grep -m 1 -oE '[^ ].*(CI=true requires it|CI must run them)' "$scratch/test.log")"
    missed=$((missed + 1))
  elif [ "$status" -ne 0 ] && [ -n "$failing" ]; then
    printf '%-34s %-8s %6s  %s\n' "$name" caught "$seconds" "$failing"
  else
    printf '%-34s %-8s %6s  %s\n' "$name" MISSED "$seconds" "no test of '$filter' failed"
    missed=$((missed + 1))
  fi
done

git -C "$tree" checkout -q -- . 2>/dev/null
[ "$missed" -eq 0 ]
