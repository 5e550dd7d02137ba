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
instruction is counted. Samples are matched to instructions by address, through the mapping
perf records for the binary (function names are not unique in a Rust binary).
"""
import collections
import functools
import os
import re
import subprocess
import sys

def atomics(binary):
    """{address of the instruction after an atomic: address of the atomic}, both as in the
    file. An atomic is an instruction with the `lock` prefix, or an `xchg` with memory (which
    locks without it; `xchg %ax,%ax` is a two-byte no-op that objdump prints so)."""
    dis = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", binary],
        capture_output=True, text=True, check=True,
    ).stdout
    after = {}
    previous = None
    for line in dis.splitlines():
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)", line)
        if not m:
            previous = None
            continue
        address = int(m.group(1), 16)
        if previous is not None:
            after[address] = previous
        op, operands = m.group(2), m.group(3)
        locked = op == "lock" or (op.startswith("xchg") and "(" in operands)
        previous = address if locked else None
    return after


def segments(binary):
    """The loadable segments: (file offset, size in the file, address)."""
    out = subprocess.run(
        ["readelf", "-lW", binary], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            found.append((int(f[1], 16), int(f[4], 16), int(f[2], 16)))
    return found


def samples(data, binary, loads):
    """{address in the file: samples} of the binary's samples in one profile, each sample's
    address mapped back through the mapping perf recorded for the binary and its loadable
    segments `loads`."""
    out = subprocess.run(
        ["perf", "script", "-G", "--show-mmap-events", "-i", data, "-F", "ip,dso"],
        capture_output=True, text=True, check=True,
    ).stdout
    name = os.path.realpath(binary)
    # Each line names its file; the few names are resolved once each.
    is_binary = functools.lru_cache(maxsize=None)(lambda path: os.path.realpath(path) == name)
    maps = []
    counts = collections.Counter()
    for line in out.splitlines():
        m = re.search(r"MMAP2? .*\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+) .*\]: \S+ (.*)$", line)
        if m:
            if is_binary(m.group(4)):
                maps.append(tuple(int(g, 16) for g in m.group(1, 2, 3)))
            continue
        m = re.match(r"^\s*([0-9a-f]+) \((.*)\)$", line)
        if not m or not is_binary(m.group(2)):
            continue
        ip = int(m.group(1), 16)
        for start, size, pgoff in maps:
            if start <= ip < start + size:
                offset = ip - start + pgoff
                for seg_offset, seg_size, seg_address in loads:
                    if seg_offset <= offset < seg_offset + seg_size:
                        counts[offset - seg_offset + seg_address] += 1
                break
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
    sites = atomics(binary)
    loads = segments(binary)
    counted = [samples(p, binary, loads) for p in profiles]
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
