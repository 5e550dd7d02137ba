#!/usr/bin/env bash
# Builds of covenant side by side with the serde_json floor (BENCHMARKS.md, "Issue 18:
# twenty-seventh session"): three hyperfine sessions, one of 1,000 jv deals and one of 10,000
# (the floor and every build), and one of a small deal against examples/policies and
# `--version` (every build). The binaries are copied into one folder, the page cache is
# dropped (as root; otherwise a note says it was not) and each copy read once, so that none
# starts from disk. Each build is first run once on the 1,000 deals and must exit 0 or 1
# (a non-compliant deal), since the timed runs ignore exit codes.
#
#   benches/builds.sh release=target/release/covenant dist=target/dist/covenant best=target/pgo/covenant
#
# NAME: letters, digits, `.`, `_` and `-`, not `floor`, each once. BINARY: a path from where
# the script is called. Runs: R1 (1,000 deals, default 100), R0 (small deal and --version,
# 300), R10 (10,000 deals, 30). Needs hyperfine and the peers' deals and floor ($BENCH,
# default /tmp/covenant-bench, as benches/peers.sh sets them up).
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: benches/builds.sh NAME=BINARY ..." >&2; exit 2; }
M=$(mktemp -d /tmp/covenant-builds.XXXXXX)
trap 'rm -rf "$M"' EXIT
NAMES=()
for arg in "$@"; do
  name=${arg%%=*} bin=${arg#*=}
  if [ "$name" = "$arg" ] || ! [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || [ "$name" = floor ] \
    || [ -e "$M/$name" ]; then
    echo "error: '$arg': want NAME=BINARY, NAME of letters, digits, . _ -, not floor, once" >&2
    exit 2
  fi
  cp "$bin" "$M/$name"
  NAMES+=("$name")
done
cd "$(dirname "$0")/.."
BENCH=${BENCH:-/tmp/covenant-bench}
P=$BENCH/jv-baseline.policy
D1=$BENCH/data/n1000/deals.jsonl
D10=$BENCH/data/n10000/deals.jsonl
for f in "$P" "$D1" "$D10" "$BENCH/floor/target/release/floor"; do
  [ -e "$f" ] || { echo "error: $f is missing (run benches/peers.sh once)" >&2; exit 2; }
done
case $BENCH$PWD in
  *[[:space:]]*) echo "error: hyperfine splits its commands at spaces: $BENCH or $PWD has one" >&2; exit 2 ;;
esac
cp "$BENCH/floor/target/release/floor" "$M/floor"
for n in "${NAMES[@]}"; do
  status=0
  "$M/$n" check -p "$P" "$D1" --format jsonl > /dev/null || status=$?
  if [ "$status" -gt 1 ]; then
    echo "error: $n exits $status on the 1,000 deals" >&2
    exit 2
  fi
done
sync
if [ -w /proc/sys/vm/drop_caches ]; then
  echo 3 > /proc/sys/vm/drop_caches
else
  echo "note: not root: the page cache was not dropped" >&2
fi
for f in "$M"/*; do cat "$f" > /dev/null; done

one_k=(-n floor "$M/floor $D1")
ten_k=(-n floor "$M/floor $D10")
small=()
version=()
for n in "${NAMES[@]}"; do
  one_k+=(-n "$n" "$M/$n check -p $P $D1 --format jsonl")
  ten_k+=(-n "$n" "$M/$n check -p $P $D10 --format jsonl")
  small+=(-n "$n" "$M/$n check -p examples/policies examples/deals/acme-dragon-51-49.yaml")
  version+=(-n "$n --version" "$M/$n --version")
done
# Non-compliant deals exit 1: -i (each build was checked to exit 0 or 1 above).
hyperfine -N -i --warmup 20 --runs "${R1:-100}" "${one_k[@]}"
hyperfine -N -i --warmup 30 --runs "${R0:-300}" "${small[@]}" "${version[@]}"
hyperfine -N -i --warmup 5 --runs "${R10:-30}" "${ten_k[@]}"
