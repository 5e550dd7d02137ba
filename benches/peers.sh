#!/usr/bin/env bash
# Covenant side by side with its peers on the jv-baseline workload, in ONE hyperfine run per
# size, whole process, on this machine. Prints and writes benches/results/peers-<date>.md.
#
#   benches/peers.sh [SIZES...]        default: 1000 10000 100000
#   RUNS=5 SLOW_RUNS=2 INSN_SIZES="1000 10000" COV=path/to/covenant benches/peers.sh …
#
# `covenant` is the `dist` build, what users install, and built as every peer here is (fat
# LTO, one codegen unit: ../shared/bench's floor and regorus, benches/floor-sonic);
# `covenant-release` is the `release` build beside it (the README's). COV and COV_RELEASE name
# other binaries for the two rows (copies of an older build, say); COV_RELEASE=none drops the
# second row, and is the default when COV is given (so that a build of this checkout never
# stands beside an older binary unasked).
#
# Needs: hyperfine and valgrind (Debian packages), python3. The peers come from ../shared/bench
# (copied to $BENCH, default /tmp/covenant-bench, and set up there with its setup.sh, ~20 min
# once); the sonic-rs floor is benches/floor-sonic, built here.
#
# Instructions per deal (valgrind's cachegrind, which counts where `perf stat` is not
# supported): each program runs on the first A and the first B deals of the set (INSN_SIZES,
# default "1000 10000"), and (I_B - I_A) / (B - A) is what one more deal costs, start-up and
# compile excluded. Programs that valgrind cannot run (OPA's Go runtime) show "–".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=${BENCH:-/tmp/covenant-bench}
SHARED=${SHARED:-$ROOT/../shared/bench}
SIZES=${*:-1000 10000 100000}
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-2}
INSN_SIZES=${INSN_SIZES:-1000 10000}

if [ ! -d "$BENCH" ]; then cp -r "$SHARED" "$BENCH"; fi
if [ ! -x "$BENCH/floor/target/release/floor" ]; then (cd "$BENCH" && ./setup.sh); fi
if [ -n "${COV:-}" ]; then
  COV_RELEASE=${COV_RELEASE:-none}
else
  cargo build --profile dist --bin covenant --quiet
  COV=$ROOT/target/dist/covenant
fi
if [ -z "${COV_RELEASE:-}" ]; then
  cargo build --release --bin covenant --quiet
  COV_RELEASE=$ROOT/target/release/covenant
fi
# The covenant rows: each name, then its binary.
COV_ROWS=(covenant "$COV")
if [ "$COV_RELEASE" != none ]; then COV_ROWS+=(covenant-release "$COV_RELEASE"); fi
(cd "$ROOT/benches/floor-sonic" && cargo build --release --quiet --locked)
SONIC=$ROOT/benches/floor-sonic/target/release/floor-sonic
POLICY=$BENCH/jv-baseline.policy
mkdir -p "$ROOT/benches/results"
OUT=$ROOT/benches/results/peers-$(date -u +%Y-%m-%d)-$(git -C "$ROOT" rev-parse --short HEAD).md
{
  echo "# Peers, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m)"
  echo
  echo "covenant $(git -C "$ROOT" rev-parse --short HEAD) (\`covenant\`: $COV; \`covenant-release\`: $COV_RELEASE); runs: $RUNS (slow peers: $SLOW_RUNS); whole process, hyperfine -N, median"
} > "$OUT"

