#!/usr/bin/env bash
# Checks that two builds of `fwrules aggregate` agree byte for byte: the output and the summary on the generated 1M
# inputs (dense and random IPv4, random IPv6, the three with CRLF line ends and a byte order mark, a mix of both
# families with and without a last newline), and the exit code and message for bad lines at the start, the end, the
# middle and the lines around the cut where a file is read in two halves (the first line after the middle).
# Usage: benchmarks/compare-outputs.sh BASE_BINARY NEW_BINARY [WORK_DIR]   (inputs from whole-process.sh's folder)
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1 new=$2 work=${3:-artifacts/compare-outputs}
inputs=artifacts/whole-process
mkdir -p "$work"
for input in v4dense-1m v4-1m v6-1m; do
  [ -s "$inputs/$input.txt" ] || { echo "missing $inputs/$input.txt: run benchmarks/whole-process.sh first" >&2; exit 2; }
done
python3 - "$inputs" "$work" <<'PY'
import random, sys
inputs, work = sys.argv[1:3]
for name in ('v4dense-1m', 'v4-1m', 'v6-1m'):
    data = open(f'{inputs}/{name}.txt', 'rb').read()
    lines = data.split(b'\n')
    cut = data[:data.index(b'\n', len(data) // 2) + 1].count(b'\n') + 1  # the first line of the second half
    for at, bad in [(1, b'10.0.0.0/33'), (cut - 1, b'1.2.3.4/8'), (cut, b'  300.1.1.1'), (cut + 1, b'2001:DB8::/32'),
                    (len(lines) - 1, b'x'), (777777, b'10.0.0.0/24 junk')]:
        changed = list(lines)
        changed[at - 1] = bad
        open(f'{work}/{name}-bad-{at}.txt', 'wb').write(b'\n'.join(changed))
    crlf = [line + b'\r' if i % 2 else line for i, line in enumerate(lines[:-1])]
    open(f'{work}/{name}-crlf-bom.txt', 'wb').write(b'\xef\xbb\xbf# head\n' + b'\n'.join(crlf) + b'\n')
v4 = open(f'{inputs}/v4-1m.txt', 'rb').read().split(b'\n')[:400000]
v6 = open(f'{inputs}/v6-1m.txt', 'rb').read().split(b'\n')[:400000]
mixed = v4 + v6
random.Random(1).shuffle(mixed)
open(f'{work}/mixed.txt', 'wb').write(b'\n'.join(mixed) + b'\n')
open(f'{work}/mixed-no-last-newline.txt', 'wb').write(b'\n'.join(mixed))
PY
failures=0
for file in "$inputs"/v4dense-1m.txt "$inputs"/v4-1m.txt "$inputs"/v6-1m.txt "$work"/*.txt; do
  [[ $file == */out-* ]] && continue
  set +e
  "$base" aggregate "$file" -o "$work/out-base" 2> "$work/err-base"; base_status=$?
  "$new" aggregate "$file" -o "$work/out-new" 2> "$work/err-new"; new_status=$?
  set -e
  if [ "$base_status" = "$new_status" ] && cmp -s "$work/err-base" "$work/err-new" \
    && { [ "$base_status" != 0 ] || cmp -s "$work/out-base" "$work/out-new"; }; then
    echo "same (exit $new_status): $file: $(head -c 100 "$work/err-new")"
  else
    echo "DIFFERENT: $file (exit $base_status / $new_status)"
    failures=$((failures + 1))
  fi
  rm -f "$work/out-base" "$work/out-new"
done
[ "$failures" = 0 ] && echo "all the same" || { echo "$failures differ"; exit 1; }
