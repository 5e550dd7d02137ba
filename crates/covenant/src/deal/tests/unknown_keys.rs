//! Keys the schema does not know, on the JSON fast path: the deal loads with the same record
//! and the same warnings, in the same order, as the full loader gives; anything else about the
//! key or its value sends the deal to the full loader.

use miette::Diagnostic;

use super::fast_path::{generated, Rng};
use super::*;
use crate::deal::fast::load_json_fast_with_unknown;
use crate::run_generator;

/// Everything a user sees of a diagnostic: code, severity, message, help and labels.
fn seen(e: &DealError) -> String {
    let labels: Vec<(usize, usize, Option<String>)> = e
        .labels()
        .into_iter()
        .flatten()
        .map(|l| (l.offset(), l.len(), l.label().map(str::to_string)))
        .collect();
    let help = e.help().map(|h| h.to_string());
    format!("{} {:?} {e} {help:?} {labels:?}", e.code(), e.severity())
}

/// What loading `text` gives, as text to compare.
fn outcome(r: &Result<Loaded, DealErrors>) -> String {
    match r {
        Ok(l) => {
            let d = &l.deal;
            let warnings: Vec<String> = l.warnings.iter().map(seen).collect();
            format!(
                "ok {:?} {:?} {:?} {warnings:#?}",
                d.root, d.root_span, d.owner_edges
            )
        }
        Err(e) => {
            let errors: Vec<String> = e.errors.iter().map(seen).collect();
            format!("err {errors:#?}")
        }
    }
}

/// The full loader alone on `text`, with a schema of its own: nothing another load kept in a
/// schema (the helps of its unknown keys) is read.
fn loaded_afresh(text: &str, opts: &LoadOptions) -> Result<Loaded, DealErrors> {
    let schema = Schema::standard();
    load_full(source(text), "deal".into(), 1, Format::Json, &schema, opts)
}

/// `load` and the full loader alone agree on `text`; true when the fast path took it.
fn agrees(text: &str, opts: &LoadOptions) -> bool {
    let schema = Schema::standard();
    let by_load = load(source(text), "deal".into(), 1, Format::Json, &schema, opts);
    assert_eq!(
        outcome(&by_load),
        outcome(&loaded_afresh(text, opts)),
        "{text}"
    );
    let src = std::sync::Arc::from(text);
    load_json_fast_with_unknown(&src, 0, &schema, &opts.limits).is_some()
}

const KEYS: &[&str] = &[
    r#""financing""#,
    r#""notes""#,
    r#""propsal""#,
    r#""Parties""#,
    r#""board_seat""#,
    r#""stake ""#,
    r#""x""#,
    r#""""#,
    r#""n\u00f6te""#,
    r#""pro\u0070osal""#,
    r#""a\"b""#,
];

const VALUES: &[&str] = &[
    "1",
    "-0",
    "0.5",
    "1e5",
    "-2.5E-3",
    r#""x""#,
    r#""\u00e9t\u00e9""#,
    r#""\ud83d\ude00""#,
    "true",
    "false",
    "null",
    "[]",
    "{}",
    r#"[1,2,[3,{"a":null}]]"#,
    r#"{"a":{"b":{"c":{"d":[[[[]]]]}}}}"#,
    r#"{ "sp" : [ 1 , 2 ] }"#,
    r#"{"":0,"a":"b"}"#,
    // The full loader reports these: the fast path must give up.
    "01",
    "1.",
    "-",
    "1e400",
    r#""\ud83d""#,
    r#""\q""#,
    "nul",
    "True",
    "[1,]",
    r#"{"a":1,}"#,
    r#"{"a":1,"a":2}"#,
    r#"{"k\u0031":1,"k1":2}"#,
    r#"{"x":"y" "z":1}"#,
    "[1 2]",
    "\"tab\there\"",
];

/// `line` with `n` unknown keys put at the start of some of its mappings.
fn with_unknown_keys(line: &str, n: usize, rng: &mut Rng) -> String {
    let mut text = line.to_string();
    for _ in 0..n {
        let opens: Vec<usize> = text.match_indices('{').map(|(i, _)| i).collect();
        let at = opens[rng.below(opens.len())] + 1;
        let key = KEYS[rng.below(KEYS.len())];
        let value = VALUES[rng.below(VALUES.len())];
        let entry = match rng.below(4) {
            0 => format!(" {key} :\t{value} ,\n"),
            _ => format!("{key}:{value},"),
        };
        text.insert_str(at, &entry);
    }
    text
}

