#!/usr/bin/env bash
# Instructions of one build, as the issue 18 sessions count them (callgrind, `--jobs 1`,
# `--format jsonl`): per deal, the first 2,000 jv deals of the peers' 10,000 and 1,000
# baseline-v2 deals, each less the same policy's empty batch; and at start, one YAML deal
# against examples/policies and the two empty batches. Then baseline-v2 against policies without
# its four v2 rules on its own deals (item 5 of issue 18 read on the same deals): jv-baseline,
# and its twelve rules over baseline-v2's schema (the policy cut before its first v2 rule).
#
#   benches/counts.sh [BINARY]        default: target/release/covenant
#
# Needs valgrind and python3. The jv deals are made as benches/peers.sh makes them (in $BENCH,
# default /tmp/covenant-bench, copied from ../shared/bench), the v2 deals by
# benches/baseline-v2/gen.py. Where they are kept counts: each report line holds the deal's
# path, so a longer path costs more instructions a deal (about 80 for 14 more bytes); the
# defaults, /tmp/jv2k.jsonl and /tmp/v2/deals.jsonl, are the sessions' own.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${1:-$ROOT/target/release/covenant}")
BENCH=${BENCH:-/tmp/covenant-bench}
SHARED=${SHARED:-$ROOT/../shared/bench}
JV_DEALS=${JV_DEALS:-/tmp/jv2k.jsonl}
V2_DEALS=${V2_DEALS:-/tmp/v2/deals.jsonl}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ ! -f "$JV_DEALS" ]; then
  if [ ! -d "$BENCH" ]; then cp -r "$SHARED" "$BENCH"; fi
  D=$BENCH/data/n10000/deals.jsonl
  [ -f "$D" ] || (cd "$BENCH" && python3 gen.py 10000 --no-yaml > /dev/null)
  head -n 2000 "$D" > "$JV_DEALS"
fi
if [ ! -f "$V2_DEALS" ]; then
  python3 benches/baseline-v2/gen.py 1000 --out "$(dirname "$V2_DEALS")" > /dev/null 2>&1
fi
: > "$WORK/empty.jsonl"

# `total ARGS…`: callgrind's total for one run of covenant with ARGS.
source "$ROOT/benches/callgrind_total.sh"

JV=$BENCH/jv-baseline.policy
V2=$ROOT/benches/baseline-v2/baseline-v2.policy
batch() { total check -p "$1" "$2" --format jsonl --jobs 1; }
jv=$(batch "$JV" "$JV_DEALS")
jv_empty=$(batch "$JV" "$WORK/empty.jsonl")
v2=$(batch "$V2" "$V2_DEALS")
v2_empty=$(batch "$V2" "$WORK/empty.jsonl")
small=$(total check -p examples/policies examples/deals/acme-dragon-51-49.yaml)

# The twelve rules of baseline-v2, beside its schema and rates so that it reads them.
V2_DIR=$(dirname "$V2")
cp "$V2_DIR/baseline-v2.schema.json" "$V2_DIR/fx-rates.csv" "$WORK/"
python3 - "$V2" "$WORK/twelve.policy" <<'PY'
import sys
text = open(sys.argv[1]).read()
marker = "let covered state"
assert marker in text, f"{sys.argv[1]} no longer has `{marker}` before its v2 rules"
open(sys.argv[2], "w").write(text[: text.index(marker)])
PY
twelve=$(batch "$WORK/twelve.policy" "$V2_DEALS")
twelve_empty=$(batch "$WORK/twelve.policy" "$WORK/empty.jsonl")
jv_on_v2=$(batch "$JV" "$V2_DEALS")

python3 - "$jv" "$jv_empty" "$v2" "$v2_empty" "$small" "$twelve" "$twelve_empty" "$jv_on_v2" <<'PY'
import sys
jv, jv_empty, v2, v2_empty, small, twelve, twelve_empty, jv_on_v2 = map(int, sys.argv[1:])
per_jv = (jv - jv_empty) / 2000
per_v2 = (v2 - v2_empty) / 1000
print(f"per deal: jv {per_jv:,.0f}, v2 {per_v2:,.0f}, v2 / jv {per_v2 / per_jv:.3f}")
print(f"at start: one small deal {small:,}, empty jv batch {jv_empty:,}, empty v2 batch {v2_empty:,}")
per_twelve = (twelve - twelve_empty) / 1000
per_jv_on_v2 = (jv_on_v2 - jv_empty) / 1000
print(
    f"on the v2 deals: the twelve rules over v2's schema {per_twelve:,.0f} (v2 / them "
    f"{per_v2 / per_twelve:.3f}), jv-baseline {per_jv_on_v2:,.0f} (v2 / it {per_v2 / per_jv_on_v2:.3f})"
)
PY
