#!/usr/bin/env bash
# Outcomes against the reference evaluators (issue 18: "outcomes match the reference
# evaluator"), at benchmark sizes; CI checks 2,000 deals (tests/it/differential.rs,
# tests/it/baseline_v2.rs).
#
#   benches/reference.sh [COVENANT_BINARY] [JV_DEALS] [V2_DEALS]     # default 100000 10000
#
# jv-baseline: every outcome of the 12 rules against tests/differential/ref_eval.py.
# baseline-v2: the 12 rules against ref_eval.py on the deals' twins, the four v2 rules against
# the generator's exact expected-v2.json. Deals are generated with the fixed seeds in $DATA
# (default /tmp/covenant-reference). Exits 1 on any mismatch.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$(realpath "${1:-$ROOT/target/release/covenant}")
NJV=${2:-100000}
NV2=${3:-10000}
DATA=${DATA:-/tmp/covenant-reference}
JV=$DATA/jv-$NJV; V2=$DATA/v2-$NV2
[ -f "$JV/deals.jsonl" ] || python3 "$ROOT/tests/differential/gen.py" "$NJV" --no-yaml --out "$JV" > /dev/null
[ -f "$V2/deals.jsonl" ] || python3 "$ROOT/benches/baseline-v2/gen.py" "$NV2" --out "$V2" > /dev/null
"$B" check -p "$ROOT/tests/differential/jv-baseline.policy" "$JV/deals.jsonl" --format jsonl --deterministic > "$DATA/jv.out" || true
(cd "$ROOT/benches/baseline-v2" && "$B" check -p baseline-v2.policy "$V2/deals.jsonl" --format jsonl --deterministic > "$DATA/v2.out") || true
for out in "$DATA/jv.out" "$DATA/v2.out"; do
  [ -s "$out" ] || { echo "no report in $out: did $B run?" >&2; exit 1; }
done
python3 - "$ROOT" "$DATA" "$JV" "$V2" <<'PY'
import json, subprocess, sys
root, data, jv, v2 = sys.argv[1:]
V2_RULES = {"covered-state-votes", "bloc-profit", "state-cap", "foreign-debt"}

def outcomes(path):
    for line in open(path):
        if line.strip():
            d = json.loads(line)
            deal = int(d["path"].rsplit(":", 1)[1]) - 1
            for r in d.get("rules", []):
                yield {"deal": deal, "rule": r["id"], "outcome": r["outcome"]}

def against_ref(twins_json, results, label):
    path = f"{data}/{label.split()[0]}.results.json"
    json.dump(results, open(path, "w"))
    run = subprocess.run([sys.executable, f"{root}/tests/differential/ref_eval.py", twins_json,
                          "--check", path], capture_output=True, text=True)
    print(f"{label}: {run.stdout.strip()}")
    return run.returncode == 0 and " 0 mismatches" in run.stdout

ok = against_ref(f"{jv}/twins.json", list(outcomes(f"{data}/jv.out")), "jv-baseline")
got = list(outcomes(f"{data}/v2.out"))
twins = [json.loads(l) for l in open(f"{v2}/twins.jsonl") if l.strip()]
json.dump(twins, open(f"{data}/v2-twins.json", "w"))
ok &= against_ref(f"{data}/v2-twins.json", [o for o in got if o["rule"] not in V2_RULES],
                  "baseline-v2 (12 rules)")
expected = {(e["deal"], e["rule"]): e["outcome"] for e in json.load(open(f"{v2}/expected-v2.json"))}
mine = {(o["deal"], o["rule"]): o["outcome"] for o in got if o["rule"] in V2_RULES}
same = sum(1 for k, v in expected.items() if mine.get(k) == v)
print(f"baseline-v2 (4 v2 rules): {same}/{len(expected)} outcomes match expected-v2.json,"
      f" {len(mine) - same} other")
ok &= same == len(expected) == len(mine)
sys.exit(0 if ok else 1)
PY