#[test]
fn unknown_keys_load_as_the_full_loader_loads_them() {
    let mut lines = generated(150);
    lines.extend(run_generator("benches/baseline-v2/gen.py", &[], 60));
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut fast, mut total) = (0, 0);
    let lax = LoadOptions::default();
    let strict = LoadOptions {
        strict: true,
        ..LoadOptions::default()
    };
    let tight = LoadOptions {
        strict: false,
        limits: Limits {
            max_depth: 6,
            max_nodes: 120,
            ..Limits::default()
        },
    };
    for line in &lines {
        for _ in 0..6 {
            let n = 1 + rng.below(3);
            let text = with_unknown_keys(line, n, &mut rng);
            total += 1;
            fast += usize::from(agrees(&text, &lax));
            agrees(&text, &tight);
            // A strict load makes an unknown key an error: the full loader reports it.
            let by_load = load(
                source(&text),
                "deal".into(),
                1,
                Format::Json,
                &Schema::standard(),
                &strict,
            );
            assert!(by_load.is_err(), "{text}");
            assert_eq!(
                outcome(&by_load),
                outcome(&load_full(
                    source(&text),
                    "deal".into(),
                    1,
                    Format::Json,
                    &Schema::standard(),
                    &strict
                ))
            );
        }
    }
    // About half the values are valid JSON, so the fast path takes a good share of the deals.
    assert!(fast * 4 >= total, "{fast} of {total}");
    eprintln!("unknown keys: the fast path took {fast} of {total} deals");
}

/// The helps a schema keeps for the unknown keys it met (`suggest::KeyHelps`) are the ones
/// worked out afresh: one schema loads every deal, and each is compared with the full loader on
/// a schema of its own, which has kept nothing. The keys land in records of several types.
#[test]
fn kept_helps_are_the_helps_worked_out_afresh() {
    let shared = Schema::standard();
    let opts = LoadOptions::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for line in &generated(60) {
        for _ in 0..4 {
            let text = with_unknown_keys(line, 1 + rng.below(3), &mut rng);
            let kept = load(
                source(&text),
                "deal".into(),
                1,
                Format::Json,
                &shared,
                &opts,
            );
            assert_eq!(
                outcome(&kept),
                outcome(&loaded_afresh(&text, &opts)),
                "{text}"
            );
        }
    }
}

#[test]
fn a_deal_with_unknown_keys_takes_the_fast_path_and_warns_in_document_order() {
    let text = r#"{"proposal":"x","zz":{"a":[1,{"b":null}]},"parties":[{"name":"A","stake":"60%","note":"q"},{"name":"B","stake":"40%"}],"financing":"USD 2B"}"#;
    let src = std::sync::Arc::from(text);
    let (_, _, unknown) =
        load_json_fast_with_unknown(&src, 0, &Schema::standard(), &Limits::default()).unwrap();
    let keys: Vec<&str> = unknown.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, ["zz", "note", "financing"]);
    assert_eq!(
        &text[unknown[1].span.start..unknown[1].span.end],
        r#""note""#
    );
    let loaded = ok(text, Format::Json);
    let warned: Vec<(&str, String)> = codes(&loaded.warnings, text);
    assert_eq!(
        warned,
        [
            ("unknown-key", r#""zz""#.to_string()),
            ("unknown-key", r#""note""#.to_string()),
            ("unknown-key", r#""financing""#.to_string()),
        ]
    );
    assert!(agrees(text, &LoadOptions::default()));
    // Twice in one record: the full loader reports the duplicate.
    let twice = r#"{"proposal":"x","zz":1,"zz":2}"#;
    assert!(!agrees(twice, &LoadOptions::default()));
    // The same unknown key in two records is no duplicate.
    let two = r#"{"proposal":"x","zz":1,"board":{"zz":2,"seats":3}}"#;
    assert!(agrees(two, &LoadOptions::default()));
}
