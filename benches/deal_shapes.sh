#!/usr/bin/env bash
# Instructions a deal for the shapes a batch meets besides the benchmark's compact lines
# (BENCHMARKS.md, "Issue 18: twenty-ninth session"): the first 500 jv deals as they are and
# reshaped (keys sorted, spaces after separators, non-ASCII names, escaped quotes, two keys the
# schema does not know, party stakes not adding up to 100%, near misses (every technology's
# `transfer` and every data item's `category` capitalised), one pretty-printed JSON file a deal,
# one block-style YAML file a deal), each checked against jv-baseline with callgrind
# (`--jobs 1`, `--format jsonl`) less the empty batch. Each shape is first checked natively:
# 500 reports, and for the shapes that change only how a deal is written, the verdicts of the
# compact lines.
#
#   benches/deal_shapes.sh [BINARY]        default: target/release/covenant
#
# Needs valgrind and python3; the jv deals as benches/counts.sh makes them (JV_DEALS).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${1:-$ROOT/target/release/covenant}")
BENCH=${BENCH:-/tmp/covenant-bench}
JV_DEALS=${JV_DEALS:-/tmp/jv2k.jsonl}
JV=$BENCH/jv-baseline.policy
[ -f "$JV_DEALS" ] || { echo "no $JV_DEALS: run benches/counts.sh first" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$JV_DEALS" "$WORK" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
deals = [json.loads(l) for l in open(src, encoding="utf-8").read().splitlines()[:500]]

def compact(d, **kw):
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"), **kw)

def lines(name, ds, show=compact):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for d in ds:
            f.write(show(d) + "\n")

def reshaped(change):
    ds = []
    for d in deals:
        d = json.loads(json.dumps(d))
        change(d)
        ds.append(d)
    return ds

def names(suffix):
    # A party renamed is renamed where a technology names it as its owner too, so that the
    # rules decide as on the compact lines.
    def change(d):
        for p in d.get("parties", []):
            p["name"] += suffix
        for t in d.get("technology", []):
            t["owner"] += suffix
    return change

def unknown_keys(d):
    d["internal_ref"] = "A-17"
    d["notes"] = "checked by the desk"

def stakes_off(d):
    if d.get("parties"):
        d["parties"][0]["stake"] = "1%"

def near_misses(d):
    for t in d.get("technology", []):
        t["transfer"] = t["transfer"].capitalize()
    for x in d.get("data", []):
        x["category"] = x["category"].capitalize()

def yaml_scalar(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return str(x)
    if x is None:
        return "null"
    if isinstance(x, list):
        return "[]"
    if isinstance(x, dict):
        return "{}"
    return json.dumps(x, ensure_ascii=False)

def yaml_block(v, indent=0):
    pad = "  " * indent
    rows = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                rows.append(f"{pad}{k}:")
                rows += yaml_block(x, indent + 1)
            else:
                rows.append(f"{pad}{k}: {yaml_scalar(x)}")
    else:
        for x in v:
            if isinstance(x, dict) and x:
                inner = yaml_block(x, indent + 1)
                inner[0] = pad + "- " + inner[0].lstrip()
                rows += inner
            else:
                rows.append(f"{pad}- {yaml_scalar(x)}")
    return rows

lines("compact.jsonl", deals)
lines("sorted-keys.jsonl", deals, lambda d: compact(d, sort_keys=True))
lines("spaced.jsonl", deals, lambda d: json.dumps(d, ensure_ascii=False))
lines("non-ascii-names.jsonl", reshaped(names(" 汽车有限公司")))
lines("escaped-quotes.jsonl", reshaped(names(' "Holdings"')))
lines("two-unknown-keys.jsonl", reshaped(unknown_keys))
lines("stakes-not-100.jsonl", reshaped(stakes_off))
lines("near-misses.jsonl", reshaped(near_misses))
for kind in ("pretty-json-files", "yaml-files"):
    os.makedirs(os.path.join(out, kind))
for i, d in enumerate(deals):
    with open(os.path.join(out, "pretty-json-files", f"d{i:04}.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(d, ensure_ascii=False, indent=2))
    with open(os.path.join(out, "yaml-files", f"d{i:04}.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(yaml_block(d)) + "\n")
PY

# The verdicts of a shape's reports, in input order (a run that finds a deal non-compliant
# exits 1).
verdicts() {
  { "$BIN" check -p "$JV" "$WORK/$1" --format jsonl 2> /dev/null || true; } \
    | python3 -c 'import json, sys; print(" ".join(json.loads(l)["verdict"] for l in sys.stdin))'
}
SHAPES="compact.jsonl sorted-keys.jsonl spaced.jsonl non-ascii-names.jsonl escaped-quotes.jsonl
  two-unknown-keys.jsonl stakes-not-100.jsonl near-misses.jsonl pretty-json-files yaml-files"
same_verdicts="sorted-keys.jsonl spaced.jsonl non-ascii-names.jsonl escaped-quotes.jsonl two-unknown-keys.jsonl pretty-json-files yaml-files"
compact=$(verdicts compact.jsonl)
for shape in $SHAPES; do
  got=$(verdicts "$shape")
  n=$(wc -w <<< "$got")
  [ "$n" -eq 500 ] || { echo "$shape: $n reports, not 500" >&2; exit 1; }
  if [[ " $same_verdicts " == *" $shape "* ]] && [ "$got" != "$compact" ]; then
    echo "$shape: verdicts differ from the compact lines'" >&2
    exit 1
  fi
done

source "$ROOT/benches/callgrind_total.sh"
: > "$WORK/empty.jsonl"
empty=$(total check -p "$JV" "$WORK/empty.jsonl" --format jsonl --jobs 1)
for shape in $SHAPES; do
  t=$(total check -p "$JV" "$WORK/$shape" --format jsonl --jobs 1)
  python3 -c "import sys; print(f'{sys.argv[1]:24} {(int(sys.argv[2]) - int(sys.argv[3])) / 500:>9,.0f}')" \
    "$shape" "$t" "$empty"
done
