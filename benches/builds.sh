#!/usr/bin/env bash
# Builds of covenant side by side with the serde_json floor, in one hyperfine session each:
# 1,000 and 10,000 jv deals, one small deal against examples/policies, and `--version`
# (BENCHMARKS.md, "Issue 18: twenty-seventh session"). The binaries are copied into one folder,
# the page cache is dropped (root) and each copy read once, so that none starts from disk.
#
#   benches/builds.sh release=target/release/covenant dist=target/dist/covenant best=target/pgo/covenant
#
# Runs: R1 (1,000 deals, default 100), R0 (small deal and --version, 300), R10 (10,000 deals,
# 30). Needs hyperfine and the peers' deals and floor ($BENCH, default /tmp/covenant-bench, as
# benches/peers.sh sets them up).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-/tmp/covenant-bench}
P=$BENCH/jv-baseline.policy
D1=$BENCH/data/n1000/deals.jsonl
D10=$BENCH/data/n10000/deals.jsonl
SMALL=(check -p examples/policies examples/deals/acme-dragon-51-49.yaml)
[ $# -gt 0 ] || { echo "usage: benches/builds.sh NAME=BINARY ..." >&2; exit 2; }
M=$(mktemp -d)
trap 'rm -rf "$M"' EXIT
cp "$BENCH/floor/target/release/floor" "$M/floor"
NAMES=()
for arg in "$@"; do
  NAMES+=("${arg%%=*}")
  cp "${arg#*=}" "$M/${arg%%=*}"
done
sync
if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
for f in "$M"/*; do cat "$f" > /dev/null; done

one_k=(-n floor "$M/floor $D1")
ten_k=(-n floor "$M/floor $D10")
small=()
version=()
for n in "${NAMES[@]}"; do
  one_k+=(-n "$n" "$M/$n check -p $P $D1 --format jsonl")
  ten_k+=(-n "$n" "$M/$n check -p $P $D10 --format jsonl")
  small+=(-n "$n" "$M/$n ${SMALL[*]}")
  version+=(-n "$n --version" "$M/$n --version")
done
# Non-compliant deals exit 1: -i.
hyperfine -N -i --warmup 20 --runs "${R1:-100}" "${one_k[@]}"
hyperfine -N -i --warmup 30 --runs "${R0:-300}" "${small[@]}" "${version[@]}"
hyperfine -N -i --warmup 5 --runs "${R10:-30}" "${ten_k[@]}"
