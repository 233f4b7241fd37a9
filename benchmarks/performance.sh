#!/usr/bin/env bash
# The Performance guide's table (docs/guides/performance.md), from one run of whole-process.sh (1M and 10M dense IPv4, random IPv4, random
# IPv6: fwrules against `wc -l`, a Native AOT hello world, benchmarks/floor and the peers, alternately, then with the other core busy) and startup.sh.
# Writes both scripts' full Markdown to artifacts/performance/run.md and the table to artifacts/performance/table.md;
# with --readme, also puts the table into docs/guides/performance.md between its performance markers.
# Usage: benchmarks/performance.sh [RUNS [--readme]]   (RUNS defaults to 15; SKIP_PUBLISH=1 reuses the last builds)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-15}
work=artifacts/performance
mkdir -p "$work"
BUSY=1 benchmarks/whole-process.sh "$runs" v4dense-1m v4-1m v6-1m v4dense-10m v4-10m v6-10m | tee "$work/whole-process.md"
SKIP_PUBLISH=${SKIP_PUBLISH:-} benchmarks/startup.sh "$((runs * 2))" | tee "$work/startup.md"
{ echo "## BUSY=1 benchmarks/whole-process.sh $runs v4dense-1m v4-1m v6-1m v4dense-10m v4-10m v6-10m"; echo; cat "$work/whole-process.md"
  echo; echo "## benchmarks/startup.sh $((runs * 2))"; echo; cat "$work/startup.md"; } > "$work/run.md"

python3 - "$work/whole-process.md" "$work/startup.md" > "$work/table.md" <<'PY'
import re, sys
whole, startup = (open(p).read() for p in sys.argv[1:3])
rows = {}
for line in whole.splitlines():
    cells = [c.strip() for c in line.strip('|').split('|')]
    if len(cells) == 7 and cells[0].split('-')[0] in ('v4dense', 'v4', 'v6'):
        rows[(cells[0], cells[1])] = cells
inputs = [('v4dense-1m', '1M dense IPv4'), ('v4-1m', '1M random IPv4'), ('v6-1m', '1M random IPv6'),
          ('v4dense-10m', '10M dense IPv4'), ('v4-10m', '10M random IPv4'), ('v6-10m', '10M random IPv6')]
info = [l[2:] for l in whole.splitlines() if l.startswith('- ')]

def cell(key, name, column, fmt):
    row = rows.get((key, name))
    return fmt.format(float(row[column])) if row else 'not measured'

def ratio_to_fwrules(key, name):
    # median / fwrules: how many times fwrules' time the command took
    return cell(key, name, 4, '{:.2f}×')

print('| ' + ' | '.join(['whole process, output to a file'] + [i[1] for i in inputs]) + ' |')
print('| --- |' + ' ---: |' * len(inputs))
print('| `fwrules aggregate` (Native AOT) against `wc -l` on the same file (target ≤ 4× dense IPv4, ≤ 3× random IPv4, ≤ 4× IPv6) | '
      + ' | '.join(cell(k, 'fwrules', 5, '{:.1f}×') for k, _ in inputs) + ' |')
print('| ... with the other core held busy (`taskset -c 1 yes`), against one core (`taskset -c 0`) at the same time (target ≤ 1.00×) | '
      + ' | '.join(cell(k, 'fwrules, other core busy', 4, '{:.2f}×') for k, _ in inputs) + ' |')
print('| ... against a Native AOT hello world (start and exit only) | '
      + ' | '.join('{:.1f}×'.format(float(rows[(k, 'fwrules')][2]) / float(rows[(k, 'hello world (Native AOT)')][2]))
                   if (k, 'hello world (Native AOT)') in rows and (k, 'fwrules') in rows else 'not measured' for k, _ in inputs) + ' |')
print('| benchmarks/floor (C: parse, radix sort, merge, print; the least any aggregator must do) against `wc -l` | '
      + ' | '.join(cell(k, 'floor (C)', 5, '{:.1f}×') for k, _ in inputs) + ' |')
print('| `fwrules aggregate` against benchmarks/floor | '
      + ' | '.join('{:.2f}×'.format(1 / float(rows[(k, 'floor (C)')][4])) if (k, 'floor (C)') in rows else 'not measured'
                   for k, _ in inputs) + ' |')
for name, label in [('iprange', "firehol's `iprange`, time against fwrules'"), ('ipnet (Rust)', "Rust's `ipnet`, time against fwrules'"),
                    ('fwrules --max 60', '`fwrules aggregate --max 60` against plain `aggregate`'),
                    ('fwrules (dll)', '`dotnet fwrules.dll` (framework-dependent) against the Native AOT binary')]:
    print(f'| {label} | ' + ' | '.join(ratio_to_fwrules(k, name) if not (name == 'iprange' and k.startswith('v6')) else '(IPv4 only)'
                                      for k, _ in inputs) + ' |')
print('| `fwrules aggregate` on this run, median ms / peak RSS MiB | '
      + ' | '.join(f"{rows[(k, 'fwrules')][2]} ms / {rows[(k, 'fwrules')][6]} MiB" if (k, 'fwrules') in rows else 'not measured' for k, _ in inputs) + ' |')

# startup.sh: hyperfine's table, mean times; generate against the Native AOT hello world
means = {}
for line in startup.splitlines():
    cells = [c.strip() for c in line.strip('|').split('|')]
    m = re.match(r'([\d.]+) ±', cells[1]) if len(cells) > 2 else None
    if m:
        means[cells[0].strip('`')] = float(m.group(1))
generate = next((v for k, v in means.items() if 'generate' in k and 'ReadyToRun' not in k), None)
hello = means.get('hello world (Native AOT)')
if generate and hello:
    print()
    print(f'`fwrules generate --section logs --format nftables` (Native AOT) starts, writes and exits in {generate / hello:.1f}× the time of a '
          f'Native AOT hello world ({generate:.1f} ms on this run, hyperfine).')
print()
print('Measured in one run: ' + '; '.join(info) + '. Absolute times hold for that run only; the ratios carry over. '
      'Full tables: `artifacts/performance/run.md` from `benchmarks/performance.sh`.')
PY
cat "$work/table.md"
if [ "${2:-}" = --readme ]; then
  python3 - docs/guides/performance.md "$work/table.md" <<'PY'
import sys
readme, table = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
start, end = '<!-- performance-table: begin (benchmarks/performance.sh --readme writes this) -->\n', '<!-- performance-table: end -->'
before, rest = text.split(start, 1)
_, after = rest.split(end, 1)
open(readme, 'w').write(before + start + table + end + after)
PY
  echo "docs/guides/performance.md: Performance table replaced" >&2
fi
