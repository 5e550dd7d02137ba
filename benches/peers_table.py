#!/usr/bin/env python3
"""Markdown tables for benches/peers.sh.

  peers_table.py N FAST.json SLOW.json MEM.txt
      wall time (hyperfine JSON exports) and peak memory (/usr/bin/time lines "name KB")
  peers_table.py --instructions A B INSN.txt
      instructions per deal from lines "name N instructions" at sizes A and B
"""
import json
import sys


def wall(n, fast, slow, mem_path):
    rows = []
    for path in (fast, slow):
        for r in json.load(open(path))["results"]:
            rows.append((r["command"], r["median"]))
    mem = {}
    for line in open(mem_path):
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            mem[parts[0]] = int(parts[1]) / 1024
    cov = dict(rows).get("covenant")
    print(f"\n## {n:,} deals\n")
    print("| program | median wall | deals/s | covenant is × faster | peak memory |")
    print("|---|---|---|---|---|")
    for name, median in sorted(rows, key=lambda r: r[1]):
        ratio = f"{median / cov:.2f}×" if cov else "–"
        print(f"| {name} | {median * 1000:.1f} ms | {n / median:,.0f} | {ratio} | {mem.get(name, 0):.0f} MiB |")


def instructions(a, b, path):
    counts = {}
    order = []
    for line in open(path):
        parts = line.split()
        if len(parts) != 3 or not parts[2].isdigit():
            continue
        name, n, count = parts[0], int(parts[1]), int(parts[2])
        if name not in counts:
            counts[name] = {}
            order.append(name)
        counts[name][n] = count
    per_deal = {}
    for name in order:
        if a in counts[name] and b in counts[name]:
            per_deal[name] = (counts[name][b] - counts[name][a]) / (b - a)
    cov = per_deal.get("covenant")
    print(f"\n## Instructions per deal (cachegrind, ({b:,} deals − {a:,} deals) / {b - a:,})\n")
    print("| program | instructions per deal | start-up and first {a:,} deals | ÷ covenant's per deal |".format(a=a))
    print("|---|---|---|---|")
    names = sorted(order, key=lambda k: per_deal.get(k, float("inf")))
    for name in names:
        if name in per_deal:
            ratio = f"{per_deal[name] / cov:.2f}×" if cov else "–"
            first = counts[name][a]
            print(f"| {name} | {per_deal[name]:,.0f} | {first:,} | {ratio} |")
        else:
            print(f"| {name} | – (valgrind could not run it) | – | – |")


if sys.argv[1] == "--instructions":
    instructions(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
else:
    wall(int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
