#!/usr/bin/env python3
"""Deterministic generator for the "baseline-v2" workload (benches/baseline-v2/README.md).

  gen.py N [--seed S] --out DIR     deals.jsonl, twins.jsonl and expected-v2.json for N deals
  gen.py --rates FILE               the FX rate file the policy reads (fx-rates.csv)
  gen.py --widely-held G FILE       one deal whose foreign partner G groups hold, for
                                    look-through.policy (1 + 5/3 G + 8 entities; as the
                                    `look-through rule` bench of benches/ownership.rs builds it)

Each deal is the jv-baseline deal of the same seed and index (tests/differential/gen.py,
unchanged: the 12 baseline rules give the outcomes ref_eval.py computes from twins.jsonl),
plus what the four v2 rules read, drawn from a second random stream:
- every party has a `kind` and a `voting` (its stake); every foreign party is held through a
  3-level chain of `entities`: the party <- 100% <- "<party> Holdings" (a listed company) <- x%
  <- a group <- 100% <- a state (the group is then state-owned) or a founder (an individual).
  Parties of one country share their state, so their holdings add up in a look-through.
  American parties are listed companies held by their float;
- some deals with two foreign parties declare them a concert group (`groups`);
- `financing`: a loan to the JV, in EUR, JPY, GBP, CNY, KRW or USD.

expected-v2.json holds the outcome of each v2 rule on each deal, computed here with exact
fractions (the same shape as ref_eval.py --out: {"deal", "rule", "outcome"}).
Same --seed and N give byte-identical files.
"""
import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import sys
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_GEN = os.path.join(HERE, "..", "..", "tests", "differential", "gen.py")

US = "US"
COVERED = {"CN", "RU", "IR", "KP"}
CUTOFF = dt.date(2026, 9, 1)
HOLDING_PLACES = ["HK", "SG", "NL"]
FOUNDERS = ["Wei Chen", "Anna Petrova", "Kenji Sato", "Min-jun Park", "Luca Rossi",
            "Sofia Lind", "Arjun Rao", "Maria Lopez", "Claire Martin", "James Hill",
            "Lena Vogel", "Omid Karimi", "Chol Ri", "Erik Berg"]
GROUP_SHARES = [30, 35, 40, 45, 51, 55, 60, 70, 75]

# FX: a single-base file (EUR), one row per quote on each weekday from RATES_FROM to RATES_TO.
RATES_FROM = dt.date(2025, 5, 19)
RATES_TO = dt.date(2027, 6, 4)
QUOTES = [  # quote, start, daily step, decimals, lowest, highest
    ("USD", Decimal("1.0800"), Decimal("0.0030"), 4, Decimal("1.0000"), Decimal("1.2500")),
    ("JPY", Decimal("160.00"), Decimal("0.60"), 2, Decimal("140.00"), Decimal("180.00")),
    ("GBP", Decimal("0.8450"), Decimal("0.0020"), 4, Decimal("0.8000"), Decimal("0.9000")),
    ("CNY", Decimal("7.8000"), Decimal("0.0200"), 4, Decimal("7.2000"), Decimal("8.4000")),
    ("KRW", Decimal("1450.00"), Decimal("5.00"), 2, Decimal("1300.00"), Decimal("1600.00")),
]
CURRENCIES = ["EUR", "JPY", "GBP", "CNY", "KRW", "USD"]
CURRENCY_W = [30, 15, 10, 20, 10, 15]

V2_RULES = ["covered-state-votes", "bloc-profit", "state-cap", "foreign-debt"]


