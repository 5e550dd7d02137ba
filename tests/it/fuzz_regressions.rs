//! Replays the inputs that fuzzing found (`tests/fixtures/fuzz/<target>/<name>`) through the
//! same code path as the fuzz target of that name (see `FUZZING.md` and `fuzz/fuzz_targets/`):
//! no panic, no hang, and a sensible result — a diagnostic rather than a crash.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};

use covenant::deal::{jsonl_lines, load, Format, LoadOptions, Loaded};
use covenant::eval::evaluate;
use covenant::resolve::{compile_str, Compiled, Policy};
use covenant::schema::Schema;
use covenant::source::SourceFile;
use covenant::syntax::{format_policy, parse};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

#[path = "../../fuzz/fuzz_targets/graph.rs"]
mod graph;

use crate::fuzz_common;

const TARGETS: [&str; 9] = [
    "policy",
    "deal_yaml",
    "deal_json",
    "deal_toml",
    "deal_jsonl",
    "deal_graph",
    "evaluate",
    "deal_fast",
    "compiled",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz")
}

/// The regression inputs of one target, sorted by name.
fn inputs(target: &str) -> Vec<(String, String)> {
    let dir = fixtures().join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = entries
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).unwrap();
            // The fuzz targets skip input that is not UTF-8; so do we.
            (name, String::from_utf8(bytes).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

/// Render a diagnostic and assert that its labels (and those of related diagnostics) lie in
/// `text` on character boundaries; returns the rendering.
fn check_diagnostic(diag: &dyn Diagnostic, text: Option<&str>) -> String {
    if let (Some(text), Some(labels)) = (text, diag.labels()) {
        for label in labels {
            let (start, end) = (label.offset(), label.offset() + label.len());
            assert!(
                text.get(start..end).is_some(),
                "bad label {start}..{end}: {diag}"
            );
        }
    }
    let mut out = String::new();
    if let Some(related) = diag.related() {
        for r in related {
            out.push_str(&check_diagnostic(r, text));
        }
    }
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, diag)
        .expect("diagnostic renders");
    out
}

/// Target `deal_*`: load one deal; `Err` holds the rendered diagnostics.
fn load_deal(text: &str, name: &str, first_line: usize, format: Format) -> Result<Loaded, String> {
    let result = load(
        SourceFile::new(name, text),
        name.to_string(),
        first_line,
        format,
        &Schema::standard(),
        &LoadOptions::default(),
    );
    match result {
        Ok(loaded) => {
            for w in &loaded.warnings {
                check_diagnostic(w, Some(text));
            }
            Ok(loaded)
        }
        Err(errors) => {
            assert!(!errors.errors.is_empty(), "a failed load without an error");
            Err(check_diagnostic(&errors, Some(text)))
        }
    }
}

/// Target `deal_jsonl`: one load result per non-blank line.
fn load_jsonl(text: &str) -> Vec<Result<Loaded, String>> {
    jsonl_lines(text)
        .map(|(n, line)| load_deal(line, &format!("fuzz.jsonl:{n}"), n, Format::Json))
        .collect()
}

fn compile_ids(text: &str) -> Result<Vec<String>, String> {
    match compile_str("fuzz.policy", text) {
        Ok(Compiled { policy, warnings }) => {
            for w in &warnings {
                check_diagnostic(w, None);
            }
            Ok(policy.rules.iter().map(|r| r.id.clone()).collect())
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "compile failed without a diagnostic");
            Err(errors.iter().map(|e| check_diagnostic(e, None)).collect())
        }
    }
}

/// Target `policy`: parse, compile, and when it parses format and re-parse (same rule ids).
/// Returns the compile result.
fn check_policy(text: &str) -> Result<Vec<String>, String> {
    let file = SourceFile::new("fuzz.policy", text);
    let parsed = match parse(&file) {
        Ok(_) => true,
        Err(errors) => {
            assert!(!errors.is_empty());
            check_diagnostic(&errors, Some(text));
            false
        }
    };
    let ids = compile_ids(text);
    if parsed {
        let formatted = format_policy(&file).expect("a parsed file formats");
        parse(&SourceFile::new("fuzz.policy", formatted.as_str()))
            .unwrap_or_else(|e| panic!("formatted output does not parse: {e:?}\n{formatted}"));
        if let Ok(ids) = &ids {
            assert_eq!(Ok(ids), compile_ids(&formatted).as_ref(), "fmt changed ids");
        }
    }
    ids
}

fn policies() -> Vec<Policy> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let common = std::fs::read_to_string(root.join("examples/policies/common.policy")).unwrap();
    let us = std::fs::read_to_string(root.join("examples/policies/us-auto-jv.policy")).unwrap();
    let base = std::fs::read_to_string(root.join("tests/differential/jv-baseline.policy")).unwrap();
    let use_line = us
        .lines()
        .find(|l| l.starts_with("use \"common.policy\""))
        .unwrap();
    let us = us.replacen(use_line, &common, 1);
    [("us-auto-jv.policy", us), ("jv-baseline.policy", base)]
        .into_iter()
        .map(|(name, text)| {
            compile_str(name, &text)
                .map_err(|e| format!("{e:?}"))
                .unwrap()
                .policy
        })
        .collect()
}

/// Target `evaluate`: load as JSON and as YAML; evaluate every deal that loads.
fn check_evaluate(text: &str, policies: &[Policy]) {
    for (name, format) in [("fuzz.json", Format::Json), ("fuzz.yaml", Format::Yaml)] {
        if let Ok(loaded) = load_deal(text, name, 1, format) {
            for policy in policies {
                let results = evaluate(policy, &loaded.deal, None);
                assert_eq!(results.len(), policy.rules.len());
                for (i, r) in results.iter().enumerate() {
                    assert_eq!(r.rule, i);
                }
            }
        }
    }
}

