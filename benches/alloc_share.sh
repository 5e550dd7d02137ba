#!/usr/bin/env bash
# Usage: benches/alloc_share.sh target/release/covenant check -p tests/differential/jv-baseline.policy deals.jsonl --format jsonl --jobs 1
# Allocator share of a covenant run: self instructions in mimalloc / __rust_alloc functions
# over the total, from callgrind on a binary with symbols.
set -euo pipefail
BIN=$1; shift
OUT=$(mktemp)
trap 'rm -f "$OUT" "$OUT.txt"' EXIT
valgrind --tool=callgrind --callgrind-out-file=$OUT "$BIN" "$@" > /dev/null 2>&1 || true
callgrind_annotate --auto=no --inclusive=no --threshold=100 $OUT 2>/dev/null > $OUT.txt
python3 - "$OUT.txt" <<'PY'
import re, sys
total=None; alloc=0; xthread=0
for line in open(sys.argv[1]):
    m=re.match(r'\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+PROGRAM TOTALS', line)
    if m: total=int(m.group(1).replace(',',''))
    m=re.match(r'\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(\S.*)$', line)
    if m and 'PROGRAM TOTALS' not in line:
        n=int(m.group(1).replace(',','')); name=m.group(2)
        fn=name.split(':',1)[-1]
        if 'libmimalloc-sys' in name or re.search(r'\b_?mi_|mimalloc|__rust_alloc|__rust_dealloc|__rust_realloc|alloc::alloc::|__rdl_', fn):
            alloc+=n
            if re.search(r'mt|delayed|collect|abandon', fn): xthread+=n
print(f"total {total:,} allocator {alloc:,} ({100*alloc/total:.1f}%), of which cross-thread/delayed {xthread:,} ({100*xthread/total:.1f}%)")
PY
