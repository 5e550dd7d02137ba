#!/usr/bin/env bash
# Byte identity of two covenant builds on the differential set (issue 18: "outputs
# byte-identical to before"): standard output, standard error and exit code of each run.
#
#   benches/same_output.sh OLD_BINARY NEW_BINARY     # prints "N runs, 0 differences"
#
# The set: the seven formats on 1,000 jv-baseline and 1,000 baseline-v2 deals (generated with
# the fixed seeds, in $DATA, default /tmp/covenant-same) and on examples/ (policies,
# north-america, canada, invalid), --strict and a policy over deals with unknown keys,
# standard input, `explain` of every example deal, `lint` in its three formats, `fmt --check`
# and `test`. Reports are `--deterministic` (no run time). Both binaries are copied under the
# same name first, so usage messages match. Exits 1 when a run differs.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DATA:-/tmp/covenant-same}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/a" "$T/b"
cp "$1" "$T/a/covenant"
cp "$2" "$T/b/covenant"
V1=$DATA/v1; V2=$DATA/v2
[ -f "$V1/deals.jsonl" ] || python3 "$ROOT/tests/differential/gen.py" 1000 --no-yaml --out "$V1" > /dev/null
[ -f "$V2/deals.jsonl" ] || python3 "$ROOT/benches/baseline-v2/gen.py" 1000 --out "$V2" > /dev/null
JV=$ROOT/tests/differential/jv-baseline.policy
BV2=$ROOT/benches/baseline-v2/baseline-v2.policy
EX=$ROOT/examples
runs=()
for f in human json jsonl sarif junit markdown github; do
  runs+=("check --deterministic -p $JV $V1/deals.jsonl --format $f --jobs 2")
  runs+=("check --deterministic -p $BV2 $V2/deals.jsonl --format $f --jobs 2")
  runs+=("check --deterministic -p $EX/policies $EX/deals --format $f")
  runs+=("check --deterministic -p $EX/north-america $EX/north-america/deals --format $f")
  runs+=("check --deterministic -p $EX/canada $EX/canada/deals --format $f")
done
runs+=("check --deterministic -p $BV2 $V2/deals.jsonl --format jsonl --jobs 1 --strict")
runs+=("check --deterministic -p $JV $V2/deals.jsonl --format jsonl --jobs 1")
runs+=("check --deterministic -p $EX/policies $EX/invalid --format json")
runs+=("check --deterministic -p $EX/policies $EX/invalid")
runs+=("check --deterministic -p $EX/policies --format json -")
for d in "$EX"/deals/*.yaml "$EX"/deals/*.json "$EX"/deals/*.toml; do
  runs+=("explain -p $EX/policies $d")
done
for f in human json sarif; do
  for p in policies north-america canada; do runs+=("lint -p $EX/$p --format $f"); done
done
runs+=("lint -p $JV -p $BV2")
runs+=("fmt --check $EX/policies $EX/north-america $EX/canada")
runs+=("test $EX/tests")
n=0; bad=0
for r in "${runs[@]}"; do
  n=$((n + 1))
  for side in a b; do
    # shellcheck disable=SC2086 # each run is a word list
    (cd "$EX" && "$T/$side/covenant" $r < "$EX/deals/acme-dragon-51-49.yaml" > "$T/$side.out" 2> "$T/$side.err"; echo $? > "$T/$side.code")
  done
  for part in out err code; do
    if ! cmp -s "$T/a.$part" "$T/b.$part"; then
      echo "DIFF ($part): covenant $r"; bad=$((bad + 1)); break
    fi
  done
done
echo "$n runs, $bad differences"
[ "$bad" -eq 0 ]