/// Target `deal_graph`: the entity-graph deal the bytes describe, in each format; the three
/// give the same errors.
fn check_graph(data: &[u8]) -> Vec<(String, String)> {
    let mut outcomes: Vec<Vec<(String, String)>> = Vec::new();
    for (format, text) in graph::deal_texts(data) {
        let result = load(
            SourceFile::new("graph", text.as_str()),
            "graph".into(),
            1,
            format,
            &Schema::standard(),
            &LoadOptions::default(),
        );
        match &result {
            Ok(loaded) => loaded
                .warnings
                .iter()
                .for_each(|w| drop(check_diagnostic(w, Some(&text)))),
            Err(errors) => drop(check_diagnostic(errors, Some(&text))),
        }
        outcomes.push(graph::outcome(&result));
    }
    assert!(outcomes.windows(2).all(|w| w[0] == w[1]), "{outcomes:#?}");
    outcomes.swap_remove(0)
}

fn replay(target: &str, text: &str, policies: &[Policy]) {
    match target {
        "policy" => drop(check_policy(text)),
        "deal_yaml" => drop(load_deal(text, "fuzz.yaml", 1, Format::Yaml)),
        "deal_json" => drop(load_deal(text, "fuzz.json", 1, Format::Json)),
        "deal_toml" => drop(load_deal(text, "fuzz.toml", 1, Format::Toml)),
        "deal_jsonl" => drop(load_jsonl(text)),
        "deal_graph" => drop(check_graph(text.as_bytes())),
        "evaluate" => check_evaluate(text, policies),
        "deal_fast" => fuzz_common::check_fast_path(text),
        "compiled" => fuzz_common::check_compiled(text),
        _ => unreachable!(),
    }
}

/// The CI smoke test: every saved input of every target runs cleanly.
#[test]
fn every_regression_input_replays_cleanly() {
    let policies = policies();
    for target in TARGETS {
        for (name, text) in inputs(target) {
            let run = std::panic::catch_unwind(|| replay(target, &text, &policies));
            assert!(run.is_ok(), "fuzz regression {target}/{name} failed");
        }
    }
    // No stray folders: each holds inputs of a target this file knows how to replay.
    if let Ok(entries) = std::fs::read_dir(fixtures()) {
        for e in entries {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                TARGETS.contains(&name.as_str()),
                "unknown fuzz target folder {name}"
            );
        }
    }
}

/// The saved inputs of `deal_fast` and `compiled` test what those targets compare: each of
/// `deal_fast`'s is read by the one-pass JSON loader (with the standard schema or baseline-v2's),
/// and each of `compiled`'s loads under at least one policy whose results are compared, but
/// for those named `invalid-` (kept for how they ran: a deal of a hundred errors that
/// outlasted the fuzz run's timeout while its diagnostics were rendered).
#[test]
fn the_fast_path_inputs_reach_the_comparisons() {
    let v2 = fuzz_common::baseline_v2();
    for (name, text) in inputs("deal_fast") {
        let source = SourceFile::new("fuzz.json", text.as_str());
        let opts = LoadOptions::default();
        let fast = [&Schema::standard(), &v2.schema]
            .into_iter()
            .any(|schema| covenant::deal::fuzzing::read_by_json_fast_path(&source, schema, &opts));
        assert!(fast, "deal_fast/{name} does not take the fast path");
    }
    for (name, text) in inputs("compiled") {
        let loaded = fuzz_common::loaded_under(&text).len();
        assert_eq!(
            loaded == 0,
            name.starts_with("invalid-"),
            "compiled/{name} loads under {loaded} policies"
        );
    }
}

/// The fixed policies of the `evaluate` target still compile and give one result per rule on
/// an example deal.
#[test]
fn evaluate_target_policies_compile() {
    let policies = policies();
    assert_eq!(policies.len(), 2);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let deal = std::fs::read_to_string(root.join("examples/deals/acme-dragon-51-49.yaml")).unwrap();
    check_evaluate(&deal, &policies);
}

/// Hand-written, not a fuzz finding: the largest numbers `rust_decimal` reads (seats, capacity,
/// money with a `B` suffix), shares at the 0%–100% bounds with 28 decimals, and the smallest fractions load, and every rule of both fixed
/// policies gets a result, without an overflow panic.
#[test]
fn extreme_numbers_evaluate() {
    let text = std::fs::read_to_string(fixtures().join("evaluate/extreme-numbers.yaml")).unwrap();
    let loaded = load_deal(&text, "fuzz.yaml", 1, Format::Yaml);
    assert!(loaded.is_ok(), "{:?}", loaded.err());
    check_evaluate(&text, &policies());
}

/// The `deal_graph` decoder reaches every entity error of SPEC §7.1 and valid deals, with the
/// three formats agreeing on each: a small fuzz run in CI (a fixed xorshift sequence of inputs).
#[test]
fn the_graph_decoder_reaches_every_entity_error_in_every_format() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut seen = std::collections::BTreeSet::new();
    let mut valid = 0;
    for _ in 0..crate::support::size(600, 20_000) {
        let len = (state % 96) as usize;
        let data: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let outcome = check_graph(&data);
        valid += usize::from(outcome.is_empty());
        seen.extend(outcome.into_iter().map(|(code, _)| code));
    }
    for code in [
        "bad-kind",
        "duplicate-entity",
        "unknown-entity",
        "owners-over-100",
        "ownership-cycle",
    ] {
        assert!(
            seen.contains(&format!("covenant::deal::{code}")),
            "{code} never reached: {seen:?}"
        );
    }
    assert!(valid > 0, "no valid deal");
}
