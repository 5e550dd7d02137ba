#!/usr/bin/env bash
# Usage: benches/fn_diff.sh OLD_BINARY NEW_BINARY check -p tests/differential/jv-baseline.policy deals.jsonl --format jsonl --jobs 1
# Where two builds differ in instructions: callgrind's self instructions of each function in
# each build, the differences sorted (the largest falls first, the largest rises last), and
# the totals. Inlining moves cost between functions, so read a pair of lines together (a
# function gone and its caller grown).
set -euo pipefail
OLD=$1 NEW=$2; shift 2
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
for side in old new; do
  bin=$OLD; [ "$side" = new ] && bin=$NEW
  valgrind --tool=callgrind --callgrind-out-file="$DIR/$side.cg" "$bin" "$@" > /dev/null 2>&1 || true
  callgrind_annotate --auto=no --inclusive=no --threshold=100 "$DIR/$side.cg" 2>/dev/null > "$DIR/$side.txt"
done
python3 - "$DIR/old.txt" "$DIR/new.txt" "${SHOWN:-20}" <<'PY'
import re, sys
def load(path):
    out = {}
    for line in open(path):
        m = re.match(r'\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(\S.*?)(?: \[.*\])?$', line)
        if m:
            name = m.group(2).replace('???:', '')
            out[name] = out.get(name, 0) + int(m.group(1).replace(',', ''))
    return out
old, new, shown = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
rows = sorted((new.get(k, 0) - old.get(k, 0), k) for k in set(old) | set(new) if k != 'PROGRAM TOTALS')
for d, k in rows[:shown] + [(None, '...')] + rows[-shown:]:
    print('...' if d is None else f'{d:>+14,}  {k[:120]}')
t0, t1 = old.get('PROGRAM TOTALS', 0), new.get('PROGRAM TOTALS', 0)
print(f'total {t0:,} -> {t1:,} ({t1 - t0:+,})')
PY
