#!/usr/bin/env bash
# Usage: benches/small_ab.sh OLD_BINARY NEW_BINARY check -p examples/policies examples/deals/acme-dragon-51-49.yaml
# Wall time of a short run (one small deal, `--version`) of two builds, with both binaries'
# page cache in the same state first. A short run's time is mostly the process starting and
# faulting its code in, and how many faults that takes depends on how the binary's file came
# into the page cache (written by the linker, copied, or read back): two byte-identical copies
# measured 3.47 and 4.23 ms median until the cache was dropped and both read again
# (BENCHMARKS.md, "Issue 18: eighth session"). So both are copied, the page cache is dropped
# (root; the whole machine's, so builds read their files again after) and both are read once;
# then one hyperfine run times each, RUNS runs (500) after 50 warm-ups.
set -euo pipefail
OLD=$1 NEW=$2; shift 2
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cp "$OLD" "$DIR/old"
cp "$NEW" "$DIR/new"
sync
if ! echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
  echo "small_ab: cannot drop the page cache (not root?): the figures may differ by how each file was cached" >&2
fi
cat "$DIR/old" "$DIR/new" > /dev/null
hyperfine -N --warmup 50 --runs "${RUNS:-500}" -i --export-json "$DIR/h.json" \
  "$DIR/old $*" "$DIR/new $*" > /dev/null
python3 - "$DIR/h.json" <<'PY'
import json, statistics, sys
for name, r in zip(("old", "new"), json.load(open(sys.argv[1]))["results"]):
    t = [1000 * x for x in r["times"]]
    print(f"{name}: median {statistics.median(t):.2f} ms, min {min(t):.2f} ms, mean {statistics.mean(t):.2f} ms")
PY
