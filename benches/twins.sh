#!/usr/bin/env bash
# Whether two busy cores slow each other: the CPU time (`perf stat -e task-clock`) of a command
# run alone against that of each of two copies of it run at once, in alternating rounds;
# prints both medians and their ratio (BENCHMARKS.md, "Issue 18: thirty-second session").
# A ratio near 1 says the cores do not slow each other: then what two workers of one process
# spend beyond one comes from inside the process. The command's exit code is ignored
# (covenant exits 1 when a deal is non-compliant).
#
#   ROUNDS=15 benches/twins.sh COMMAND...
#   benches/twins.sh /tmp/covenant-bench/floor/target/release/floor n10000/deals.jsonl
#   benches/twins.sh target/dist/covenant check -p tests/differential/jv-baseline.policy n10000/deals.jsonl --format jsonl --jobs 1
#
# Needs perf and python3. Output of the command goes to /dev/null.
set -eu
ROUNDS=${ROUNDS:-15}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cpu() { awk -F, '/task-clock/ {print $1}' "$1"; }
for _ in $(seq "$ROUNDS"); do
  rm -f "$T/alone" "$T/one" "$T/two"
  perf stat -x, -e task-clock -o "$T/alone" -- "$@" > /dev/null || true
  { perf stat -x, -e task-clock -o "$T/one" -- "$@" > /dev/null || true; } &
  one=$!
  { perf stat -x, -e task-clock -o "$T/two" -- "$@" > /dev/null || true; } &
  wait "$one" "$!"
  echo "$(cpu "$T/alone") $(cpu "$T/one") $(cpu "$T/two")"
done | python3 -c '
import statistics, sys
alone, twins = [], []
for line in sys.stdin:
    if len(line.split()) != 3:
        sys.exit(f"a round without three times: {line!r}")
    a, b, c = map(float, line.split())
    alone.append(a)
    twins += [b, c]
a, t = statistics.median(alone), statistics.median(twins)
print(f"alone: median {a:.2f} ms; each of two at once: median {t:.2f} ms; ratio {t / a:.3f}")
'
