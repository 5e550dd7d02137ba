#![allow(clippy::indexing_slicing)]
//! The ownership floor on large entity graphs (SPEC §7.2, §7.3): look-through values with their
//! ten largest paths, controllers and graph building, on deals of 1,000 to 100,000 entities.
//! Each deal is generated as JSON and loaded once, outside the timing.
//!
//! Shapes: a chain (each entity held 100% by the next; the top one is the holder), the same
//! chain at 60% per edge (exact values grow with depth), a wide fan-in (one party held by
//! every other entity, 0.01% each, all holders), and a layered DAG (levels of 100 entities,
//! each held by three of the level above: 3^levels paths, counted and never enumerated).
//!
//! `look-through rule`: the look-through rule of the baseline-v2 workload
//! (`benches/baseline-v2/`), evaluated as a policy rule (the filter of covered states, the
//! graph, the look-through, and its evidence when it fails) on a widely held partner of 1,000
//! and 10,000 entities: the shape `benches/baseline-v2/gen.py --widely-held` writes.

use std::fmt::Write as _;
use std::hint::black_box;

use covenant::deal::{self, Deal, Format, LoadOptions};
use covenant::eval::outcome::Outcome;
use covenant::number::Exact;
use covenant::ownership::{
    Controller, EntityId, Graph, Holders, Measure, Membership, Mode, Target,
};
use covenant::schema::Schema;
use covenant::source::SourceFile;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use num_bigint::BigInt;
use num_rational::BigRational;