def load_base():
    spec = importlib.util.spec_from_file_location("base_gen", BASE_GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------- FX rates
def rates():
    """{date: {quote: Decimal rate of EUR}} on every weekday, deterministic."""
    rng = random.Random(0xF0E1)
    now = {q: start for q, start, *_ in QUOTES}
    out = {}
    day = RATES_FROM
    while day <= RATES_TO:
        if day.weekday() < 5:
            for q, _, step, places, lo, hi in QUOTES:
                moved = now[q] + step * rng.choice([-2, -1, -1, 0, 1, 1, 2])
                now[q] = min(hi, max(lo, moved)).quantize(Decimal(1).scaleb(-places))
            out[day] = dict(now)
        day += dt.timedelta(days=1)
    return out


def write_rates(path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("date,base,quote,rate\n")
        for day, quotes in rates().items():
            for q, _, *_ in QUOTES:
                f.write(f"{day.isoformat()},EUR,{q},{quotes[q]}\n")


def usd_per(currency, date, table):
    """USD per unit of `currency` on `date`, as SPEC §11 reads the file: the latest weekday
    at most 7 days back; EUR direct, the others through the base (EUR->USD / EUR->C)."""
    if currency == "USD":
        return Fraction(1)
    for back in range(8):
        quotes = table.get(date - dt.timedelta(days=back))
        if quotes is not None:
            usd = Fraction(quotes["USD"])
            return usd if currency == "EUR" else usd / Fraction(quotes[currency])
    raise ValueError(f"no rate for {currency} on {date}")


# ---------------------------------------------------------------- v2 additions
def pct(x):
    """A Fraction percent as the deal writes it."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return format(d.normalize(), "f") + "%"


def add_holdings(ours, rng, v2):
    """kind, voting and the holding chains; returns the entities list and the look-through
    of covered-nation states in the deal's votes (a Fraction, in percent)."""
    entities, states = [], {}
    held = Fraction(0)
    for p in ours["parties"]:
        p["kind"] = "public" if p["country"] == US else "company"
        p["voting"] = p["stake"]
        if p["country"] == US:
            continue
        c = p["country"]
        gov = Fraction(Decimal(p["government_stake"].rstrip("%")))
        state_backed = rng.random() < (0.7 if c in COVERED else 0.5 if gov > 0 else 0.15)
        holding, group = f"{p['name']} Holdings", f"{p['name']} Group"
        share = rng.choice(GROUP_SHARES)
        p["owners"] = [{"name": holding, "stake": "100%", "voting": "100%"}]
        entities.append({"name": holding, "kind": "public",
                         "country": rng.choice(HOLDING_PLACES + [c]),
                         "owners": [{"name": group, "stake": f"{share}%", "voting": f"{share}%"}]})
        if state_backed:
            top = f"State Assets Commission {c}"
            entities.append({"name": group, "kind": "state-owned", "country": c, "state": c,
                             "owners": [{"name": top, "stake": "100%", "voting": "100%"}]})
            if top not in states:
                states[top] = {"name": top, "kind": "state", "country": c}
            if c in COVERED:
                held += Fraction(Decimal(p["voting"].rstrip("%"))) * share / 100
        else:
            top = rng.choice([f for f in FOUNDERS if f not in {e["name"] for e in entities}])
            entities.append({"name": group, "kind": "company", "country": c,
                             "owners": [{"name": top, "stake": "100%", "voting": "100%"}]})
            entities.append({"name": top, "kind": "individual", "country": c})
    entities.extend(states.values())
    v2["covered-state-votes"] = "pass" if held < 25 else "fail"
    return entities


def add_groups(ours, rng, v2):
    foreign = [p for p in ours["parties"] if p["country"] != US]
    groups = []
    if len(foreign) >= 2 and rng.random() < 0.35:
        a, b = foreign[0]["name"], foreign[1]["name"]
        groups.append({"name": f"{a.split()[0]}-{b.split()[0]} Consortium", "kind": "concert",
                       "members": [a, b]})
    bloc = {p["name"]: p["name"] for p in foreign}
    for g in groups:
        for m in g["members"]:
            bloc[m] = g["name"]
    totals = {}
    for p in foreign:
        share = Fraction(Decimal(p["profit_share"].rstrip("%")))
        totals[bloc[p["name"]]] = totals.get(bloc[p["name"]], 0) + share
    v2["bloc-profit"] = "pass" if all(t <= 50 for t in totals.values()) else "fail"
    return groups


def state_cap(p, date):
    if p["country"] in COVERED:
        return 25 if date < CUTOFF else 20
    return 0 if p["country"] == US else 50


def add_financing(ours, inv_amount, rng, table, v2):
    date = ours["date"]
    cur = rng.choices(CURRENCIES, weights=CURRENCY_W)[0]
    r = rng.random()
    if r < 0.02:
        cur, usd = "USD", Fraction(inv_amount, 4)           # exactly 25%: passes
    elif r < 0.06:
        usd = inv_amount * Fraction(rng.randrange(26, 60), 100)
    else:
        usd = inv_amount * Fraction(rng.randrange(2, 24), 100)
    per = usd_per(cur, date, table)
    millions = max(1, round(usd / per / 10**6))
    if cur == "USD" and usd.denominator == 1 and usd % 10**6 == 0:
        millions = int(usd // 10**6)
    ours["financing"] = f"{cur} {millions}M"
    in_usd = millions * 10**6 * per
    v2["foreign-debt"] = "pass" if in_usd <= Fraction(inv_amount, 4) else "fail"


def make_v2(base, i, rng, srng, vrng, table):
    d, _ = base.make_deal(rng, i)
    ours = base.render_ours(d, srng)
    twin = base.render_twin(d)
    v2 = {}
    entities = add_holdings(ours, vrng, v2)
    groups = add_groups(ours, vrng, v2)
    ok = all(Fraction(Decimal(p["government_stake"].rstrip("%"))) <= state_cap(p, ours["date"])
             for p in ours["parties"])
    v2["state-cap"] = "pass" if ok else "fail"
    add_financing(ours, d["investment"][1], vrng, table, v2)
    ours["entities"] = entities
    if groups:
        ours["groups"] = groups
    ours["date"] = ours["date"].isoformat()
    return ours, twin, v2


# ---------------------------------------------------------------- a widely held partner
STATES = ["CN", "RU", "IR", "KP", "DE", "FR", "JP", "KR"]


def widely_held(groups):
    """The deal of `widely_held` in benches/ownership.rs, byte for byte."""
    share = format((Decimal(60) / Decimal(groups)).normalize(), "f")
    s = ('{"proposal":"widely held","date":"2026-03-01","jurisdiction":"US","parties":['
         '{"name":"Acme Motors","country":"US","kind":"public","stake":"51%","voting":"51%"},'
         '{"name":"Dragon Motors","country":"CN","kind":"company","stake":"49%","voting":"49%",'
         '"owners":[{"name":"Dragon Holdings","stake":"100%","voting":"100%"}]}],"entities":['
         '{"name":"Dragon Holdings","kind":"public","country":"HK","owners":[')
    s += ",".join(f'{{"name":"G{i}","stake":"{share}%","voting":"{share}%"}}' for i in range(groups))
    s += "]}"
    for i in range(groups):
        if i % 3 == 0:
            kind, top = "state-owned", f"State {STATES[(i // 3) % len(STATES)]}"
        else:
            kind, top = "company", f"Founder {i}"
        s += (f',{{"name":"G{i}","kind":"{kind}","country":"CN","owners":'
              f'[{{"name":"{top}","stake":"100%","voting":"100%"}}]}}')
        if i % 3 != 0:
            s += f',{{"name":"{top}","kind":"individual","country":"CN"}}'
    for st in STATES:
        s += f',{{"name":"State {st}","kind":"state","country":"{st}"}}'
    return s + "]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="?", help="number of deals")
    ap.add_argument("--seed", type=int, default=20260301)
    ap.add_argument("--out", help="output folder")
    ap.add_argument("--rates", help="write the FX rate file here and stop")
    ap.add_argument("--widely-held", nargs=2, metavar=("GROUPS", "FILE"),
                    help="write one widely held deal here and stop")
    args = ap.parse_args()
    if args.rates:
        write_rates(args.rates)
        return
    if args.widely_held:
        with open(args.widely_held[1], "w", encoding="utf-8") as f:
            f.write(widely_held(int(args.widely_held[0])) + "\n")
        return
    if args.n is None or not args.out:
        ap.error("give N and --out")
    base = load_base()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    srng = random.Random(args.seed ^ 0x5EED)       # spelling choices, as the baseline's
    vrng = random.Random(args.seed ^ 0x2B2)        # the v2 additions
    table = rates()
    expected = []
    with open(os.path.join(args.out, "deals.jsonl"), "w", encoding="utf-8") as fj, \
         open(os.path.join(args.out, "twins.jsonl"), "w", encoding="utf-8") as ft:
        for i in range(args.n):
            ours, twin, v2 = make_v2(base, i, rng, srng, vrng, table)
            fj.write(json.dumps(ours, ensure_ascii=False, separators=(",", ":")) + "\n")
            ft.write(json.dumps(twin, ensure_ascii=False, separators=(",", ":")) + "\n")
            expected.extend({"deal": i, "rule": r, "outcome": v2[r]} for r in V2_RULES)
    with open(os.path.join(args.out, "expected-v2.json"), "w", encoding="utf-8") as fe:
        json.dump(expected, fe, indent=0)
        fe.write("\n")
    print(f"wrote {args.n} deals to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
