#!/usr/bin/env python3
"""Inputs for the superlinear-path measurements of BENCHMARKS.md (issue 9, item 7).

usage: benches/superlinear.py OUT_DIR
"""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


def parties(n, extra=True):
    share = 100.0 / n
    s = "parties:\n"
    for i in range(n):
        c = "CN" if i % 2 == 1 else "US"
        more = (
            f', stake: "{share:g}%", voting: "{share:g}%", board_seats: 1, government_stake: "0%", '
            f'profit_share: "{share:g}%", subsidies: "USD 0"'
            if extra
            else ""
        )
        s += f'  - {{name: "P{i}", country: "{c}"{more}}}\n'
    return s


# explain on 8,000 parties (with examples/policies)
write(
    "explain-8000.yaml",
    'proposal: "8000"\ndate: 2026-03-01\njurisdiction: "US"\ncfius_filed: true\n'
    'investment: "USD 3.5B"\n' + parties(8000)
    + 'board: { seats: 7, chair: "P0" }\ntechnology: []\ndata: []\nplants: []\n',
)

# a failing nested quantifier: 3 deals of 2,000 parties and 2,000 technologies owned by nobody
write("nested.policy", "rule owned: every party: some technology where owner = party name\n")
techs = "technology:\n" + "".join(
    f'  - {{name: "T{i}", owner: "X{i}", origin: "US", category: "battery"}}\n'
    for i in range(2000)
)
for d in range(3):
    write(f"nested-{d}.yaml", f'proposal: "nested {d}"\n' + parties(2000) + techs)

# 6,000 and 12,000 rules each hoisting `count of parties` out of its body, on 20 deals
for n in (6000, 12000):
    write(
        f"hoist-{n}.policy",
        "".join(
            f"rule r{i}: every party: stake <= {i % 90 + 10}% * count of parties\n"
            for i in range(n)
        ),
    )
lines = []
for d in range(20):
    ps = [
        {"name": f"P{i}", "country": "US" if i % 2 == 0 else "CN", "stake": "25%"}
        for i in range(4)
    ]
    lines.append(json.dumps({"proposal": f"h{d}", "parties": ps}))
write("hoist.jsonl", "\n".join(lines) + "\n")

# x in <mapped list>: n technologies, each owned by a foreign partner, against n parties
write(
    "member.policy",
    'let foreign partner = parties where country != "US"\n'
    "rule owner-foreign: every technology: owner in foreign partner name\n"
    "rule owner-each: technology owner in party name\n",
)
for n in (10000, 20000, 40000):
    t = "technology:\n" + "".join(
        f'  - {{name: "T{i}", owner: "P{(2 * i + 1) % n}"}}\n' for i in range(n)
    )
    write(f"member-{n}.yaml", 'proposal: "member"\n' + parties(n, extra=False) + t)

# flat chains of `and` / `or`
for k in (10000, 100000):
    write(
        f"chain-and-{k}.policy",
        "rule chain: " + " and ".join(f"board seats > {i % 5}" for i in range(k)) + "\n",
    )
    write(
        f"chain-or-{k}.policy",
        "rule chain: "
        + " or ".join(f"board seats > {i % 5 + 10}" for i in range(k))
        + " or board seats > 0\n",
    )
write("chain.yaml", 'proposal: "chain"\nboard: { seats: 7 }\n')
