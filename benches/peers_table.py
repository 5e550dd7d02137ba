#!/usr/bin/env python3
"""Markdown table from hyperfine JSON exports and /usr/bin/time peak-memory lines.

  peers_table.py N FAST.json SLOW.json MEM.txt
"""
import json
import sys

n = int(sys.argv[1])
rows = []
for path in sys.argv[2:4]:
    for r in json.load(open(path))["results"]:
        rows.append((r["command"], r["median"]))
mem = {}
for line in open(sys.argv[4]):
    parts = line.split()
    if len(parts) == 2 and parts[1].isdigit():
        mem[parts[0]] = int(parts[1]) / 1024
cov = dict(rows).get("covenant")
print(f"\n## {n:,} deals\n")
print("| program | median wall | deals/s | covenant is × faster | peak memory |")
print("|---|---|---|---|---|")
for name, median in sorted(rows, key=lambda r: r[1]):
    ratio = f"{median / cov:.1f}×" if cov else "–"
    print(f"| {name} | {median * 1000:.1f} ms | {n / median:,.0f} | {ratio} | {mem.get(name, 0):.0f} MiB |")
