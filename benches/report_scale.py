#!/usr/bin/env python3
"""Inputs for the report and diagnostics scale figures of BENCHMARKS.md ("Large inputs").

usage: benches/report_scale.py KIND N > FILE   (run from the repository root)

  unknown-keys-yaml N   the example deal acme-dragon-51-49.yaml with N unknown top-level keys
  unknown-keys-json N   a JSON deal with N unknown keys, one per line
  parse-errors N        a policy of N rules, each with an unclosed `((`
  unknown-phrases N     a policy of N rules, each naming a phrase no field matches
  failing-elements N    a deal with N parties, each failing `fe-policy`
  fe-policy 0           the one-rule policy `rule small: party board seats < 5`
  many-rules N          a policy of N rules `board seats >= K` (every deal gets N results)
"""
import json
import sys

kind, n = sys.argv[1], int(sys.argv[2])


def word(i):
    """a, b, …, z, aa, ab, …: a phrase word for each i."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(97 + r) + s
    return s


if kind == "unknown-keys-yaml":
    base = open("examples/deals/acme-dragon-51-49.yaml").read()
    sys.stdout.write(base + "".join(f"unknown_key_{i}: {i}\n" for i in range(n)))
elif kind == "unknown-keys-json":
    d = {"proposal": "x", "date": "2026-03-01", "jurisdiction": "US", "parties": []}
    for i in range(n):
        d[f"unknown_key_{i}"] = i
    print(json.dumps(d, indent=1))
elif kind == "parse-errors":
    sys.stdout.write("".join(f"rule r{i}:\n  require ((\n" for i in range(n)))
elif kind == "unknown-phrases":
    sys.stdout.write("".join(f"rule r{i}:\n  require frobnicate zq{word(i)} > 1\n" for i in range(n)))
elif kind == "failing-elements":
    out = ["proposal: x\ndate: 2026-03-01\njurisdiction: US\nparties:\n"]
    out += [f"  - name: P{i}\n    country: US\n    board_seats: 10\n" for i in range(n)]
    sys.stdout.write("".join(out))
elif kind == "fe-policy":
    sys.stdout.write("rule small: party board seats < 5\n")
elif kind == "many-rules":
    sys.stdout.write("".join(f"rule r{i}: board seats >= {i % 12}\n" for i in range(n)))
else:
    sys.exit(__doc__)
