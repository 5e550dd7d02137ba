#!/usr/bin/env python3
"""Where threads wait on atomics: the samples of `perf record` profiles that fall on the
instruction after a locked (atomic) instruction of BINARY, where a core waits for the cache
line the atomic writes. Prints, for each profile, those samples' total and share of the
binary's samples, then the sites by samples in the last profile, each with its source line
(addr2line; the first frame outside the standard library). Comparing a run with one worker and
one with two shows which shared counts two cores pass back and forth (BENCHMARKS.md, "Issue
18: thirty-second session").

    perf record -q -F 20000 -e cpu-clock -o /tmp/one.data -- target/profiling/covenant check \\
        -p tests/differential/jv-baseline.policy n100000/deals.jsonl --format jsonl --jobs 1 > /dev/null
    perf record -q -F 20000 -e cpu-clock -o /tmp/two.data -- ... --jobs 2 > /dev/null
    python3 benches/atomic_samples.py target/profiling/covenant /tmp/one.data /tmp/two.data

Needs perf, objdump and addr2line (binutils). BINARY should have line tables (the
`profiling` profile). A sample's skid may put it one instruction later still; only the next
instruction is counted.
"""
import collections
import os
import re
import subprocess
import sys

HASH = re.compile(r"::h[0-9a-f]{16}$")


def sites_after_atomics(binary):
    """{"function+0xoffset" of the instruction after an atomic: address of the atomic}"""
    dis = subprocess.run(
        ["objdump", "-d", "-C", "--no-show-raw-insn", binary],
        capture_output=True, text=True, check=True,
    ).stdout
    sites = {}
    symbol, start, previous = None, 0, None
    for line in dis.splitlines():
        m = re.match(r"^([0-9a-f]+) <(.*)>:$", line)
        if m:
            symbol, start, previous = HASH.sub("", m.group(2)), int(m.group(1), 16), None
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S+)", line)
        if not m or symbol is None:
            continue
        address = int(m.group(1), 16)
        if previous is not None:
            sites[f"{symbol}+0x{address - start:x}"] = previous
        previous = address if m.group(2) in ("lock", "xchg") else None
    return sites


def samples(data, binary):
    """{"function+0xoffset": samples} of the binary's samples in one profile."""
    out = subprocess.run(
        ["perf", "script", "-G", "-i", data, "-F", "ip,sym,symoff,dso"],
        capture_output=True, text=True, check=True,
    ).stdout
    counts = collections.Counter()
    name = os.path.realpath(binary)
    for line in out.splitlines():
        m = re.match(r"^\s*[0-9a-f]+ (.*) \((.*)\)$", line)
        if m and os.path.realpath(m.group(2)) == name:
            counts[m.group(1)] += 1
    return counts


def source_line(binary, address):
    out = subprocess.run(
        ["addr2line", "-e", binary, "-f", "-i", "-C", f"{address:x}"],
        capture_output=True, text=True,
    ).stdout.splitlines()
    frames = list(zip(out[0::2], out[1::2]))
    for function, place in frames:
        if "/rustc/" not in place:
            return f"{function} ({place})"
    return " ".join(frames[-1]) if frames else "?"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, profiles = sys.argv[1], sys.argv[2:]
    sites = sites_after_atomics(binary)
    counted = [samples(p, binary) for p in profiles]
    for profile, counts in zip(profiles, counted):
        total = sum(counts.values())
        waits = sum(n for key, n in counts.items() if key in sites)
        share = 100 * waits / total if total else 0
        print(f"{profile}: {waits:,} of {total:,} samples after an atomic ({share:.1f}%)")
    last = counted[-1]
    top = sorted((k for k in last if k in sites), key=lambda k: -last[k])[:25]
    print("\n" + " | ".join(os.path.basename(p) for p in profiles) + " | site")
    for key in top:
        row = " | ".join(f"{c.get(key, 0):,}" for c in counted)
        print(f"{row} | {source_line(binary, sites[key])}")


if __name__ == "__main__":
    main()
