#!/usr/bin/env bash
# Usage: benches/fx_rows.sh OLD_BINARY NEW_BINARY [ROWS_PER_DAY]
# The start of a policy whose rate file is as long as a central bank's whole history: the
# baseline-v2 policy with its `fx` file replaced by one row per currency (32, or ROWS_PER_DAY)
# for every weekday from 1999-01-04 to 2026-12-01 (233,025 rows, 6.6 MB: the size of the ECB's
# reference rates since the euro began, written as rows), and one baseline-v2 deal. Prints each
# build's wall time (hyperfine -N, 40 runs), peak memory and page faults (/usr/bin/time), and
# checks that both give the same report on 1,000 deals. The file is over the default
# --max-policy-size (4 MiB), so the runs pass --max-policy-size 16M.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=$(realpath "$1") NEW=$(realpath "$2") PER_DAY=${3:-32}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cp "$ROOT"/benches/baseline-v2/baseline-v2.policy "$ROOT"/benches/baseline-v2/baseline-v2.schema.json "$DIR/"
python3 - "$DIR/fx-rates.csv" "$PER_DAY" <<'PY'
import datetime, random, sys
random.seed(7)
codes = ["USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK",
         "NOK", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN",
         "MYR", "NZD", "PHP", "SGD", "THB", "ZAR", "RUB", "HRK"][: int(sys.argv[2])]
day, end = datetime.date(1999, 1, 4), datetime.date(2026, 12, 1)
rows = ["date,base,quote,rate"]
while day <= end:
    if day.weekday() < 5:
        rows += [f"{day.isoformat()},EUR,{c},{random.uniform(0.5, 1500):.4f}" for c in codes]
    day += datetime.timedelta(days=1)
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
print(f"{len(rows) - 1} rows")
PY
DEALS=${V2_DEALS:-/tmp/v2/deals.jsonl}
if [ ! -f "$DEALS" ]; then
  python3 "$ROOT"/benches/baseline-v2/gen.py 1000 --out "$(dirname "$DEALS")" > /dev/null 2>&1
fi
head -n 1 "$DEALS" > "$DIR/one.jsonl"
run() { echo "$1 check --max-policy-size 16M -p $DIR/baseline-v2.policy $2 --format jsonl"; }
for side in OLD NEW; do
  bin=$OLD; [ "$side" = NEW ] && bin=$NEW
  /usr/bin/time -f "$side: peak %M KiB, %R page faults" $(run "$bin" "$DIR/one.jsonl") > /dev/null 2> "$DIR/time" || true
  tail -n 1 "$DIR/time"
done
hyperfine -N -i --warmup 3 --runs 40 "$(run "$OLD" "$DIR/one.jsonl")" "$(run "$NEW" "$DIR/one.jsonl")" 2>&1 |
  grep -E "Time \(mean"
if cmp -s <($(run "$OLD" "$DEALS") | sed 's/"evaluated_at":"[^"]*"//') <($(run "$NEW" "$DEALS") | sed 's/"evaluated_at":"[^"]*"//'); then
  echo "the same report on $(wc -l < "$DEALS") deals"
else
  echo "REPORTS DIFFER on $DEALS" >&2
  exit 1
fi
