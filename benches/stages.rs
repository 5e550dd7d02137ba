#![allow(clippy::indexing_slicing)]
//! One benchmark per stage: policy compile (10 / 1,000 / 10,000 rules), deal loading per
//! format, evaluation of the 12-rule baseline on one deal, and an end-to-end batch.

use std::hint::black_box;

use clap::Parser;
use covenant::deal::{self, Format, LoadOptions};
use covenant::source::SourceFile;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const BASELINE: &str = include_str!("../tests/differential/jv-baseline.policy");
const DEAL_YAML: &str = include_str!("../examples/deals/acme-dragon-51-49.yaml");
const DEAL_TOML: &str = include_str!("../examples/deals/acme-dragon-us-control-waiver.toml");
const DEAL_JSON: &str = include_str!("../examples/deals/liberty-pearl-50-50.json");
/// The running example of spec-v2-notes A.1: two parties and a three-level holding chain.
const DEAL_ENTITIES: &str = r#"{"proposal": "Acme–Dragon Motors JV", "date": "2026-03-01", "jurisdiction": "US",
 "parties": [{"name": "Acme Motors", "country": "US", "kind": "public", "stake": "51%", "voting": "51%"},
   {"name": "Dragon Motors", "country": "CN", "kind": "company", "stake": "49%", "voting": "49%",
    "owners": [{"name": "Northern Auto HK", "stake": "100%", "voting": "100%"}]}],
 "entities": [{"name": "Northern Auto HK", "kind": "public", "country": "HK",
    "owners": [{"name": "FAW Group", "stake": "60%", "voting": "60%"}]},
   {"name": "FAW Group", "kind": "state-owned", "country": "CN", "state": "CN",
    "owners": [{"name": "SASAC", "stake": "100%", "voting": "100%"}]},
   {"name": "SASAC", "kind": "state", "country": "CN"}]}"#;

/// A policy of `n` rules cycling through the baseline's rule bodies.
pub fn policy_of(n: usize) -> String {
    let bodies = [
        "total american partner stake > 50%",
        "foreign partner stake < 50%",
        "total american partner board seats > board seats / 2",
        "every party: profit share = 100% / count of parties",
        "data must stay in [home]",
        "no party where country in covered nation and government stake >= 25%",
        "every plant where country = home: local content >= 75%",
        "total foreign partner subsidies <= 10% of investment",
    ];
    let mut s = String::from("let home = \"US\"\nlet covered nation = [\"CN\", \"RU\", \"IR\", \"KP\"]\nlet american partner = parties where country = home\nlet foreign partner = parties where country != home\n\n");
    for i in 0..n {
        s.push_str(&format!("rule r{i}: {}\n", bodies[i % bodies.len()]));
    }
    s
}

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    g.sample_size(10);
    for n in [10, 1_000, 10_000] {
        let text = policy_of(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("{n} rules"), |b| {
            b.iter(|| {
                covenant::resolve::compile_str("bench.policy", black_box(&text))
                    .map(|c| c.policy.rules.len())
                    .unwrap_or(0)
            })
        });
    }
    g.finish();
}

fn load(c: &mut Criterion) {
    let policy = covenant::resolve::compile_str("b.policy", BASELINE)
        .unwrap_or_else(|_| std::process::exit(1))
        .policy;
    let mut g = c.benchmark_group("load");
    // A key the schema does not know: a warning, kept on the fast path; its help (here a
    // did-you-mean) is worked out once a schema and kept (`deal::suggest::KeyHelps`), so this is
    // the cost a batch's deals pay after its first.
    let json_unknown_key = DEAL_JSON.replacen("\"sector\"", "\"sectr\"", 1);
    for (name, text, format) in [
        ("yaml", DEAL_YAML, Format::Yaml),
        ("json", DEAL_JSON, Format::Json),
        ("json-unknown-key", json_unknown_key.as_str(), Format::Json),
        ("json-entities", DEAL_ENTITIES, Format::Json),
        ("toml", DEAL_TOML, Format::Toml),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let src = SourceFile::new("d", black_box(text));
                deal::load(
                    src,
                    "d".into(),
                    1,
                    format,
                    &policy.schema,
                    &LoadOptions::default(),
                )
                .is_ok()
            })
        });
    }
    g.finish();
}

fn evaluate(c: &mut Criterion) {
    let policy = covenant::resolve::compile_str("b.policy", BASELINE)
        .unwrap_or_else(|_| std::process::exit(1))
        .policy;
    let src = SourceFile::new("d", DEAL_JSON);
    let Ok(loaded) = deal::load(
        src,
        "d".into(),
        1,
        Format::Json,
        &policy.schema,
        &LoadOptions::default(),
    ) else {
        std::process::exit(1)
    };
    c.bench_function("evaluate baseline on one failing deal", |b| {
        b.iter(|| covenant::eval::evaluate(&policy, black_box(&loaded.deal), None).len())
    });
    let line = include_str!("../examples/deals/batch.jsonl")
        .lines()
        .next()
        .unwrap_or("{}");
    let Ok(passing) = deal::load(
        SourceFile::new("d", line),
        "d".into(),
        1,
        Format::Json,
        &policy.schema,
        &LoadOptions::default(),
    ) else {
        std::process::exit(1)
    };
    c.bench_function("evaluate baseline on one compliant deal", |b| {
        b.iter(|| covenant::eval::evaluate(&policy, black_box(&passing.deal), None).len())
    });
    c.bench_function("load one batch line", |b| {
        b.iter(|| {
            deal::load(
                SourceFile::new("d", black_box(line)),
                "d".into(),
                1,
                Format::Json,
                &policy.schema,
                &LoadOptions::default(),
            )
            .is_ok()
        })
    });
    let engine = covenant::check::Engine::new(policy, covenant::check::Settings::default());
    let mut report = engine.check_text("d", line, Format::Json);
    report.path = "d:1".into();
    let policy = engine.policy();
    c.bench_function("render one JSON line", |b| {
        b.iter(|| covenant::report::json::deal_line(policy, black_box(&report)).len())
    });
}

fn batch(c: &mut Criterion) {
    // 1,000 deals: the example batch lines repeated.
    let lines: Vec<&str> = include_str!("../examples/deals/batch.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(lines[i % lines.len()]);
        text.push('\n');
    }
    let dir = std::env::temp_dir().join(format!("covenant-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("batch.jsonl");
    let _ = std::fs::write(&path, text);
    let policy = dir.join("baseline.policy");
    let _ = std::fs::write(&policy, BASELINE);
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1000));
    g.bench_function("check 1,000 deals --format jsonl", |b| {
        b.iter(|| {
            let cli = covenant_cli::Cli::parse_from([
                "covenant",
                "check",
                "-p",
                policy.to_str().unwrap_or(""),
                path.to_str().unwrap_or(""),
                "--format",
                "jsonl",
            ]);
            let mut out = Vec::with_capacity(1 << 20);
            covenant_cli::run(cli, &mut out, &mut std::io::sink())
        })
    });
    g.finish();
}

criterion_group!(benches, compile, load, evaluate, batch);
criterion_main!(benches);
