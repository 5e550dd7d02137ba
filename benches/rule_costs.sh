#!/usr/bin/env bash
# What each rule of a policy costs (BENCHMARKS.md, "What each rule costs"): the policy cut into
# one policy per rule, each keeping the header and every `let` and `define`, and one with a
# trivial rule instead; each checked over DEALS under callgrind (`--jobs 1`), less the same
# policy's empty batch, per deal. Prints a markdown table, the dearest rule first: a rule's
# instructions a deal, and the same less the trivial rule's (`count of parties >= 0`: start,
# loading, the report line).
#
#   benches/rule_costs.sh POLICY DEALS.jsonl [BINARY]     # BINARY: target/release/covenant
#
# Top-level items are found at the start of a line (`rule`, `let`, `define`, `use`); a file
# the policy names (a schema, rates, a calendar) is found beside it, as the policy's folder is
# copied whole.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
POLICY=$(realpath "$1") DEALS=$(realpath "$2")
BIN=$(realpath "${3:-$ROOT/target/release/covenant}")
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cp -r "$(dirname "$POLICY")"/. "$DIR/"
rm -f "$DIR"/*.policy
: > "$DIR/empty.jsonl"
python3 - "$POLICY" "$DIR" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
items = re.split(r'\n(?=(?:rule|let|define|use)\b)', text)
head, rest = items[0], items[1:]
if re.match(r'(rule|let|define|use)\b', head):
    head, rest = '', items
keep = [i for i in rest if not i.startswith('rule')]
rules = [i for i in rest if i.startswith('rule')]
common = head.rstrip('\n') + '\n\n' + '\n'.join(k.rstrip('\n') + '\n' for k in keep)
with open(f'{sys.argv[2]}/0-trivial.policy', 'w') as f:
    f.write(common + '\nrule trivial-rule: count of parties >= 0\n')
for r in rules:
    name = re.match(r'rule\s+([a-z][a-z0-9-]*)', r).group(1)
    with open(f'{sys.argv[2]}/{name}.policy', 'w') as f:
        f.write(common + '\n' + r.rstrip('\n') + '\n')
PY
# A check exits 1 on a failing deal and 2 on the empty batch (an invalid entry): counted all
# the same.
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" check -p "$1" "$2" \
    --format jsonl --jobs 1 > /dev/null 2> "$DIR/valgrind.log" || true
  awk '/refs:/ { gsub(",", "", $4); print $4 }' "$DIR/valgrind.log"
}
deals=$(grep -c . "$DEALS")
for p in "$DIR"/*.policy; do
  full=$(count "$p" "$DEALS")
  empty=$(count "$p" "$DIR/empty.jsonl")
  echo "$(basename "$p" .policy) $(( (full - empty) / deals ))"
done | python3 -c '
import sys
rows = [l.split() for l in sys.stdin]
base = int(dict(rows)["0-trivial"])
print(f"| rule | instructions a deal | less the trivial rule ({base:,}) |")
print("|---|---|---|")
for name, n in sorted(((r[0], int(r[1])) for r in rows if r[0] != "0-trivial"), key=lambda r: -r[1]):
    print(f"| `{name}` | {n:,} | {n - base:,} |")
'
