#!/usr/bin/env bash
# Two covenant builds beside the serde_json floor and regorus RVM, in rounds (BENCHMARKS.md,
# "Side by side"): each round one `hyperfine -N` run of the four programs on the peers' data
# (benches/peers.sh sets it up in $BENCH), a table row of medians and ratios on standard
# output, each program's single runs on standard error (they show the machine's phases).
#
#   R=3 benches/rounds.sh OLD_BINARY NEW_BINARY > rows.md 2> runs.txt
#
# Drop the page cache and read both binaries once first (as benches/small_ab.sh does), so
# that neither is timed in the state its copy left it in.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-/tmp/covenant-bench}
POLICY=$ROOT/tests/differential/jv-baseline.policy
OLD=$(realpath "$1") NEW=$(realpath "$2")
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
for N in ${SIZES:-100000 10000}; do
  D=$BENCH/data/n$N
  runs=5; [ "$N" -lt 100000 ] && runs=10
  for r in $(seq "${R:-3}"); do
    hyperfine -N --warmup 1 --runs "$runs" --export-json "$DIR/$N-$r.json" \
      -n old "$OLD check -p $POLICY $D/deals.jsonl --format jsonl --jobs 0" \
      -n new "$NEW check -p $POLICY $D/deals.jsonl --format jsonl --jobs 0" \
      -n floor "$BENCH/floor/target/release/floor $D/deals.jsonl" \
      -n rvm "$BENCH/regorus-bench/target/release/regorus-bench --mode rvm $BENCH/jv.rego $D/twins.json" \
      -i > /dev/null 2>&1
    python3 - "$DIR/$N-$r.json" "$N" "$r" <<'PY'
import json, sys
d = {x['command']: x for x in json.load(open(sys.argv[1]))['results']}
m = {k: v['median'] * 1000 for k, v in d.items()}
n, r = int(sys.argv[2]), sys.argv[3]
print(f"| {n:,} | {r} | {m['old']:.1f} | {m['new']:.1f} | {m['floor']:.1f} | {m['rvm']:.1f} "
      f"| {m['floor'] / m['new']:.3f} | {m['rvm'] / m['new']:.2f} "
      f"| {m['floor'] / m['old']:.3f} | {m['rvm'] / m['old']:.2f} |")
runs = lambda k: ", ".join(f"{t * 1000:.0f}" for t in d[k]['times'])
print(f"{n:,} deals, round {r}: new: {runs('new')}; old: {runs('old')}; floor: {runs('floor')}",
      file=sys.stderr)
PY
  done
done
