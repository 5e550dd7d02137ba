#!/usr/bin/env bash
# Usage: ROUNDS=8 benches/cpu_ab.sh OLD_BINARY NEW_BINARY check -p tests/differential/jv-baseline.policy deals.jsonl --format jsonl --jobs 1
# The CPU time (`perf stat -e task-clock`, which needs no hardware counters) of two builds on
# the same command, in alternating rounds so that the machine's drift falls on both: each
# build's times sorted, and their medians. Instructions no longer follow time closely enough
# to decide a change alone (BENCHMARKS.md, "Instructions are no longer the measure of time").
set -euo pipefail
OLD=$1 NEW=$2; shift 2
ROUNDS=${ROUNDS:-8}
cpu() { { perf stat -x, -e task-clock "$@" 2>&1 >/dev/null || true; } | awk -F, '/task-clock/ {printf "%.0f\n", $1}'; }
old=() new=()
for _ in $(seq "$ROUNDS"); do
  old+=("$(cpu "$OLD" "$@")")
  new+=("$(cpu "$NEW" "$@")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "old: $(printf '%s ' $(printf '%s\n' "${old[@]}" | sort -n)) ms; median $(median "${old[@]}") ms"
echo "new: $(printf '%s ' $(printf '%s\n' "${new[@]}" | sort -n)) ms; median $(median "${new[@]}") ms"