/// A deal with one party, `E0` (stake and voting 100%), and entities `E1` … `En`; `owners(i)`
/// lists entity `i`'s owners. An entity without owners is a `state`, and a holder.
fn deal_json(n: usize, owners: impl Fn(usize) -> Vec<(String, String)>) -> (String, Vec<bool>) {
    let mut s = String::from(r#"{"proposal":"bench","parties":["#);
    let mut holders = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let o = owners(i);
        holders.push(o.is_empty());
        let kind = if o.is_empty() { "state" } else { "public" };
        let _ = write!(s, r#"{{"name":"E{i}","kind":"{kind}""#);
        if i == 0 {
            s.push_str(r#","stake":"100%","voting":"100%""#);
        }
        if !o.is_empty() {
            s.push_str(r#","owners":["#);
            for (k, (name, pct)) in o.iter().enumerate() {
                let sep = if k == 0 { "" } else { "," };
                let _ = write!(
                    s,
                    r#"{sep}{{"name":"{name}","stake":"{pct}%","voting":"{pct}%"}}"#
                );
            }
            s.push(']');
        }
        s.push_str(match i {
            0 if n > 0 => r#"}],"entities":["#,
            _ if i == n => "}]}",
            _ => "},",
        });
    }
    (s, holders)
}

/// A loaded deal and its holders.
type Case = (Deal, Holders<()>);

fn load((text, holders): (String, Vec<bool>)) -> Case {
    let members = holders
        .into_iter()
        .map(|h| h.then_some(Membership::Sure))
        .collect();
    let loaded = deal::load(
        SourceFile::new("bench.json", text.as_str()),
        "bench.json".into(),
        1,
        Format::Json,
        &Schema::standard(),
        &LoadOptions::default(),
    );
    match loaded {
        Ok(l) => (l.deal, Holders { members }),
        Err(e) => {
            eprintln!("bench deal does not load: {:?}", e.errors.first());
            std::process::exit(1)
        }
    }
}

fn chain(n: usize, pct: &'static str) -> Case {
    load(deal_json(n, |i| {
        if i < n {
            vec![(format!("E{}", i + 1), pct.into())]
        } else {
            vec![]
        }
    }))
}

fn fan_in(n: usize) -> Case {
    let share = Exact::from_int(100)
        .checked_div(Exact::from_int(n as i128))
        .map_or_else(|_| "0".into(), Exact::display);
    load(deal_json(n, |i| {
        if i == 0 {
            (1..=n).map(|j| (format!("E{j}"), share.clone())).collect()
        } else {
            vec![]
        }
    }))
}

/// Levels of `width` entities below the party; entity k of a level is held by entities k,
/// k+1, k+2 (wrapping) of the level above, in thirds; the last level holds nothing.
fn layered(levels: usize, width: usize) -> Case {
    let n = levels * width;
    let third = "33.333333";
    load(deal_json(n, |i| {
        let above = |level: usize, k: usize| format!("E{}", 1 + level * width + k % width);
        if i == 0 {
            return vec![(above(0, 0), "100".into())];
        }
        let (level, k) = ((i - 1) / width, (i - 1) % width);
        if level + 1 >= levels {
            return vec![];
        }
        let mut o: Vec<_> = (0..3)
            .map(|d| (above(level + 1, k + d), third.to_string()))
            .collect();
        o[2].1 = "33.333334".into();
        o
    }))
}

fn measure(schema: &Schema) -> Measure {
    Measure {
        name: "voting".into(),
        party_field: schema
            .record(Schema::PARTY)
            .field_index("voting")
            .unwrap_or(0),
        owner_field: schema
            .record(Schema::OWNER)
            .field_index("voting")
            .unwrap_or(0),
    }
}

fn look_through(c: &mut Criterion) {
    let schema = Schema::standard();
    let m = measure(&schema);
    let by_control = Mode::Control {
        threshold: BigRational::new(BigInt::from(1), BigInt::from(2)),
        inclusive: false,
    };
    let mut g = c.benchmark_group("look-through");
    g.sample_size(10);
    let cases: Vec<(&str, usize, Case)> = vec![
        ("chain 100%", 1_000, chain(1_000, "100")),
        ("chain 100%", 10_000, chain(10_000, "100")),
        ("chain 100%", 100_000, chain(100_000, "100")),
        ("chain 60%", 1_000, chain(1_000, "60")),
        ("chain 60%", 10_000, chain(10_000, "60")),
        ("fan-in", 1_000, fan_in(1_000)),
        ("fan-in", 10_000, fan_in(10_000)),
        ("fan-in", 100_000, fan_in(100_000)),
        ("layered 100 wide", 1_000, layered(10, 100)),
        ("layered 100 wide", 10_000, layered(100, 100)),
    ];
    for (name, n, (deal, holders)) in &cases {
        let graph = Graph::build(&schema, &deal.root);
        // The holders hold all of the JV (0.6^n of it down the 60% chain), in full paths.
        let lt = graph.look_through(&m, holders, &Mode::Proportional, Target::Deal);
        let full = lt
            .value
            .as_ref()
            .is_ok_and(|v| *v == BigRational::from_integer(1.into()));
        if lt.paths.is_empty() || (!name.contains("60%") && !full) {
            eprintln!(
                "{name} {n}: unexpected look-through {:?}",
                lt.value.map(|v| v.to_string())
            );
            std::process::exit(1);
        }
        g.throughput(Throughput::Elements(*n as u64));
        for (mode_name, mode) in [
            ("proportional", &Mode::Proportional),
            ("by control", &by_control),
        ] {
            let id = BenchmarkId::new(format!("{name}, {mode_name}"), n);
            g.bench_with_input(id, &graph, |b, graph| {
                b.iter(|| {
                    let lt = graph.look_through(&m, black_box(holders), mode, Target::Deal);
                    (lt.value.is_ok(), lt.paths.len())
                })
            });
        }
        let id = BenchmarkId::new(format!("{name}, build the graph"), n);
        g.bench_with_input(id, deal, |b, deal| {
            b.iter(|| {
                Graph::build(&schema, black_box(&deal.root))
                    .entities()
                    .len()
            })
        });
        if name.starts_with("chain") {
            let id = BenchmarkId::new(format!("{name}, controller"), n);
            g.bench_with_input(id, &graph, |b, graph| {
                b.iter(|| {
                    matches!(
                        graph.controller::<()>(black_box(EntityId(0))),
                        Controller::Known { .. }
                    )
                })
            });
        }
    }
    g.finish();
}

/// The look-through rule of `benches/baseline-v2/baseline-v2.policy`, passing at 25% and
/// failing at 1% (then evaluated again for its evidence: the ten largest paths).
const LOOK_THROUGH_RULES: &str = r#"let covered nation = ["CN", "RU", "IR", "KP"]
let covered state = entities where kind = "state" and state in covered nation
rule covered-state-votes: look-through voting of covered state in deal < 25%
rule covered-state-votes-1: look-through voting of covered state in deal < 1%
"#;

/// The states that hold groups, in turn: four covered nations, four others.
const STATES: [&str; 8] = ["CN", "RU", "IR", "KP", "DE", "FR", "JP", "KR"];

/// A JV whose foreign partner is held by a listed holding company, 60% of which `groups`
/// groups hold in equal shares; every third group is state-owned (one of [`STATES`], in turn),
/// the others belong to a founder each: 1 + 5/3 × `groups` + 8 entities, 3-level chains.
/// The same deal as `benches/baseline-v2/gen.py --widely-held GROUPS`.
fn widely_held(groups: usize) -> String {
    let share = Exact::from_int(60)
        .checked_div(Exact::from_int(groups as i128))
        .map_or_else(|_| "0".into(), Exact::display);
    let mut s = String::from(
        r#"{"proposal":"widely held","date":"2026-03-01","jurisdiction":"US","parties":[{"name":"Acme Motors","country":"US","kind":"public","stake":"51%","voting":"51%"},{"name":"Dragon Motors","country":"CN","kind":"company","stake":"49%","voting":"49%","owners":[{"name":"Dragon Holdings","stake":"100%","voting":"100%"}]}],"entities":[{"name":"Dragon Holdings","kind":"public","country":"HK","owners":["#,
    );
    for i in 0..groups {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            r#"{sep}{{"name":"G{i}","stake":"{share}%","voting":"{share}%"}}"#
        );
    }
    s.push_str("]}");
    for i in 0..groups {
        let (kind, top) = if i % 3 == 0 {
            (
                "state-owned",
                format!("State {}", STATES[(i / 3) % STATES.len()]),
            )
        } else {
            ("company", format!("Founder {i}"))
        };
        let _ = write!(
            s,
            r#",{{"name":"G{i}","kind":"{kind}","country":"CN","owners":[{{"name":"{top}","stake":"100%","voting":"100%"}}]}}"#
        );
        if i % 3 != 0 {
            let _ = write!(
                s,
                r#",{{"name":"{top}","kind":"individual","country":"CN"}}"#
            );
        }
    }
    for state in STATES {
        let _ = write!(
            s,
            r#",{{"name":"State {state}","kind":"state","country":"{state}"}}"#
        );
    }
    s.push_str("]}");
    s
}

fn look_through_rule(c: &mut Criterion) {
    let Ok(compiled) = covenant::resolve::compile_str("lt.policy", LOOK_THROUGH_RULES) else {
        eprintln!("the look-through rules do not compile");
        std::process::exit(1)
    };
    let policy = compiled.policy;
    let mut g = c.benchmark_group("look-through rule");
    g.sample_size(10);
    for (entities, groups) in [(1_000, 600), (10_000, 6_000)] {
        let text = widely_held(groups);
        let loaded = deal::load(
            SourceFile::new("bench.json", text.as_str()),
            "bench.json".into(),
            1,
            Format::Json,
            &policy.schema,
            &LoadOptions::default(),
        );
        let Ok(loaded) = loaded else {
            eprintln!("widely held deal does not load");
            std::process::exit(1)
        };
        // 1/6 of the groups are covered states': 10% of the holding company, 4.9% of the JV.
        let outcomes: Vec<Outcome> = covenant::eval::evaluate(&policy, &loaded.deal, None)
            .iter()
            .map(|r| r.outcome)
            .collect();
        if outcomes != [Outcome::Pass, Outcome::Fail] {
            eprintln!("widely held, {entities}: unexpected outcomes {outcomes:?}");
            std::process::exit(1);
        }
        g.throughput(Throughput::Elements(entities as u64));
        let id = BenchmarkId::new("widely held, evaluate (pass and fail)", entities);
        g.bench_with_input(id, &loaded.deal, |b, deal| {
            b.iter(|| covenant::eval::evaluate(&policy, black_box(deal), None).len())
        });
    }
    g.finish();
}

criterion_group!(benches, look_through, look_through_rule);
criterion_main!(benches);
