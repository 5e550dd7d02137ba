#!/usr/bin/env python3
"""How long each of covenant's threads was runnable but not running, from a scheduler trace
(BENCHMARKS.md, "Issue 18: twenty-eighth session"): from its wake-up, or from being switched
out while still runnable, to its next switch in. A worker with milliseconds here shared a core
with another thread while the run lasted.

  perf record -q -o /tmp/sched.data -e sched:sched_switch,sched:sched_wakeup -- \\
      target/dist/covenant check -p POLICY deals.jsonl --format jsonl > /dev/null
  python3 benches/sched_wait.py /tmp/sched.data

Threads are named as the kernel knows them (`covenant-check-`, `covenant-read`, the binary's
name for the main thread), so two workers show as two entries of one name.
"""
import collections
import re
import subprocess
import sys

SWITCH = re.compile(r"prev_comm=(.*?) prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)")
WAKEUP = re.compile(r"comm=(.*?) pid=(\d+)")
LINE = re.compile(r"\s*(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s+(.*)")


def main(data, prefix):
    out = subprocess.run(["perf", "script", "-i", data, "-F", "tid,cpu,time,event,trace"],
                         capture_output=True, text=True, check=True).stdout
    since, waited, names = {}, collections.Counter(), {}
    first = last = None
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        t, event, trace = float(m[3]), m[4], m[5]
        first = t if first is None else first
        last = t
        if event == "sched:sched_switch":
            s = SWITCH.search(trace)
            if not s:
                continue
            prev, prev_pid, state, nxt, next_pid = s[1], int(s[2]), s[3], s[4], int(s[5])
            names[prev_pid], names[next_pid] = prev, nxt
            if state.startswith("R") and prev.startswith(prefix):
                since[prev_pid] = t
            if next_pid in since:
                waited[next_pid] += t - since.pop(next_pid)
        elif event == "sched:sched_wakeup":
            w = WAKEUP.search(trace)
            if w and w[1].startswith(prefix):
                since[int(w[2])] = t
    if first is None:
        sys.exit("no scheduler events in " + data)
    parts = ", ".join(f"{names.get(pid, pid)} {1000 * s:.2f} ms" for pid, s in sorted(waited.items()))
    print(f"traced {1000 * (last - first):.2f} ms; runnable, not running: {parts or 'none'}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: sched_wait.py PERF_DATA [THREAD_NAME_PREFIX, default covenant]")
    main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "covenant")