for N in $SIZES; do
  D=$BENCH/data/n$N
  [ -f "$D/deals.jsonl" ] || (cd "$BENCH" && python3 gen.py "$N" --no-yaml >/dev/null)
  covenant_runs=()
  for ((i = 0; i < ${#COV_ROWS[@]}; i += 2)); do
    covenant_runs+=(-n "${COV_ROWS[i]}" "${COV_ROWS[i + 1]} check -p $POLICY $D/deals.jsonl --format jsonl --jobs 0")
  done
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "/tmp/peers-n$N.json" \
    "${covenant_runs[@]}" \
    -n floor           "$BENCH/floor/target/release/floor $D/deals.jsonl" \
    -n floor-sonic     "$SONIC $D/deals.jsonl" \
    -n regorus-rvm     "$BENCH/regorus-bench/target/release/regorus-bench --mode rvm $BENCH/jv.rego $D/twins.json" \
    -n regorus-interp  "$BENCH/regorus-bench/target/release/regorus-bench --mode interp $BENCH/jv.rego $D/twins.json" \
    -i >/dev/null
  hyperfine -N --warmup 0 --runs "$SLOW_RUNS" --export-json "/tmp/peers-slow-n$N.json" \
    -n opa             "$BENCH/.venv/bin/python $BENCH/opa_bench.py $D/twins.json" \
    -n ref-python      "$BENCH/.venv/bin/python $BENCH/ref_eval.py $D/twins.json" \
    -i >/dev/null
  # Peak memory (max RSS) of one run of each program.
  : > "/tmp/peers-mem-n$N.txt"
  mem() { /usr/bin/time -q -f "$1 %M" -a -o "/tmp/peers-mem-n$N.txt" "${@:2}" >/dev/null 2>&1 || true; }
  for ((i = 0; i < ${#COV_ROWS[@]}; i += 2)); do
    mem "${COV_ROWS[i]}" "${COV_ROWS[i + 1]}" check -p "$POLICY" "$D/deals.jsonl" --format jsonl
  done
  mem floor "$BENCH/floor/target/release/floor" "$D/deals.jsonl"
  mem floor-sonic "$SONIC" "$D/deals.jsonl"
  mem regorus-rvm "$BENCH/regorus-bench/target/release/regorus-bench" --mode rvm "$BENCH/jv.rego" "$D/twins.json"
  mem regorus-interp "$BENCH/regorus-bench/target/release/regorus-bench" --mode interp "$BENCH/jv.rego" "$D/twins.json"
  mem opa "$BENCH/.venv/bin/python" "$BENCH/opa_bench.py" "$D/twins.json"
  mem ref-python "$BENCH/.venv/bin/python" "$BENCH/ref_eval.py" "$D/twins.json"
  python3 "$ROOT/benches/peers_table.py" "$N" "/tmp/peers-n$N.json" "/tmp/peers-slow-n$N.json" "/tmp/peers-mem-n$N.txt" >> "$OUT"
done

# Instructions per deal, from two sizes (see the head of this file).
read -r A B <<< "$INSN_SIZES"
: > /tmp/peers-insn.txt
for N in $A $B; do
  D=$BENCH/data/n$N
  [ -f "$D/deals.jsonl" ] || (cd "$BENCH" && python3 gen.py "$N" --no-yaml >/dev/null)
done
insn() {
  local name=$1 n=$2; shift 2
  local out=/tmp/peers-cg-$name-$n.out
  rm -f "$out"
  # covenant exits 1 when a deal is non-compliant: the exit code says nothing here.
  timeout 900 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$out" "$@" >/dev/null 2>&1 || true
  if [ -s "$out" ] && grep -q '^summary:' "$out"; then
    echo "$name $n $(awk '/^summary:/ {print $2}' "$out")" >> /tmp/peers-insn.txt
  fi
}
for N in $A $B; do
  D=$BENCH/data/n$N
  for ((i = 0; i < ${#COV_ROWS[@]}; i += 2)); do
    insn "${COV_ROWS[i]}" "$N" "${COV_ROWS[i + 1]}" check -p "$POLICY" "$D/deals.jsonl" --format jsonl --jobs 1
  done
  insn floor "$N" "$BENCH/floor/target/release/floor" "$D/deals.jsonl"
  insn floor-sonic "$N" "$SONIC" "$D/deals.jsonl"
  insn regorus-rvm "$N" "$BENCH/regorus-bench/target/release/regorus-bench" --mode rvm "$BENCH/jv.rego" "$D/twins.json"
  insn regorus-interp "$N" "$BENCH/regorus-bench/target/release/regorus-bench" --mode interp "$BENCH/jv.rego" "$D/twins.json"
  insn opa "$N" "$BENCH/.venv/bin/python" "$BENCH/opa_bench.py" "$D/twins.json"
  insn ref-python "$N" "$BENCH/.venv/bin/python" "$BENCH/ref_eval.py" "$D/twins.json"
done
python3 "$ROOT/benches/peers_table.py" --instructions "$A" "$B" /tmp/peers-insn.txt >> "$OUT"
cat "$OUT"
